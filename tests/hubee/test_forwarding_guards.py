"""What the HubEE forwarding guarantees, each where a silent change would break it (issue 23:
mutation testing of ``hubee/forwarding.py``): the commune gets each dossier once and only its
own, the folder id is stored before anything can fail, a folder HubEE deleted is forgotten, the
recipient's branch code, a refusal put back to deposit, the retries' limits, what is polled,
what the operator's summary counts, what is deposited."""

import datetime
import json
from io import StringIO

import httpx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.fakes.hubee import BASE_URL, SETTINGS, HubEEFake
from wagtail_qf.hubee import forwarding
from wagtail_qf.models import HubEEForwarding, HubEEState, QFTransmissionPage

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


class WorkerStopped(BaseException):
    """The worker is stopped in the middle of a call (deploy, out of memory): nothing of ours runs
    after (a ``BaseException``, as ``SystemExit``: no ``except Exception`` of ours catches it)."""


def set_row(row, **fields):
    """Change a forwarding row in the database only (``updated_at`` as given, not now)."""
    HubEEForwarding.objects.filter(pk=row.pk).update(**fields)
    row.refresh_from_db()


def folder_reads(fake, folder_id):
    """How many times HubEE was asked for this folder (``GET /folders/{id}``)."""
    return sum(
        c.request.method == "GET" and str(c.request.url) == f"{BASE_URL}/folders/{folder_id}"
        for c in fake.router.calls
    )


# -- the commune gets each dossier once, and only its own ------------------------------------
def test_a_worker_stopped_after_hubee_created_the_folder_leaves_its_id_for_the_next_one(
    hubee, make_qf_page, make_submission
):
    submission = make_submission(make_qf_page(forward_to_hubee=True))
    hubee.lose_answer("complete", WorkerStopped)  # HubEE completes the folder, the worker dies
    with pytest.raises(WorkerStopped):
        forwarding.deposit(submission.pk)
    row = HubEEForwarding.objects.get(submission=submission)
    (folder,) = hubee.folders.values()
    assert row.state == HubEEState.SENDING
    assert (row.folder_id, row.case_id) == (folder["id"], folder["cases"][0]["id"])

    set_row(row, updated_at=timezone.now() - forwarding.STALE_SENDING - MINUTE)
    row = forwarding.deposit(submission.pk)
    assert row.state == HubEEState.DEPOSITED and len(hubee.created_bodies) == 1  # found, not sent again
    assert row.case_id == folder["cases"][0]["id"]  # its events will find the dossier


def test_each_dossier_is_deposited_alone_in_its_own_folder(hubee, make_qf_page, make_submission):
    page = make_qf_page(forward_to_hubee=True)
    older, newer = make_submission(page), make_submission(page)
    for submission in (older, newer):
        HubEEForwarding.objects.create(submission=submission)

    assert forwarding.deposit(older.pk).state == HubEEState.DEPOSITED
    waiting = HubEEForwarding.objects.get(submission=newer)
    assert (waiting.state, waiting.attempts, waiting.folder_id) == (HubEEState.PENDING, 0, "")

    assert forwarding.deposit(newer.pk).state == HubEEState.DEPOSITED
    assert len(hubee.folders) == 2
    for submission in (older, newer):
        row = HubEEForwarding.objects.get(submission=submission)
        assert hubee.folders[row.folder_id]["externalId"] == submission.reference


def test_a_second_worker_never_deposits_a_dossier_being_sent(hubee, transmit):
    hubee.fail("create", 503)
    row = HubEEForwarding.objects.get(submission=transmit())
    # Its retry is due; the row was last written an hour ago (longer than a stale deposit's wait).
    set_row(row, next_attempt_at=timezone.now(), updated_at=timezone.now() - datetime.timedelta(hours=1))
    create = next(
        r for r in hubee.router.routes if r.pattern.match(httpx.Request("POST", f"{BASE_URL}/folders"))
    )
    first_worker, second_worker = create.side_effect, []

    def while_hubee_answers(request, **params):
        second_worker.append(forwarding.deposit(row.submission_id))
        return first_worker(request, **params)

    create.side_effect = while_hubee_answers
    assert forwarding.deposit(row.submission_id).state == HubEEState.DEPOSITED
    assert [r.state for r in second_worker] == [HubEEState.SENDING]
    assert len(hubee.folders) == 1
    row.refresh_from_db()
    assert row.attempts == 2


