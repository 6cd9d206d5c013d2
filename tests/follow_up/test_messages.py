"""Messages to the family (issue 18): e-mailed once through django-tasks, retried when the SMTP
server is down, written in the dossier's history with their delivery state."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from wagtail_qf.dossiers import history, messages
from wagtail_qf.models import DossierLogEntry, Submission

from .conftest import CERTIFIED, DEFERRING, SMTP_DOWN

pytestmark = pytest.mark.django_db

MESSAGE = "Merci d'envoyer l'attestation de la CAF de mars."


def detail_url(submission):
    return reverse("wagtail_qf_submissions:inspect", args=[submission.pk])


def message_entries(submission):
    return list(DossierLogEntry.objects.for_instance(submission).filter(action=history.MESSAGE))


@pytest.fixture
def dossier(two_communes, make_submission):
    return make_submission(two_communes[1], email=CERTIFIED, email_origin="franceconnect", status="received")


def test_a_status_change_with_a_message_emails_the_family_once(
    client, agent_a, dossier, django_capture_on_commit_callbacks
):
    client.force_login(agent_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail_url(dossier), {"status": "awaiting", "message": MESSAGE, "change_status": ""}, follow=True
        )
    assert "Statut modifié. Un courriel part vers la personne concernée." in response.content.decode()
    (email,) = mail.outbox
    assert email.to == [CERTIFIED]
    # No personal data in the subject: neither name, nor reference, nor address.
    for personal in ("DUPONT", "Paul", dossier.reference, CERTIFIED):
        assert personal not in email.subject
    assert email.subject == "Un message au sujet de votre demande – QF Cesson"
    assert MESSAGE in email.body and "En attente de compléments" in email.body
    assert dossier.reference in email.body and dossier.page.get_full_url() in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and "Merci d&#x27;envoyer l&#x27;attestation" in html
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    (entry,) = message_entries(dossier)
    assert entry.user == agent_a and entry.data["state"] == "sent" and entry.data["message"] == MESSAGE
    history_html = client.get(detail_url(dossier)).content.decode()
    assert "a transmis une information à la personne concernée (courriel : envoyé)" in history_html


def test_a_message_alone_from_the_dossier(client, agent_a, dossier, django_capture_on_commit_callbacks):
    client.force_login(agent_a)
    html = client.get(detail_url(dossier)).content.decode()
    assert 'name="send_message"' in html and "Message à la personne concernée" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(dossier), {"message": MESSAGE, "send_message": ""}, follow=True)
    assert "Message envoyé à la personne concernée." in response.content.decode()
    (email,) = mail.outbox
    assert MESSAGE in email.body and "statut" not in email.body
    assert Submission.objects.get(pk=dossier.pk).status == "received"  # unchanged
    assert [entry.data["state"] for entry in message_entries(dossier)] == ["sent"]


def test_an_empty_message_alone_is_refused(client, agent_a, dossier):
    client.force_login(agent_a)
    response = client.post(detail_url(dossier), {"message": "", "send_message": ""})
    assert (
        response.status_code == 200
        and "Écrivez le message avant de l&#x27;envoyer." in response.content.decode()
    )
    assert not mail.outbox and not message_entries(dossier)


def test_without_an_address_no_email_and_the_agent_is_told(
    client, agent_a, two_communes, make_submission, django_capture_on_commit_callbacks
):
    dossier = make_submission(two_communes[1])  # no e-mail: FranceConnect gave none
    client.force_login(agent_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail_url(dossier), {"status": "awaiting", "message": MESSAGE, "change_status": ""}, follow=True
        )
    html = response.content.decode()
    assert "Aucune adresse électronique n&#x27;est connue pour ce dossier" in html
    assert Submission.objects.get(pk=dossier.pk).status == "awaiting"  # the status changed all the same
    assert not mail.outbox
    (entry,) = message_entries(dossier)  # kept on the dossier, marked not sent
    assert (entry.data["state"], entry.data["error"], entry.data["message"]) == (
        "failed",
        "no_address",
        MESSAGE,
    )


@pytest.mark.parametrize(("notify", "sent"), [(False, 0), (True, 1)])
def test_a_status_change_without_message_sends_the_notice_only_when_the_page_says_so(
    client, agent_a, dossier, django_capture_on_commit_callbacks, notify, sent
):
    page = dossier.page.specific
    page.notify_status_changes = notify
    page.save()
    client.force_login(agent_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(dossier), {"status": "done", "message": "", "change_status": ""})
    assert len(mail.outbox) == sent
    if sent:
        assert mail.outbox[0].subject == "Votre demande a changé de statut – QF Cesson"
        assert "a changé de statut : Traité." in mail.outbox[0].body
        assert message_entries(dossier)[0].data == {
            "notice": True,
            "status": "done",
            "state": "sent",
            "attempts": 1,
            "error": "",
            "sent_at": message_entries(dossier)[0].data["sent_at"],
        }


def test_the_email_is_in_the_language_of_the_page(admin_user, dossier, django_capture_on_commit_callbacks):
    page = dossier.page.specific
    page.locale = Locale.objects.get_or_create(language_code="en")[0]
    page.save()
    with django_capture_on_commit_callbacks(execute=True):
        messages.send_message(dossier, admin_user, "Please send us your CAF certificate.")
    (email,) = mail.outbox
    assert email.subject == "A message about your request – QF Cesson"
    assert email.body.startswith("Hello,") and "Please send us your CAF certificate." in email.body


def test_a_refused_sending_is_retried_later_then_recorded_as_failed(admin_user, dossier, caplog):
    with override_settings(TASKS=DEFERRING, EMAIL_BACKEND=SMTP_DOWN):
        messages.send_message(dossier, admin_user, MESSAGE)  # enqueued once committed: run by hand here
        (entry,) = message_entries(dossier)
        backend = messages.deliver_family_email.get_backend()
        before = timezone.now()
        messages.deliver_family_email.call(entry.pk)
        entry.refresh_from_db()
        assert (entry.data["state"], entry.data["attempts"]) == ("queued", 1)
        (retry,) = backend.results
        assert retry.args == [entry.pk, 2]
        # About a minute later (less the backoff's jitter: up to half of it).
        assert before + datetime.timedelta(seconds=30) <= retry.task.run_after
        assert retry.task.run_after <= timezone.now() + datetime.timedelta(seconds=60)
        for attempt in (2, 3, 4, 5):  # as the worker would run them
            messages.deliver_family_email.call(entry.pk, attempt)
    entry.refresh_from_db()
    assert (entry.data["state"], entry.data["attempts"]) == ("failed", 5)
    assert entry.data["error"] == "SMTPServerDisconnected"
    assert len(backend.results) == 4  # attempts 2 to 5, none after the last
    assert not mail.outbox
    assert "family e-mail abandoned" in caplog.text and CERTIFIED not in caplog.text


def test_without_a_deferring_backend_one_attempt_then_failed(
    admin_user, dossier, django_capture_on_commit_callbacks
):
    with override_settings(EMAIL_BACKEND=SMTP_DOWN), django_capture_on_commit_callbacks(execute=True):
        messages.send_message(dossier, admin_user, MESSAGE)
    (entry,) = message_entries(dossier)
    assert (entry.data["state"], entry.data["attempts"]) == ("failed", 1)


def test_a_delivery_is_never_sent_twice(admin_user, dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        messages.send_message(dossier, admin_user, MESSAGE)
    (entry,) = message_entries(dossier)
    messages.deliver_family_email.call(entry.pk)  # run again (a worker restarted, a duplicate)
    assert len(mail.outbox) == 1


def test_an_agent_of_another_commune_cannot_send_a_message(
    client, make_agent, two_communes, make_submission, django_capture_on_commit_callbacks
):
    home_a, _page_a, _home_b, page_b = two_communes
    other = make_submission(page_b, email=CERTIFIED)
    client.force_login(make_agent("sandrine", home_a))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(other), {"message": MESSAGE, "send_message": ""})
    assert response.status_code == 404
    assert not mail.outbox and not message_entries(other)


def test_an_agent_without_the_change_permission_cannot_send_a_message(
    client, make_agent, two_communes, dossier, django_capture_on_commit_callbacks
):
    reader = make_agent("lecteur", two_communes[0], perms=())
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(dossier), {"message": MESSAGE, "send_message": ""})
    assert response.status_code in (302, 403)  # out of the admin, or refused
    assert not mail.outbox and not message_entries(dossier)
