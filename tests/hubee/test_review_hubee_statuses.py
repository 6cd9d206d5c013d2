"""Review (a1, « hubee »): the statuses the commune's software sets at HubEE, seen from the agent's
inbox. A status coming back never undoes the work of the agent, an unknown one changes nothing and
breaks nothing, each change is dated in the dossier's history, and no log carries personal data."""

import logging

import pytest
from django.core import mail
from django.utils import timezone

from tests.fakes.hubee import CLIENT_SECRET, SETTINGS
from wagtail_qf.dossiers.history import change_status
from wagtail_qf.hubee import forwarding
from wagtail_qf.hubee.tasks import sync_hubee
from wagtail_qf.models import DossierLogEntry, HubEEState

pytestmark = pytest.mark.django_db

FAMILY_MESSAGE = "Merci d'envoyer l'avis d'imposition de Paul ZÉPHYRIN."


@pytest.fixture
def deposited(hubee, make_qf_page, make_submission):
    """A dossier deposited at HubEE, the family reachable by e-mail, its page telling the family of
    each change of status."""
    page = make_qf_page(forward_to_hubee=True, notify_status_changes=True)
    submission = make_submission(page, email="famille@example.org", family_name="ZÉPHYRIN")
    row = forwarding.deposit(submission.pk)
    assert row.state == HubEEState.DEPOSITED
    return row


@pytest.fixture
def polling(settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": {**SETTINGS, "POLL_STATUSES": True}}


def statuses(submission):
    entries = DossierLogEntry.objects.filter(object_id=str(submission.pk), action="wagtail_qf.status")
    return [(e.data["old"], e.data["new"]) for e in entries.order_by("pk")]


def test_a_dossier_an_agent_opened_is_not_put_back_to_new_by_the_next_poll(
    hubee, deposited, polling, admin_user, committed
):
    """HubEE says « notified to the commune » (HUBEE_NOTIFIED) until its software takes the case: the
    agent who opened the dossier in the inbox meanwhile (« Reçu ») must not see it go back to
    « Nouveau » at the next sync, nor the family get a notice saying so."""
    submission = deposited.submission
    committed(lambda: change_status(submission, "received", admin_user))
    sent = len(mail.outbox)

    committed(sync_hubee.call)

    submission.refresh_from_db()
    assert submission.status == "received"
    assert statuses(submission) == [("new", "received")]
    assert len(mail.outbox) == sent


def test_a_sent_event_never_takes_a_dossier_back_to_new(hubee, deposited, admin_user, committed):
    """SENT (« Transmis ») says the case reached the commune: it is where every deposited dossier
    starts, never a step back for one the agents already took up."""
    submission = deposited.submission
    committed(lambda: change_status(submission, "in_progress", admin_user))
    sent = len(mail.outbox)
    hubee.si_event(deposited.folder_id, "SENT")

    outcome = committed(sync_hubee.call)

    submission.refresh_from_db()
    assert submission.status == "in_progress"
    assert statuses(submission) == [("new", "in_progress")]
    assert len(mail.outbox) == sent
    # The event was taken into account all the same: acknowledged, its notification deleted.
    assert outcome["notifications"] == 1 and not hubee.notifications
    assert {e["status"] for e in hubee.events.values()} == {"RECEIVED"}


@pytest.mark.parametrize("unknown", ["SI_INTG_ERROR", "A_STATUS_HUBEE_ADDS_ONE_DAY"])
def test_a_status_we_do_not_map_changes_nothing_and_breaks_nothing(hubee, deposited, committed, unknown):
    submission = deposited.submission
    hubee.si_event(deposited.folder_id, unknown)
    hubee.si_event(deposited.folder_id, "IN_PROGRESS")

    outcome = committed(sync_hubee.call)

    submission.refresh_from_db()
    assert submission.status == "in_progress"
    assert statuses(submission) == [("new", "in_progress")]
    assert outcome["notifications"] == 2 and not hubee.notifications
    assert {e["status"] for e in hubee.events.values()} == {"RECEIVED"}


def test_each_status_of_the_seven_comes_back_dated_in_the_history_without_personal_data_in_logs(
    hubee, deposited, committed, caplog
):
    submission = deposited.submission
    caplog.set_level(logging.DEBUG, logger="wagtail_qf")
    for status in ("SI_RECEIVED", "IN_PROGRESS", "ADD_AWAITING", "DONE"):
        hubee.si_event(
            deposited.folder_id, status, message=FAMILY_MESSAGE if status == "ADD_AWAITING" else ""
        )
        before = timezone.now()
        committed(sync_hubee.call)
        entry = (
            DossierLogEntry.objects.filter(object_id=str(submission.pk), action="wagtail_qf.status")
            .order_by("pk")
            .last()
        )
        assert entry.timestamp >= before and entry.user is None
    assert statuses(submission) == [
        ("new", "received"),
        ("received", "in_progress"),
        ("in_progress", "awaiting"),
        ("awaiting", "done"),
    ]
    # Done: closed at HubEE, the dossier keeps « Traité ».
    submission.refresh_from_db()
    assert submission.status == "done"
    assert hubee.folders[deposited.folder_id]["globalStatus"] == "CLOSED"
    ours = [r for r in caplog.records if r.name.startswith("wagtail_qf")]
    text = " ".join(r.getMessage() + str(vars(r)) for r in ours)
    for private in (
        "ZÉPHYRIN",
        "avis d'imposition",
        "famille@example.org",
        submission.reference,
        CLIENT_SECRET,
    ):
        assert private not in text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("message", 12345),
        ("caseNewStatus", ["DONE"]),
        ("actionType", {"x": 1}),
        ("message", {"fr": "Bonjour"}),
    ],
)
def test_an_event_of_an_unexpected_shape_stops_neither_the_run_nor_the_other_dossiers(
    hubee, deposited, make_qf_page, make_submission, committed, field, value
):
    """HubEE serves an event whose fields are not of the reference's types (Event: strings): it is
    taken as unreadable, acknowledged and left unapplied; the sync goes on with the other dossiers'
    events, and the next runs are not blocked by it."""
    other = forwarding.deposit(make_submission(make_qf_page(forward_to_hubee=True, slug="autre")).pk)
    odd = hubee.si_event(deposited.folder_id, "IN_PROGRESS", message="Bonjour")
    hubee.events[odd["eventId"]][field] = value
    hubee.si_event(other.folder_id, "IN_PROGRESS")

    outcome = committed(sync_hubee.call)

    assert outcome["notifications"] == 2 and not hubee.notifications
    other.submission.refresh_from_db()
    assert other.submission.status == "in_progress"
    deposited.submission.refresh_from_db()
    assert deposited.submission.status == "new"