@pytest.mark.parametrize("state", [HubEEState.DEPOSITED, HubEEState.FAILED, HubEEState.UNREGISTERED])
def test_a_deposit_settled_long_ago_is_not_sent_again(hubee, transmit, state):
    row = HubEEForwarding.objects.get(submission=transmit())
    set_row(row, state=state, updated_at=timezone.now() - datetime.timedelta(days=1))
    assert forwarding.deposit(row.submission_id).state == state  # e.g. a task delivered twice
    assert len(hubee.created_bodies) == 1


def test_a_deposit_cut_short_is_taken_over_after_fifteen_minutes(hubee, transmit):
    hubee.fail("create", 503)
    row = HubEEForwarding.objects.get(submission=transmit())
    set_row(row, state=HubEEState.SENDING, updated_at=timezone.now() - datetime.timedelta(minutes=14))
    assert forwarding.deposit(row.submission_id).state == HubEEState.SENDING and not hubee.folders
    set_row(row, updated_at=timezone.now() - datetime.timedelta(minutes=15, seconds=5))
    assert forwarding.deposit(row.submission_id).state == HubEEState.DEPOSITED


# -- a folder HubEE deleted is forgotten -----------------------------------------------------
def test_a_rolled_back_folder_is_forgotten_and_never_asked_for(hubee, transmit):
    hubee.fail("upload", 500)
    row = HubEEForwarding.objects.get(submission=transmit())
    (deleted,) = hubee.deleted
    assert (row.state, row.folder_id, row.case_id) == (HubEEState.RETRY, "", "")

    set_row(row, next_attempt_at=timezone.now())
    assert forwarding.deposit(row.submission_id).state == HubEEState.DEPOSITED
    assert folder_reads(hubee, deleted) == 0


def test_a_half_made_folder_deleted_before_a_failed_creation_is_forgotten(
    hubee, make_qf_page, make_submission
):
    submission = make_submission(make_qf_page(forward_to_hubee=True))
    hubee.fail("upload", 503)
    hubee.fail("delete", 503)  # the rollback fails: the folder waits, half-made, at HubEE
    half_made = forwarding.deposit(submission.pk).folder_id

    hubee.fail("create", 503)
    HubEEForwarding.objects.filter(submission=submission).update(next_attempt_at=timezone.now())  # due
    row = forwarding.deposit(submission.pk)
    assert hubee.deleted == [half_made]
    assert (row.state, row.folder_id, row.case_id) == (HubEEState.RETRY, "", "")
    row.refresh_from_db()
    assert (row.folder_id, row.case_id) == ("", "")

    set_row(row, next_attempt_at=timezone.now())
    row = forwarding.deposit(submission.pk)
    assert row.state == HubEEState.DEPOSITED and folder_reads(hubee, half_made) == 1


# -- the recipient, a refusal put back to deposit --------------------------------------------
def test_a_refusal_retried_once_the_page_s_code_is_corrected_goes_to_the_corrected_branch(
    hubee, make_qf_page, make_submission
):
    # The page was set up with the wrong commune: HubEE knows its SIRET with the code 35051.
    page = make_qf_page(
        forward_to_hubee=True, commune_cog="35238", commune_postcode="35000", commune_name="Rennes"
    )
    submission = make_submission(page, commune_cog="35238", commune_name="Rennes")
    assert forwarding.deposit(submission.pk).state == HubEEState.UNREGISTERED

    QFTransmissionPage.objects.filter(pk=page.pk).update(commune_cog="35051")
    assert forwarding.retry_refused() == 1
    row = forwarding.deposit(submission.pk)
    assert row.state == HubEEState.DEPOSITED
    assert hubee.folders[row.folder_id]["cases"][0]["recipient"]["branchCode"] == "35051"


