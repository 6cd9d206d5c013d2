"""Found in review: names typed on the form without FranceConnect are kept as they read. Invisible
characters (zero-width spaces, direction marks) are no letters: a name made of them only is a name
missing, and they are not stored, nor sent to API Particulier; accents typed as two code points (NFD,
as some keyboards send them) are stored as one (NFC), as the agents type them in their search."""

import pytest

from wagtail_qf.models import Submission

from .identity_helpers import send

pytestmark = pytest.mark.django_db

INVISIBLE = "\u200b\u200f\u2060\ufeff"  # zero-width space, right-to-left mark, word joiner, BOM


@pytest.fixture
def page(make_qf_page):
    return make_qf_page(allow_identity_form=True, collect_children=True)


def test_a_name_of_invisible_characters_only_is_a_name_missing(client, page):
    response = send(client, page, nom_naissance=INVISIBLE, prenoms=f" {INVISIBLE} ")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Indiquez votre nom de naissance." in html
    assert "Indiquez au moins votre premier prénom." in html
    assert not Submission.objects.exists()


def test_a_childs_first_names_of_invisible_characters_only_are_missing(client, page):
    child = {"enfant1_prenoms": INVISIBLE, "enfant1_jour": "4", "enfant1_mois": "3", "enfant1_annee": "2012"}
    response = send(client, page, **child)
    assert response.status_code == 400
    assert "Enfant 1 : indiquez son prénom." in response.content.decode()


def test_a_childs_first_names_refused_say_which_child(client, page):
    child = {"enfant1_prenoms": "Léa 😀", "enfant1_jour": "4", "enfant1_mois": "3", "enfant1_annee": "2012"}
    response = send(client, page, **child)
    assert response.status_code == 400
    assert "Enfant 1 : Le caractère « 😀 » n&#x27;est pas accepté dans un nom" in response.content.decode()


def test_names_are_stored_without_invisible_characters_and_composed(client, page):
    child = {
        "enfant1_prenoms": "Le\u0301a\u200b",
        "enfant1_jour": "4",
        "enfant1_mois": "3",
        "enfant1_annee": "2012",
    }
    typed = {
        "nom_naissance": f"Du{INVISIBLE}pont\u200e",
        "prenoms": "He\u0301le\u0300ne \u200fMarie",
        **child,
    }
    assert send(client, page, nom_usage="Martin\u200b", **typed).status_code == 302
    submission = Submission.objects.get()
    assert (submission.family_name, submission.given_names) == ("Dupont", "Hélène Marie")
    assert submission.usage_name == "Martin"
    assert [child["prenoms"] for child in submission.declared_children] == ["Léa"]
