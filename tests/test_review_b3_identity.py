"""Review b3: the identity typed without FranceConnect (``forms.identity``), as people type it.
Spaces of every kind become one space, apostrophes and hyphens of every kind the plain ones (the
same identity however the keyboard sends it); control characters, lone surrogates, emoji, digits
and names without a letter are refused with a French message that says what to do; nothing
crashes on them, nor on 10,000 characters."""

import pytest

from wagtail_qf.forms.identity import IdentityForm
from wagtail_qf.models import Submission

from .journey.identity_helpers import send

BASE = {
    "prenoms": "Paul",
    "sexe": "M",
    "jour": "1",
    "mois": "2",
    "annee": "1980",
    "lieu": "etranger",
    "pays": "99134",
}


def cleaned(**typed):
    form = IdentityForm(data={**BASE, "nom_naissance": "Dupont", **typed})
    assert form.is_valid(), form.errors
    return form.cleaned_data


def errors(**typed):
    form = IdentityForm(data={**BASE, "nom_naissance": "Dupont", **typed})
    assert not form.is_valid()
    return form.errors


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("Éloïse", "Éloïse"),
        ("E\u0301loi\u0308se", "Éloïse"),  # NFD, as macOS sends it
        ("N’Diaye", "N'Diaye"),  # typographic apostrophe (phones' smart punctuation)
        ("N\u02bcDiaye", "N'Diaye"),  # modifier letter apostrophe
        ("Le\u00a0Bihan\u2011Ménez", "Le Bihan-Ménez"),  # non-breaking space and hyphen
        ("Le  Bihan\t-\u202fMénez", "Le Bihan - Ménez"),
        ("Ștefan", "Ștefan"),
        ("Nguyễn", "Nguyễn"),
        ("MÜLLER", "MÜLLER"),
        ("Œuvray", "Œuvray"),
        ("Иванов", "Иванов"),
        ("محمد\u200f", "محمد"),  # a right-to-left mark left out
        ("Du\u200bpont", "Dupont"),
        ("St. John", "St. John"),
    ],
)
def test_names_are_kept_as_they_read_with_one_spelling_of_spaces_and_apostrophes(typed, kept):
    assert cleaned(nom_naissance=typed)["nom_naissance"] == kept


def test_first_names_separated_by_commas_or_odd_spaces_are_several_first_names():
    assert cleaned(prenoms="Jean-Paul,\u00a0Marie ;Éloïse")["prenoms"] == ("Jean-Paul", "Marie", "Éloïse")


@pytest.mark.parametrize(
    "typed, message",
    [
        ("Du\x07pont", "caractère invisible"),
        ("Du\x1bpont", "caractère invisible"),
        ("Dupont\x00", "caractère invisible"),
        ("Du\ud800pont", "caractère illisible"),  # a lone surrogate
        ("Dupont 😀", "« 😀 »"),
        ("Dupont2", "« 2 »"),
        ("<b>Dupont</b>", "« < »"),
        ("---", "au moins une lettre"),
        ("’", "au moins une lettre"),
    ],
)
def test_what_no_name_holds_is_refused_with_a_french_message(typed, message):
    (error,) = errors(nom_naissance=typed)["nom_naissance"]
    assert message in error


def test_ten_thousand_characters_are_refused_with_the_limit():
    for typed in ("A" * 10_000, "😀" * 10_000, "\u0301" * 10_000, "a\u0301" * 10_000, "\x07" * 10_000):
        assert errors(nom_naissance=typed)["nom_naissance"]
    # Invisible characters do not count: what is left is the name.
    assert cleaned(nom_naissance="\u200b" * 10_000 + "Dupont")["nom_naissance"] == "Dupont"


@pytest.mark.django_db
def test_the_citizen_is_told_what_to_change_and_nothing_is_sent(client, make_qf_page):
    page = make_qf_page(allow_identity_form=True, collect_children=True)
    response = send(client, page, nom_naissance="Dupont 😀", prenoms="Paul\x07", enfant1_prenoms="Léa\x07")
    assert response.status_code == 400
    html = response.content.decode()
    assert "« 😀 »" in html and "caractère invisible" in html
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_the_typed_identity_is_stored_with_plain_apostrophes_and_spaces(client, make_qf_page):
    page = make_qf_page(allow_identity_form=True)
    response = send(
        client, page, nom_naissance="N’Diaye\u00a0Sow", prenoms="Awa\u202fMarie", nom_usage="Le\u00a0Bihan"
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.family_name, submission.given_names, submission.usage_name) == (
        "N'Diaye Sow",
        "Awa Marie",
        "Le Bihan",
    )


@pytest.mark.django_db
def test_nothing_breaks_on_very_long_or_odd_values_in_every_field(client, make_qf_page):
    page = make_qf_page(allow_identity_form=True, collect_children=True)
    for odd in ("x" * 10_000, "\x00", "😀" * 5_000, "\u202e\u200b", "é\x00" * 3_000):
        fields = (
            "nom_naissance",
            "prenoms",
            "nom_usage",
            "jour",
            "mois",
            "annee",
            "commune_recherche",
            "commune",
        )
        response = send(client, page, **dict.fromkeys(fields, odd), enfant1_prenoms=odd, enfant1_jour=odd)
        assert response.status_code == 400
        assert client.get("/qf/communes/", {"q": odd}).status_code in (200, 400)
    assert not Submission.objects.exists()
