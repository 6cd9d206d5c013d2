"""Forwarding dossiers to HubEE: deposit with attachments, retries, rollback, statuses read back."""

import datetime
import json
import logging

import httpx
import pytest
from django.test import override_settings
from django.utils import timezone

from tests.fakes.hubee import CLIENT_SECRET
from tests.fakes.hubee import SETTINGS as HUBEE
from wagtail_qf.hubee import forwarding
from wagtail_qf.hubee.tasks import deposit_to_hubee, sync_hubee
from wagtail_qf.models import DossierLogEntry, HubEEForwarding, HubEEState, Submission

pytestmark = pytest.mark.django_db


def test_a_new_dossier_is_deposited_with_its_json_and_pdf(hubee, transmit):
    submission = transmit()
    forwarding_row = HubEEForwarding.objects.get(submission=submission)
    assert forwarding_row.state == HubEEState.DEPOSITED and forwarding_row.attempts == 1
    folder = hubee.folders[forwarding_row.folder_id]
    assert folder["externalId"] == submission.reference
    assert folder["cases"][0]["recipient"]["companyRegister"] == "21350051800013"
    assert folder["cases"][0]["recipient"]["branchCode"] == "35051"
    files = {a["fileName"]: hubee.contents[a["id"]] for a in folder["attachments"]}
    sent = json.loads(files[f"{submission.reference}.json"])
    assert sent["reference"] == submission.reference
    assert sent["qf"]["value"] == 1234 and sent["requester"]["family_name"] == "DUPONT"
    assert sent["commune"] == {"cog": "35051", "name": "Cesson-Sévigné"}
    assert files[f"{submission.reference}.pdf"].startswith(b"%PDF")


def test_pages_that_do_not_opt_in_and_sites_without_configuration_forward_nothing(hubee, transmit, settings):
    transmit(forward=False, token="a")
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": {**HUBEE, "CLIENT_SECRET": ""}}
    transmit(forward=True, token="b")
    assert not HubEEForwarding.objects.exists() and not hubee.folders


def due_between(before, after, delay):
    """The retry of an attempt made between ``before`` and ``after`` is due ``delay`` later,
    less the backoff's jitter (up to half of it)."""
    return (before + delay / 2, after + delay)


def test_a_failed_upload_rolls_back_and_is_retried_later(hubee, transmit):
    hubee.fail("upload", 500)
    before = timezone.now()
    submission = transmit()
    earliest, latest = due_between(before, timezone.now(), datetime.timedelta(seconds=300))
    row = HubEEForwarding.objects.get(submission=submission)
    assert (row.state, row.attempts, row.last_error) == (HubEEState.RETRY, 1, "http_500")
    assert len(hubee.deleted) == 1 and not hubee.folders  # no half-made folder left at HubEE
    assert earliest <= row.next_attempt_at <= latest

    assert sync_hubee.call()["retried"] == 0  # not due yet
    HubEEForwarding.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert sync_hubee.call() == {
        "retried": 1,
        "deposited": 1,
        "notifications": 0,
        "events": 0,
        "statuses_changed": 0,
        "closed": 0,
        "notifications_error": "",
    }
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (HubEEState.DEPOSITED, 2, "")
    assert len(hubee.folders) == 1


@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [
        ("3600", datetime.timedelta(hours=1)),  # longer than the backoff: HubEE's wait
        ("86400", forwarding.MAX_RETRY_DELAY),  # longer than the cap: the cap
    ],
)
def test_hubee_retry_after_is_honoured_within_the_cap(hubee, transmit, retry_after, wait):
    hubee.fail("create", httpx.Response(503, headers={"Retry-After": retry_after}))
    before = timezone.now()
    row = HubEEForwarding.objects.get(submission=transmit())
    assert row.state == HubEEState.RETRY
    assert before + wait <= row.next_attempt_at <= timezone.now() + wait


def test_a_refused_deposit_is_not_retried(hubee, transmit):
    hubee.fail("create", 400)
    row = HubEEForwarding.objects.get(submission=transmit())
    assert (row.state, row.last_error) == (HubEEState.FAILED, "http_400")
    assert sync_hubee.call()["retried"] == 0


