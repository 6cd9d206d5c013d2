"""A way to reach the family (issue 18): the ``email`` scope, the consent step, the dossier, the purge."""

import datetime

import pytest
from django.urls import reverse

from wagtail_qf.dossiers import messages, retention
from wagtail_qf.models import DossierLogEntry, Submission

from ..factories import family_result
from ..fakes import particulier as api
from ..fakes.franceconnect import DUPONT, FakeFranceConnect
from .conftest import CERTIFIED

pytestmark = pytest.mark.django_db


def transmit(client, page, token):
    data = {"form_token": token, "no_child": "on", "confirm": "on"}
    response = client.post(page.url + "quotient/", data)
    assert response.status_code == 302, response.status_code
    return Submission.objects.get(page=page)


@pytest.mark.parametrize(("follow_up", "asked"), [(True, True), (False, False)])
def test_the_email_scope_is_requested_only_when_the_page_follows_up_by_email(
    client, respx_mock, make_qf_page, follow_up, asked
):
    page = make_qf_page(follow_up_by_email=follow_up)
    fc = FakeFranceConnect(respx_mock)
    fc.authorize(client, page.url + "connexion/")
    assert ("email" in fc.last_authorize["scope"].split()) is asked


def test_the_certified_address_is_shown_on_the_consent_step_and_kept_in_the_dossier(
    client, respx_mock, qf_page
):
    fc = FakeFranceConnect(respx_mock, claims={**DUPONT, "email": CERTIFIED})
    api.particulier_ok(respx_mock, api.DUPONT)
    assert (
        client.get(fc.authorize(client, qf_page.url + "connexion/"))["Location"]
        == qf_page.url + "consentement/"
    )
    html = client.get(qf_page.url + "consentement/").content.decode()
    assert f"Nous vous écrirons à <strong>{CERTIFIED}</strong>" in html
    assert f'value="{CERTIFIED}"' in html and 'type="email"' in html and 'autocomplete="email"' in html
    token = client.session["wagtail_qf"]["pages"][str(qf_page.pk)]["form_token"]
    submission = transmit(client, qf_page, token)  # the consent step not posted: the certified address
    assert (submission.email, submission.email_origin) == (CERTIFIED, "franceconnect")


def test_the_citizen_may_change_the_address_on_the_consent_step(client, qf_page, logged_in_with_email):
    token = logged_in_with_email(qf_page, family_result())
    response = client.post(qf_page.url + "consentement/", {"email": "  famille.dupont@example.net "})
    assert response.status_code == 302 and response["Location"].endswith("/quotient/")
    submission = transmit(client, qf_page, token)
    assert (submission.email, submission.email_origin) == ("famille.dupont@example.net", "citizen")


def test_a_wrong_address_is_refused_with_what_to_type(client, qf_page, logged_in_with_email):
    logged_in_with_email(qf_page, family_result())
    response = client.post(qf_page.url + "consentement/", {"email": "dupont-at-example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Erreur" in html and 'href="#id_email"' in html
    assert "Saisissez une adresse électronique valide, par exemple nom@exemple.fr" in html
    assert 'aria-invalid="true"' in html and 'value="dupont-at-example"' in html
    assert client.session["wagtail_qf"]["pages"][str(qf_page.pk)].get("email") is None  # nothing kept


def test_an_emptied_address_means_no_email(client, qf_page, logged_in_with_email):
    token = logged_in_with_email(qf_page, family_result())
    client.post(qf_page.url + "consentement/", {"email": ""})
    submission = transmit(client, qf_page, token)
    assert (submission.email, submission.email_origin) == ("", "")


def test_without_follow_up_no_address_is_shown_nor_kept(client, make_qf_page, logged_in_with_email):
    page = make_qf_page(follow_up_by_email=False)
    token = logged_in_with_email(page, family_result())
    html = client.get(page.url + "consentement/").content.decode()
    assert "Nous vous écrirons" not in html and 'name="email"' not in html
    assert f'href="{page.url}quotient/"' in html  # « Continuer » as before
    assert transmit(client, page, token).email == ""


def test_the_agent_sees_the_address_and_where_it_comes_from(admin_client, qf_page, make_submission):
    certified = make_submission(qf_page, email=CERTIFIED, email_origin="franceconnect")
    none = make_submission(qf_page)
    html = admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[certified.pk])).content.decode()
    assert f'<a href="mailto:{CERTIFIED}">{CERTIFIED}</a> (certifiée par FranceConnect)' in html
    html = admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[none.pk])).content.decode()
    assert "aucune : la personne ne peut pas être prévenue par courriel" in html


def test_the_purge_erases_the_address_and_the_messages_to_the_family(
    qf_page, make_submission, admin_user, django_capture_on_commit_callbacks, now
):
    submission = make_submission(
        qf_page,
        email=CERTIFIED,
        email_origin="franceconnect",
        submitted_at=now - datetime.timedelta(days=400),
    )
    with django_capture_on_commit_callbacks(execute=True):
        messages.send_message(submission, admin_user, "Votre fils Jean est inscrit à la cantine.")
    assert retention.purge(now) == 1
    submission.refresh_from_db()
    assert (submission.email, submission.email_origin) == ("", "")
    (entry,) = DossierLogEntry.objects.for_instance(submission).filter(action="wagtail_qf.message")
    assert "message" not in entry.data and entry.data["state"] == "sent"  # the trail stays, not the words
