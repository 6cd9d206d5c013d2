"""The family is told of HubEE's changes of status like of any other (``dossiers.history``), and
HubEE's message for the family is e-mailed once, instead of the standard notice."""

import pytest
from django.core import mail

from tests.fakes.hubee import SETTINGS, HubEEFake
from wagtail_qf.dossiers import history
from wagtail_qf.hubee import forwarding
from wagtail_qf.hubee.tasks import sync_hubee
from wagtail_qf.models import DossierLogEntry, HubEEState

pytestmark = pytest.mark.django_db

ASKED = "Merci d'envoyer votre avis d'imposition."


@pytest.fixture
def hubee(settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": SETTINGS}
    fake = HubEEFake()
    with fake.router:
        yield fake


@pytest.fixture
def deposited(hubee, make_qf_page, make_submission):
    """A dossier deposited at HubEE, the family reachable by e-mail, on a page sending notices."""
    page = make_qf_page(forward_to_hubee=True, notify_status_changes=True)
    row = forwarding.deposit(make_submission(page, email="famille@example.org").pk)
    assert row.state == HubEEState.DEPOSITED
    return row


def sync(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sync_hubee.call()


def messages_of(submission):
    return list(
        DossierLogEntry.objects.filter(object_id=str(submission.pk), action=history.MESSAGE).order_by("pk")
    )


def test_the_message_of_add_awaiting_is_emailed_once_instead_of_the_notice(
    hubee, deposited, django_capture_on_commit_callbacks
):
    hubee.si_event(deposited.folder_id, "ADD_AWAITING", message=ASKED)
    sync(django_capture_on_commit_callbacks)

    (email,) = mail.outbox
    assert ASKED in email.body and "En attente de compléments" in email.body
    assert "Statut HubEE" not in email.body and "note interne" not in email.body
    (entry,) = messages_of(deposited.submission)
    assert entry.data["message"] == ASKED and entry.data["state"] == "sent" and entry.user is None


def test_a_change_of_status_by_hubee_sends_the_notice(hubee, deposited, django_capture_on_commit_callbacks):
    hubee.si_event(deposited.folder_id, "IN_PROGRESS")
    sync(django_capture_on_commit_callbacks)

    (email,) = mail.outbox
    assert "a changé de statut : En cours." in email.body and "Statut HubEE" not in email.body
    (entry,) = messages_of(deposited.submission)
    assert entry.data["notice"] is True and entry.data["status"] == "in_progress"
    # HubEE's own status stays in the history, for the agents.
    (status,) = DossierLogEntry.objects.filter(object_id=str(deposited.submission_id), action=history.STATUS)
    assert status.comment == "Statut HubEE : IN_PROGRESS"