def test_retries_stop_after_max_attempts_with_a_growing_delay(hubee, transmit, settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": {**HUBEE, "MAX_ATTEMPTS": 3}}
    hubee.fail("token", 503, times=9)  # the deposits and the notifications read by each sync
    before = timezone.now()
    row = HubEEForwarding.objects.get(submission=transmit())
    for minutes in (5, 10):  # each attempt's retry is due about that long after it (clock read around it)
        earliest, latest = due_between(before, timezone.now(), datetime.timedelta(minutes=minutes))
        assert earliest <= row.next_attempt_at <= latest
        before = timezone.now()
        HubEEForwarding.objects.filter(pk=row.pk).update(next_attempt_at=before)
        sync_hubee.call()
        row.refresh_from_db()
    assert (row.state, row.attempts) == (HubEEState.FAILED, 3)


def test_a_backend_that_can_wait_runs_the_retry_itself(hubee, make_qf_page, make_submission):
    submission = make_submission(make_qf_page(forward_to_hubee=True))
    hubee.fail("create", 502)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        deposit_to_hubee.call(submission.pk)
        queued = deposit_to_hubee.get_backend().results
    row = HubEEForwarding.objects.get(submission=submission)
    assert row.state == HubEEState.RETRY
    assert [r.task.run_after for r in queued] == [row.next_attempt_at]


def test_a_deposit_being_sent_is_not_sent_twice_unless_stuck(hubee, transmit):
    hubee.fail("create", 502)
    row = HubEEForwarding.objects.get(submission=transmit())
    HubEEForwarding.objects.filter(pk=row.pk).update(state=HubEEState.SENDING, updated_at=timezone.now())
    assert forwarding.deposit(row.submission_id).state == HubEEState.SENDING and not hubee.folders
    stuck = timezone.now() - datetime.timedelta(minutes=20)
    HubEEForwarding.objects.filter(pk=row.pk).update(updated_at=stuck)
    assert forwarding.deposit(row.submission_id).state == HubEEState.DEPOSITED


@pytest.fixture
def polling(settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": {**HUBEE, "POLL_STATUSES": True}}


def test_polled_case_statuses_come_back_into_the_dossier_with_history(hubee, transmit, polling):
    submission = transmit()
    row = HubEEForwarding.objects.get(submission=submission)
    hubee.set_case_status(row.folder_id, "SI_INTG_ERROR")
    assert sync_hubee.call()["statuses_changed"] == 0
    hubee.set_case_status(row.folder_id, "IN_PROGRESS")
    assert sync_hubee.call()["statuses_changed"] == 1
    submission.refresh_from_db()
    assert submission.status == "in_progress"
    entry = DossierLogEntry.objects.filter(object_id=str(submission.pk), action="wagtail_qf.status").get()
    assert entry.data["message"] == "Statut HubEE : IN_PROGRESS" and entry.user is None
    hubee.set_case_status(row.folder_id, "DONE")
    assert sync_hubee.call()["closed"] == 1  # done: the case and folder are closed at HubEE
    submission.refresh_from_db()
    assert submission.status == "done"
    assert hubee.folders[row.folder_id]["globalStatus"] == "CLOSED"
    hubee.set_case_status(row.folder_id, "IN_PROGRESS")  # a closed dossier is no longer polled
    assert sync_hubee.call()["statuses_changed"] == 0


def test_a_failing_poll_is_logged_and_the_others_go_on(hubee, transmit, caplog, polling):
    first, second = transmit(token="a"), transmit(token="b")
    for submission in (first, second):
        hubee.set_case_status(HubEEForwarding.objects.get(submission=submission).folder_id, "DONE")
    hubee.fail("status", 500)
    with caplog.at_level(logging.INFO, logger="wagtail_qf"):
        assert sync_hubee.call()["statuses_changed"] == 1
    text = caplog.text
    assert "hubee poll failed" in text
    assert "DUPONT" not in text and CLIENT_SECRET not in text


def test_a_broken_receiver_never_reaches_the_citizen(make_qf_page, transmit, caplog):
    from wagtail_qf.signals import submission_created

    def broken(**kwargs):
        raise RuntimeError("boom")

    submission_created.connect(broken)
    try:
        with caplog.at_level(logging.ERROR, logger="wagtail_qf"):
            submission = transmit(forward=False)
    finally:
        submission_created.disconnect(broken)
    assert Submission.objects.filter(pk=submission.pk).exists()
    assert "receiver of submission_created failed" in caplog.text and "RuntimeError" in caplog.text


def test_the_agent_sees_where_the_forwarding_stands(hubee, transmit, admin_client):
    from django.urls import reverse

    hubee.fail("complete", 503)
    submission = transmit()
    detail = reverse("wagtail_qf_submissions:inspect", args=[submission.pk])
    page = admin_client.get(detail).content.decode()
    assert "Nouvel essai prévu" in page and "HubEE indisponible, après 1 essai(s)" in page
    HubEEForwarding.objects.update(next_attempt_at=timezone.now())
    from django.core.management import call_command

    call_command("qf_hubee", stdout=open("/dev/null", "w"))
    page = admin_client.get(detail).content.decode()
    folder_id = HubEEForwarding.objects.get().folder_id
    assert "Déposé" in page and f"dossier HubEE {folder_id}" in page
