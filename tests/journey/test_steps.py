"""Each citizen step of the QF page, with the citizen already identified."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from wagtail_qf.models import Submission

from ..factories import CHILDREN, family_result

pytestmark = pytest.mark.django_db


def url(page, sub=""):
    return page.url + sub


def test_start_shows_commune_data_and_franceconnect_button(client, qf_page):
    response = client.get(url(qf_page))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cesson-Sévigné (35510)" in html
    assert "S’identifier avec" in html and "FranceConnect" in html
    assert 'href="https://franceconnect.gouv.fr/"' in html and 'rel="noopener"' in html
    assert "Qu’est-ce que FranceConnect ?" in html
    assert f'action="{qf_page.url}connexion/"' in html
    assert "Votre quotient familial de novembre 2026" in html or "quotient familial de" in html
    assert "Vous n'avez pas FranceConnect ?" in html


def test_start_uses_the_editor_texts(client, make_qf_page):
    page = make_qf_page(
        texts=[
            ("step_text", {"step": "start", "text": "<p>Texte de la mairie</p>"}),
            ("step_text", {"step": "without_franceconnect", "text": "<p>Venez en mairie</p>"}),
            ("step_text", {"step": "confirmation", "text": "<p>Merci !</p>"}),
        ]
    )
    html = client.get(url(page)).content.decode()
    assert "Texte de la mairie" in html and "Venez en mairie" in html
    assert "Merci !" not in html


@pytest.mark.parametrize("step", ["consentement/", "quotient/"])
def test_steps_after_login_redirect_to_start_without_identity(client, qf_page, step):
    response = client.get(url(qf_page, step))
    assert response.status_code == 302
    assert response["Location"] == qf_page.url


def test_expired_identity_is_forgotten(client, qf_page, logged_in):
    logged_in(qf_page, family_result(), ttl=-1)
    response = client.get(url(qf_page, "consentement/"))
    assert "Votre session a expiré" in response.content.decode()  # said, not a silent restart
    assert "identity" not in client.session["wagtail_qf"]


def test_consent_shows_who_and_what(client, make_qf_page, logged_in):
    page = make_qf_page(collect_address=True, collect_allocataires=False)
    logged_in(page, family_result())
    html = client.get(url(page, "consentement/")).content.decode()
    assert "Vous êtes connecté en tant que <strong>Paul Louis DUPONT</strong>" in html
    assert "Votre identité" in html and "L'adresse connue" in html
    assert "Les enfants que vous choisirez" in html
    assert "Les allocataires du foyer" not in html


def test_quotient_shows_value_month_provider_and_children(client, qf_page, logged_in):
    logged_in(qf_page, family_result(provider="MSA", value=1234))
    response = client.get(url(qf_page, "quotient/"))
    html = response.content.decode()
    assert "est de <strong>1\xa0234 €</strong>" in html
    with translation.override("fr"):  # the month the page asks for, by its rule (today's by default)
        assert f"quotient familial {qf_page.qf_month().of_label()} est de" in html
    assert "Source : MSA" in html
    for child in ("Jean DUPONT", "Marie DUPONT", "Léa DUPONT"):
        assert child in html
    assert html.count('type="checkbox" name="children"') == 3
    assert "Transmettre mes données" in html


def test_transmission_creates_one_dossier_with_selected_children(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())
    data = {"form_token": token, "children": [CHILDREN[0].key, CHILDREN[2].key], "confirm": "on"}
    response = client.post(url(qf_page, "quotient/"), data)
    assert response.status_code == 302
    assert response["Location"].endswith("/confirmation/")
    submission = Submission.objects.get()
    assert submission.page_id == qf_page.pk
    assert submission.status == "new"
    assert [c["prenoms"] for c in submission.children] == ["Jean", "Léa"]
    assert submission.family_name == "DUPONT" and submission.given_names == "Paul Louis"
    assert str(submission.birthdate) == "1980-06-15" and submission.birthplace == "75107"
    assert (submission.qf_value, submission.qf_year, submission.qf_month) == (1234, 2026, 11)
    assert submission.qf_provider == "CNAF"
    assert len(submission.allocataires) == 2
    assert submission.address is None  # the page does not collect the address
    assert "adresse" not in submission.raw_response

    confirmation = client.get(response["Location"]).content.decode()
    assert submission.reference in confirmation
    # Identity and data are dropped from the session after transmission.
    assert "identity" not in client.session["wagtail_qf"]

    again = client.post(url(qf_page, "quotient/"), data)
    assert again.status_code == 302
    assert Submission.objects.count() == 1


def test_double_post_of_the_same_form_gives_one_dossier(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())
    data = {"form_token": token, "children": [CHILDREN[1].key], "confirm": "on"}
    first = client.post(url(qf_page, "quotient/"), data)
    # The second click arrives with the same form: the session still had the token.
    logged_in(qf_page, family_result())
    second = client.post(url(qf_page, "quotient/"), data)
    assert first.status_code == second.status_code == 302
    assert Submission.objects.count() == 1
    reference = Submission.objects.get().reference
    assert reference in client.get(second["Location"]).content.decode()


def test_child_not_in_the_family_is_refused(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())
    data = {"form_token": token, "children": ["INTRUS|Paul|2010-01-01"], "confirm": "on"}
    response = client.post(url(qf_page, "quotient/"), data)
    assert response.status_code == 400
    assert Submission.objects.count() == 0


def test_forged_token_is_refused(client, qf_page, logged_in):
    logged_in(qf_page, family_result())
    data = {"form_token": "forged", "confirm": "on"}
    response = client.post(url(qf_page, "quotient/"), data)
    assert response.status_code == 400
    assert "Ce formulaire a expiré" in response.content.decode()
    assert Submission.objects.count() == 0


def test_a_form_refused_as_outdated_can_be_sent_again_from_the_page_shown(client, qf_page, logged_in):
    """The form came from an outdated page (another tab logged in again): the page shown with
    the error carries the current form, so that sending it again works, as the message says."""
    import re

    token = logged_in(qf_page, family_result())
    refused = client.post(url(qf_page, "quotient/"), {"form_token": "outdated", "confirm": "on"})
    html = refused.content.decode()
    assert refused.status_code == 400 and "envoyez-le de nouveau" in html
    (shown,) = re.findall(r'name="form_token" value="([^"]*)"', html)
    assert shown == token
    data = {"form_token": shown, "children": [CHILDREN[0].key], "confirm": "on"}
    assert client.post(url(qf_page, "quotient/"), data).status_code == 302
    assert Submission.objects.count() == 1


def test_confirmation_checkbox_is_required(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())
    response = client.post(url(qf_page, "quotient/"), {"form_token": token})
    assert response.status_code == 400
    assert "Cochez cette case" in response.content.decode()
    assert Submission.objects.count() == 0


def test_family_without_children(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result(children=()))
    html = client.get(url(qf_page, "quotient/")).content.decode()
    assert "Aucun enfant n'est connu" in html
    response = client.post(url(qf_page, "quotient/"), {"form_token": token, "confirm": "on"})
    assert response.status_code == 302
    assert Submission.objects.get().children == []


def test_page_collecting_the_address_stores_it(client, make_qf_page, logged_in):
    page = make_qf_page(collect_address=True)
    token = logged_in(page, family_result())
    client.post(url(page, "quotient/"), {"form_token": token, "confirm": "on", "no_child": "on"})
    assert Submission.objects.get().address["code_postal_ville"] == "35510 CESSON SEVIGNE"


def test_dossier_of_one_page_cannot_be_posted_to_another(client, make_qf_page, logged_in):
    page_a = make_qf_page()
    page_b = make_qf_page(
        slug="autre-commune", commune_name="Rennes", commune_cog="35238", commune_postcode="35000"
    )
    token = logged_in(page_a, family_result())
    response = client.post(url(page_b, "quotient/"), {"form_token": token, "confirm": "on"})
    assert response.status_code != 302
    assert Submission.objects.count() == 0


def test_no_user_is_created_for_a_citizen(client, qf_page, logged_in):
    users = get_user_model().objects.count()
    token = logged_in(qf_page, family_result())
    client.post(url(qf_page, "quotient/"), {"form_token": token, "confirm": "on", "no_child": "on"})
    assert Submission.objects.count() == 1
    assert get_user_model().objects.count() == users


def test_confirmation_without_dossier_redirects_to_start(client, qf_page):
    response = client.get(url(qf_page, "confirmation/"))
    assert response.status_code == 302


def test_logout_requires_post(client, qf_page):
    assert client.get(url(qf_page, "deconnexion/")).status_code == 405


def test_citizen_downloads_the_summary_of_their_own_dossier_only(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())
    data = {"form_token": token, "children": [CHILDREN[0].key], "confirm": "on"}
    client.post(url(qf_page, "quotient/"), data)
    confirmation = client.get(url(qf_page, "confirmation/")).content.decode()
    assert url(qf_page, "confirmation/recapitulatif/") in confirmation
    response = client.get(url(qf_page, "confirmation/recapitulatif/"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    reference = Submission.objects.get().reference
    assert reference in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]

    from django.test import Client

    stranger = Client().get(url(qf_page, "confirmation/recapitulatif/"))
    assert stranger.status_code == 302 and stranger["Location"].endswith(url(qf_page, ""))


def test_submission_created_is_sent_once_after_commit(
    client, qf_page, logged_in, django_capture_on_commit_callbacks
):
    from wagtail_qf.signals import submission_created

    received = []

    def receiver(sender, submission, page, **kwargs):
        received.append((submission.reference, page.pk))

    submission_created.connect(receiver)
    try:
        token = logged_in(qf_page, family_result())
        data = {"form_token": token, "children": [CHILDREN[0].key], "confirm": "on"}
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url(qf_page, "quotient/"), data)
            client.post(url(qf_page, "quotient/"), data)  # the same form again
    finally:
        submission_created.disconnect(receiver)
    assert received == [(Submission.objects.get().reference, qf_page.pk)]