def test_a_refusal_put_back_to_deposit_starts_afresh(hubee, transmit, settings, admin_client):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": {**SETTINGS, "MAX_ATTEMPTS": 2}}
    deposited = HubEEForwarding.objects.get(submission=transmit(token="a"))
    hubee.fail("create", 400)
    failed = HubEEForwarding.objects.get(submission=transmit(token="b"))
    hubee.fail(
        "create", httpx.Response(400, json={"errors": [{"message": "Case recipient SI-x does not exist"}]})
    )
    refused = HubEEForwarding.objects.get(submission=transmit(token="c"))
    assert (failed.state, refused.state) == (HubEEState.FAILED, HubEEState.UNREGISTERED)

    assert forwarding.retry_refused() == 1
    refused.refresh_from_db()
    assert (refused.state, refused.last_error, refused.attempts) == (HubEEState.PENDING, "", 0)
    detail = admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[refused.submission_id]))
    assert "À déposer" in detail.content.decode() and "erreur" not in detail.content.decode()
    for row, state in ((deposited, HubEEState.DEPOSITED), (failed, HubEEState.FAILED)):
        row.refresh_from_db()
        assert row.state == state

    hubee.fail("create", 503)  # the first try after the refusal meets HubEE down: one more is left
    assert forwarding.deposit(refused.submission_id).state == HubEEState.RETRY


def test_hubee_s_retry_after_waits_at_most_six_hours(hubee, transmit):
    hubee.fail("create", httpx.Response(503, headers={"Retry-After": "86400"}))
    before = timezone.now()
    row = HubEEForwarding.objects.get(submission=transmit())
    six_hours = datetime.timedelta(hours=6)
    assert before + six_hours <= row.next_attempt_at <= timezone.now() + six_hours


