"""The whole HubEE folder lifecycle (issue 21): no duplicate, notifications and events, closing,
registrations refused, the recipient of an intercommunal page, timeouts per call kind."""

import json

import pytest
from django.core import checks, mail
from django.urls import reverse
from django.utils import timezone

from tests.fakes.hubee import SETTINGS, HubEEFake
from wagtail_qf.hubee import forwarding
from wagtail_qf.hubee.tasks import sync_hubee
from wagtail_qf.models import DossierLogEntry, HubEEForwarding, HubEEState, ServedCommune

pytestmark = pytest.mark.django_db


@pytest.fixture
def deposited(hubee, make_qf_page, make_submission):
    """A dossier deposited at HubEE (its forwarding row), the family reachable by e-mail."""
    submission = make_submission(make_qf_page(forward_to_hubee=True), email="famille@example.org")
    row = forwarding.deposit(submission.pk)
    assert row.state == HubEEState.DEPOSITED
    return row


RENNES = dict(
    siret="21350238800019",
    commune_cog="35238",
    commune_postcode="35000",
    commune_name="Rennes",
    slug="rennes",
)


def due_now(row):
    HubEEForwarding.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())


def history(submission, action="wagtail_qf.status"):
    return list(DossierLogEntry.objects.filter(object_id=str(submission.pk), action=action).order_by("pk"))


# -- 1. no duplicate ------------------------------------------------------------------------
def test_a_complete_applied_whose_answer_was_lost_leaves_exactly_one_folder(
    hubee, make_qf_page, make_submission
):
    submission = make_submission(make_qf_page(forward_to_hubee=True))
    hubee.lose_answer("complete")  # HubEE completes the folder, its answer never comes back
    row = forwarding.deposit(submission.pk)
    assert row.state == HubEEState.RETRY and row.folder_id in hubee.folders  # its id kept for the retry

    due_now(row)
    assert sync_hubee.call()["deposited"] == 1
    row.refresh_from_db()
    assert row.state == HubEEState.DEPOSITED
    assert len(hubee.folders) == 1 and len(hubee.created_bodies) == 1
    assert row.case_id == hubee.folders[row.folder_id]["cases"][0]["id"]


def test_a_half_made_folder_left_by_an_attempt_is_deleted_before_depositing_again(
    hubee, make_qf_page, make_submission
):
    submission = make_submission(make_qf_page(forward_to_hubee=True))
    hubee.fail("upload", 503)
    hubee.fail("delete", 503)  # the rollback fails too: a folder waits at HubEE, not completed
    row = forwarding.deposit(submission.pk)
    half_made = row.folder_id
    assert row.state == HubEEState.RETRY and hubee.folders[half_made]["globalStatus"] == "HUBEE_RECEIVED"

    due_now(row)
    row = forwarding.deposit(submission.pk)
    assert row.state == HubEEState.DEPOSITED
    assert hubee.deleted == [half_made] and list(hubee.folders) == [row.folder_id]


# -- 2. the lifecycle -----------------------------------------------------------------------
def test_notifications_are_read_their_events_applied_acknowledged_and_deleted(hubee, deposited):
    submission = deposited.submission
    hubee.si_event(deposited.folder_id, "SI_RECEIVED")
    hubee.si_event(deposited.folder_id, "IN_PROGRESS")
    foreign = hubee.notify(deposited.case_id, None, process_code="CERTDC")  # another process's

    outcome = sync_hubee.call()

    assert (outcome["notifications"], outcome["events"]) == (2, 2)
    assert list(hubee.notifications) == [foreign["id"]]  # ours deleted, the other left to its owner
    assert all(e["status"] == "RECEIVED" for e in hubee.events.values())  # acknowledged
    submission.refresh_from_db()
    assert submission.status == "in_progress"
    assert [e.data["new"] for e in history(submission)] == ["received", "in_progress"]
    assert all(e.user is None for e in history(submission))
    assert sync_hubee.call()["events"] == 0  # nothing served twice


