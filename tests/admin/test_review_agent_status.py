"""The status form of the dossier page acts on the status the agent saw.

The form posted only the new status: a second click on « Modifier le statut » (or the same form
sent again) e-mailed the family its message a second time, and an agent whose tab was older than
a colleague's change overwrote it without knowing."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from wagtail_qf.models import DossierLogEntry, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(make_submission, two_communes):
    return make_submission(two_communes[1], status="received", email="famille@example.org")


@pytest.fixture
def url(dossier):
    return reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])


@pytest.fixture
def agent(client, make_agent, two_communes):
    user = make_agent("sandrine", two_communes[0])
    client.force_login(user)
    return user


def _status_form(client, url) -> dict:
    """The status form's fields as the page draws them (the status the agent sees included)."""
    form = client.get(url).context["status_form"]
    return {name: form[name].value() or "" for name in form.fields} | {"change_status": ""}


def test_the_same_status_form_sent_twice_mails_the_family_once(client, agent, url, dossier):
    posted = _status_form(client, url) | {"status": "in_progress", "message": "Pièce reçue, merci."}
    assert client.post(url, posted).status_code == 302
    response = client.post(url, posted)
    assert response.status_code == 302
    assert DossierLogEntry.objects.filter(action="wagtail_qf.message").count() == 1
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("modifié entre-temps" in text for text in said)


def test_a_status_changed_in_another_tab_is_not_overwritten(
    client, agent, url, dossier, make_agent, two_communes
):
    posted = _status_form(client, url) | {"status": "refused"}
    Submission.objects.filter(pk=dossier.pk).update(status="done")  # a colleague, meanwhile
    response = client.post(url, posted)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "done"
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("« Traité »" in text for text in said), said


def test_the_status_form_still_changes_the_status_seen(client, agent, url, dossier):
    posted = _status_form(client, url) | {"status": "in_progress"}
    assert client.post(url, posted).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"


def _message_form(client, url) -> dict:
    form = client.get(url).context["message_form"]
    return {name: form[name].value() or "" for name in form.fields} | {"send_message": ""}


def test_the_same_message_form_sent_twice_mails_the_family_once(client, agent, url, dossier):
    posted = _message_form(client, url) | {"message": "Merci de nous envoyer votre avis d'imposition."}
    assert client.post(url, posted).status_code == 302
    response = client.post(url, posted)
    assert response.status_code == 302
    assert DossierLogEntry.objects.filter(action="wagtail_qf.message").count() == 1
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("déjà été envoyé" in text for text in said), said
    posted = _message_form(client, url) | {"message": "Un second message, voulu."}
    assert client.post(url, posted).status_code == 302
    assert DossierLogEntry.objects.filter(action="wagtail_qf.message").count() == 2


def test_a_message_with_the_same_status_sent_twice_mails_the_family_once(client, agent, url, dossier):
    posted = _status_form(client, url) | {"status": "received", "message": "Nous étudions votre demande."}
    assert client.post(url, posted).status_code == 302
    assert client.post(url, posted).status_code == 302
    assert DossierLogEntry.objects.filter(action="wagtail_qf.message").count() == 1


def test_the_status_the_dossier_already_has_is_said_to_the_agent(client, agent, url, dossier):
    """Choosing the status the dossier has, without a message, changes nothing: the agent is told
    so, not left with a page that says nothing."""
    response = client.post(url, _status_form(client, url) | {"status": "received"})
    assert response.status_code == 302
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == ["Le dossier est déjà « Reçu » : rien n'a été changé ni envoyé."]
    assert not DossierLogEntry.objects.filter(action__in=["wagtail_qf.status", "wagtail_qf.message"]).exists()