# -- what is polled, what the operator is told -----------------------------------------------
def test_only_deposited_dossiers_not_anonymised_are_polled(hubee, transmit, settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": {**SETTINGS, "POLL_STATUSES": True}}
    anonymised = HubEEForwarding.objects.get(submission=transmit(token="a"))
    type(anonymised.submission).objects.filter(pk=anonymised.submission_id).update(
        anonymised_at=timezone.now()
    )
    hubee.fail("upload", 503)
    hubee.fail("delete", 503)
    waiting = HubEEForwarding.objects.get(submission=transmit(token="b"))  # half-made, retried later
    assert waiting.state == HubEEState.RETRY and waiting.folder_id
    for row in (anonymised, waiting):
        hubee.set_case_status(row.folder_id, "IN_PROGRESS")

    assert forwarding.sync()["statuses_changed"] == 0
    for row in (anonymised, waiting):
        assert folder_reads(hubee, row.folder_id) == 0
        row.submission.refresh_from_db()
        assert row.submission.status == "new"


def test_the_operator_s_summary_counts_only_what_happened(hubee, transmit):
    hubee.fail("create", 503, times=2)  # the deposit and its retry
    row = HubEEForwarding.objects.get(submission=transmit())
    set_row(row, next_attempt_at=timezone.now())
    hubee.fail("notifications", 503)
    out = StringIO()
    with pytest.raises(CommandError, match="HubEE n'a pas donné ses notifications"):
        call_command("qf_hubee", stdout=out)  # a non-zero exit: a scheduler sees the outage
    assert "Dépôts relancés : 1 (réussis : 0)" in out.getvalue()
    assert "notifications lues : 0 (événements appliqués : 0)" in out.getvalue()


def test_a_transport_given_carries_every_call(settings, make_qf_page, make_submission):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": SETTINGS}
    fake = HubEEFake()  # not patched in: only the transport given reaches it
    transport = httpx.MockTransport(fake.router.handler)
    submission = make_submission(make_qf_page(forward_to_hubee=True))
    row = forwarding.deposit(submission.pk, transport=transport)
    assert row.state == HubEEState.DEPOSITED and row.folder_id in fake.folders
    fake.si_event(row.folder_id, "IN_PROGRESS")
    assert forwarding.sync(transport=transport)["events"] == 1


# -- what is deposited -----------------------------------------------------------------------
@pytest.mark.parametrize("missing", ["given_names", "family_name"])
def test_a_person_without_a_given_or_family_name_is_deposited_with_a_dash(
    hubee, make_qf_page, make_submission, missing
):
    submission = make_submission(make_qf_page(forward_to_hubee=True), **{missing: ""})
    row = forwarding.deposit(submission.pk)
    assert row.state == HubEEState.DEPOSITED
    applicant = json.loads(hubee.created_bodies[0])["applicant"]
    assert applicant[{"given_names": "firstName", "family_name": "lastName"}[missing]] == "-"


def test_the_deposited_json_is_utf8_text_a_person_can_read(hubee, transmit):
    submission = transmit()
    folder = hubee.folders[HubEEForwarding.objects.get(submission=submission).folder_id]
    (body,) = [hubee.contents[a["id"]] for a in folder["attachments"] if a["fileName"].endswith(".json")]
    text = body.decode("utf-8")
    assert "Cesson-Sévigné" in text  # as written, not \u00e9
    lines = text.splitlines()
    assert len(lines) > 10 and lines[1].startswith(" ")  # one field a line, indented


def test_a_deposit_failing_on_our_side_is_retried_then_failed_not_left_sending(
    hubee, make_qf_page, make_submission, settings, monkeypatch, caplog
):
    """Our own side fails while preparing the folder (its PDF, a dossier an import made wrong): the
    deposit is retried like an outage and ends « failed » for the agents to see, not left
    « sending », taken up again every 15 minutes with its attempts counted without end."""
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": {**SETTINGS, "MAX_ATTEMPTS": 2}}
    submission = make_submission(make_qf_page(forward_to_hubee=True), family_name="Zoé Personne")

    def broken(_submission):
        raise ValueError("Zoé Personne")  # a message that may hold the family's data

    monkeypatch.setattr("wagtail_qf.summary_pdf.render_submission_pdf", broken)
    row = forwarding.deposit(submission.pk)
    assert (row.state, row.attempts, row.last_error) == (HubEEState.RETRY, 1, "internal")
    HubEEForwarding.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    row = forwarding.deposit(submission.pk)
    assert (row.state, row.attempts) == (HubEEState.FAILED, 2)
    assert not hubee.folders  # nothing reached HubEE
    assert "ValueError" in caplog.text and "Zoé" not in caplog.text


def test_what_a_sync_writes_while_a_deposit_completes_is_kept(settings, make_qf_page, make_submission):
    """The commune's software answers as soon as the folder is complete: a sync in another worker
    applies its event before the deposit writes its outcome. The deposit writes only what it
    changed, not the case status and event read meanwhile."""
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": SETTINGS}
    fake = HubEEFake()
    submission = make_submission(make_qf_page(forward_to_hubee=True))

    def handler(request):
        response = fake.router.handler(request)
        if request.method == "PATCH" and "/folders/" in str(request.url):  # completed: the other worker
            HubEEForwarding.objects.filter(submission=submission).update(
                case_status="SI_RECEIVED", last_event_id="event-of-the-commune"
            )
        return response

    row = forwarding.deposit(submission.pk, transport=httpx.MockTransport(handler))
    assert row.state == HubEEState.DEPOSITED
    row.refresh_from_db()
    assert (row.state, row.case_status, row.last_event_id) == (
        HubEEState.DEPOSITED,
        "SI_RECEIVED",
        "event-of-the-commune",
    )


def test_a_deposit_under_way_says_so_after_each_file(settings, make_qf_page, make_submission):
    """A deposit counts as stuck (and another worker takes it over) after ``STALE_SENDING``
    without news; uploads of large files may together take longer than that. Each file HubEE
    received is news: the row's time moves on, so that a live deposit is never taken over."""
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": SETTINGS}
    fake = HubEEFake()
    submission = make_submission(make_qf_page(forward_to_hubee=True))
    seen = []

    def handler(request):
        if request.method in ("PUT", "PATCH"):  # each upload, then the completion
            seen.append(HubEEForwarding.objects.get(submission=submission).updated_at)
        return fake.router.handler(request)

    row = forwarding.deposit(submission.pk, transport=httpx.MockTransport(handler))
    assert row.state == HubEEState.DEPOSITED and len(seen) >= 3
    assert seen == sorted(seen) and len(set(seen)) == len(seen)  # later after each file