def test_notifications_are_read_by_batches_until_a_short_one(hubee, deposited, settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": {**SETTINGS, "NOTIFICATIONS_BATCH": 2}}
    for status in ("SI_RECEIVED", "IN_PROGRESS", "ADD_AWAITING", "IN_PROGRESS", "DONE"):
        hubee.si_event(deposited.folder_id, status)
    assert sync_hubee.call()["notifications"] == 5 and not hubee.notifications


def test_a_notification_hubee_cannot_serve_now_stays_for_the_next_run(hubee, deposited):
    hubee.si_event(deposited.folder_id, "IN_PROGRESS")
    hubee.fail("event", 503)
    assert sync_hubee.call()["events"] == 0 and len(hubee.notifications) == 1
    assert sync_hubee.call()["events"] == 1 and not hubee.notifications


def test_an_event_whose_acknowledgement_was_lost_is_applied_once(hubee, deposited, committed):
    hubee.si_event(deposited.folder_id, "ADD_AWAITING", message="Merci d'envoyer votre avis d'imposition.")
    hubee.lose_answer("acknowledge", 503)
    committed(sync_hubee.call)
    (event,) = hubee.events.values()
    event["status"] = "SENT"  # as if HubEE had not recorded it: it comes back
    hubee.notify(deposited.case_id, event["id"])
    committed(sync_hubee.call)
    assert len(mail.outbox) == 1 and not hubee.notifications


def test_an_event_not_acknowledged_is_not_overtaken_by_the_next_one(hubee, deposited, committed):
    """The commune's software asks for complements, then takes the dossier up again. The first
    event's acknowledgement fails: the next event of that case waits for the next run, so that the
    first one, served again, does not put the dossier back to « complements » after it (nor write
    to the family twice)."""
    submission = deposited.submission
    hubee.si_event(deposited.folder_id, "ADD_AWAITING", message="Merci d'envoyer votre avis d'imposition.")
    hubee.si_event(deposited.folder_id, "IN_PROGRESS")
    hubee.fail("acknowledge", 503)
    committed(sync_hubee.call)
    committed(sync_hubee.call)
    submission.refresh_from_db()
    assert submission.status == "in_progress" and not hubee.notifications
    assert [e.data["new"] for e in history(submission)] == ["awaiting", "in_progress"]
    assert len(mail.outbox) == 1


def test_the_message_of_add_awaiting_reaches_the_history_and_the_family(hubee, deposited, committed):
    submission = deposited.submission
    hubee.si_event(deposited.folder_id, "IN_PROGRESS")
    hubee.si_event(deposited.folder_id, "ADD_AWAITING", message="Merci d'envoyer votre avis d'imposition.")

    committed(sync_hubee.call)

    submission.refresh_from_db()
    assert submission.status == "awaiting"
    (message,) = history(submission, "wagtail_qf.message")
    assert message.data["message"] == "Merci d'envoyer votre avis d'imposition."
    assert message.data["state"] == "sent" and message.user is None
    (email,) = mail.outbox
    assert email.to == ["famille@example.org"] and "avis d'imposition" in email.body
    assert "note interne" not in email.body  # the commune's internal comment stays at HubEE


def test_without_an_address_the_message_stays_in_the_history(hubee, deposited):
    submission = deposited.submission
    type(submission).objects.filter(pk=submission.pk).update(email="")
    hubee.si_event(deposited.folder_id, "ADD_AWAITING", message="Merci de compléter votre dossier.")
    sync_hubee.call()
    (message,) = history(submission, "wagtail_qf.message")
    assert (
        message.data["message"] == "Merci de compléter votre dossier." and message.data["state"] == "failed"
    )
    assert not mail.outbox


@pytest.mark.parametrize(("final", "status"), [("DONE", "done"), ("REFUSED", "refused")])
def test_a_done_or_refused_case_is_closed_then_its_folder(hubee, deposited, final, status):
    hubee.si_event(deposited.folder_id, "IN_PROGRESS")
    hubee.si_event(deposited.folder_id, final)

    assert sync_hubee.call()["closed"] == 0  # closed while the event was handled, not later

    folder = hubee.folders[deposited.folder_id]
    assert folder["cases"][0]["status"] == "CLOSED" and folder["globalStatus"] == "CLOSED"
    closing = [e for e in hubee.events.values() if e["transmitter"] == {"type": "OSL"}]
    assert [(e["caseCurrentStatus"], e["caseNewStatus"]) for e in closing] == [(final, "CLOSED")]
    deposited.refresh_from_db()
    assert deposited.closed_at is not None
    deposited.submission.refresh_from_db()
    assert deposited.submission.status == status  # the commune's decision stays the dossier's


def test_a_closing_hubee_could_not_do_is_done_by_the_next_run(hubee, deposited):
    hubee.si_event(deposited.folder_id, "DONE")
    hubee.fail("close_case", 503, times=2)  # at the event, and at the end of the same run
    assert sync_hubee.call()["closed"] == 0
    assert not hubee.notifications  # the event itself was handled
    assert sync_hubee.call()["closed"] == 1
    assert hubee.folders[deposited.folder_id]["globalStatus"] == "CLOSED"


def test_an_anonymised_dossier_is_closed_at_hubee(hubee, deposited):
    from wagtail_qf.dossiers.retention import purge

    hubee.si_event(deposited.folder_id, "IN_PROGRESS")
    sync_hubee.call()
    submission = deposited.submission
    type(submission).objects.filter(pk=submission.pk).update(submitted_at=timezone.now().replace(year=2000))
    assert purge() == 1
    assert sync_hubee.call()["closed"] == 1
    assert hubee.folders[deposited.folder_id]["globalStatus"] == "CLOSED"


def test_statuses_are_not_polled_unless_asked(hubee, deposited):
    hubee.set_case_status(deposited.folder_id, "IN_PROGRESS")  # changed without notification
    sync_hubee.call()
    assert not [
        c for c in hubee.router.calls if c.request.method == "GET" and "/folders/" in str(c.request.url)
    ]
    deposited.submission.refresh_from_db()
    assert deposited.submission.status == "new"


# -- 3. registrations ----------------------------------------------------------------------
def test_a_commune_not_subscribed_is_shown_to_the_agent_and_not_retried(
    hubee, make_qf_page, make_submission, admin_client
):
    page = make_qf_page(forward_to_hubee=True, **RENNES)
    hubee.organizations.add(("SI", "21350238800019", "35238"))  # known to HubEE, not subscribed
    submission = make_submission(page)
    row = forwarding.deposit(submission.pk)
    assert (row.state, row.last_error) == (HubEEState.UNREGISTERED, "not_subscribed")

    detail = admin_client.get(
        reverse("wagtail_qf_submissions:inspect", args=[submission.pk])
    ).content.decode()
    assert "Refusé par HubEE : enregistrement à compléter" in detail
    assert "n&#x27;est pas abonnée à la démarche" in detail

    assert sync_hubee.call()["retried"] == 0
    hubee.subscribe("21350238800019", "35238")
    assert forwarding.retry_refused() == 1
    assert sync_hubee.call()["deposited"] == 1


@pytest.mark.parametrize(
    ("fake_options", "reason"),
    [
        ({"attachment_types": {"DOSSIER_QF_JSON"}}, "attachment_refused"),  # the PDF's type undeclared
        ({"mime_types": {"application/json"}}, "attachment_refused"),
    ],
)
def test_undeclared_attachments_are_a_registration_refusal(
    settings, make_qf_page, make_submission, fake_options, reason
):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": SETTINGS}
    fake = HubEEFake(**fake_options)
    submission = make_submission(make_qf_page(forward_to_hubee=True))
    with fake.router:
        row = forwarding.deposit(submission.pk)
    assert (row.state, row.last_error) == (HubEEState.UNREGISTERED, reason) and not fake.folders


def test_an_unknown_recipient_is_a_registration_refusal(hubee, make_qf_page, make_submission):
    page = make_qf_page(forward_to_hubee=True, **RENNES)
    row = forwarding.deposit(make_submission(page).pk)
    assert (row.state, row.last_error) == (HubEEState.UNREGISTERED, "unknown_recipient")
    assert row.refusal.startswith("HubEE ne connaît pas le service instructeur")


def test_the_recipient_of_an_intercommunal_page_is_the_chosen_commune(hubee, make_qf_page, make_submission):
    page = make_qf_page(forward_to_hubee=True)
    ServedCommune.objects.create(page=page, cog="35238", name="Rennes", sort_order=0)
    ServedCommune.objects.create(page=page, cog="35051", name="Cesson-Sévigné", sort_order=1)
    page.save()
    hubee.subscribe("21350051800013", "35238")
    row = forwarding.deposit(make_submission(page, commune_cog="35238", commune_name="Rennes").pk)
    recipient = hubee.folders[row.folder_id]["cases"][0]["recipient"]
    assert recipient == {"type": "SI", "companyRegister": "21350051800013", "branchCode": "35238"}


@pytest.mark.parametrize("missing", ["PROCESS_CODE", "JSON_TYPE", "PDF_TYPE", "TOKEN_URL"])
def test_a_system_check_names_a_missing_hubee_setting(settings, missing):
    from wagtail_qf.checks import check_settings

    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": {**SETTINGS, missing: ""}}
    errors = [e for e in check_settings() if e.id == "wagtail_qf.E007"]
    assert len(errors) == 1 and missing in errors[0].msg and errors[0].level == checks.ERROR
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": SETTINGS}
    assert not [e for e in check_settings() if e.id == "wagtail_qf.E007"]


def test_no_check_when_hubee_is_not_used(settings):
    from wagtail_qf.checks import check_settings

    assert not [e for e in check_settings() if e.id == "wagtail_qf.E007"]


# -- 5. timeouts per call kind, every given name ----------------------------------------------
def test_uploads_get_the_gateway_s_300_seconds_the_other_calls_their_own(hubee, deposited):
    timeouts = {
        (c.request.method, "/attachments/" in str(c.request.url)): c.request.extensions["timeout"]["read"]
        for c in hubee.router.calls
    }
    assert timeouts[("PUT", True)] == 300
    assert timeouts[("POST", False)] == timeouts[("PATCH", False)] == 10


def test_every_given_name_of_the_applicant_is_sent(hubee, deposited):
    body = json.loads(hubee.created_bodies[0])
    assert body["applicant"] == {"firstName": "Paul Louis", "lastName": "DUPONT"}
