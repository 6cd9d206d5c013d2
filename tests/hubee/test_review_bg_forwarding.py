"""HubEE forwarding, reviewed for what runs in the background: an answer that cannot be read, a
rate limit, a retry that waits its turn, a closing cut short."""

import datetime

import httpx
import pytest
from django.utils import timezone

from wagtail_qf.hubee import forwarding
from wagtail_qf.hubee.tasks import sync_hubee
from wagtail_qf.models import HubEEForwarding, HubEEState

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(hubee, make_qf_page, make_submission):
    return make_submission(make_qf_page(forward_to_hubee=True))


def test_an_answer_that_is_not_the_gzip_it_claims_is_retried_later(hubee, submission):
    bad_gateway = httpx.Response(
        502, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(b"<html>Bad Gateway</html>")
    )
    hubee.fail("create", bad_gateway)
    row = forwarding.deposit(submission.pk)
    assert (row.state, row.last_error) == (HubEEState.RETRY, "bad_answer")


def test_a_rate_limit_is_retried_after_the_wait_hubee_asks(hubee, submission):
    hubee.fail("create", httpx.Response(429, headers={"Retry-After": "3600"}))
    before = timezone.now()
    row = forwarding.deposit(submission.pk)
    assert (row.state, row.last_error) == (HubEEState.RETRY, "http_429")
    assert row.next_attempt_at >= before + datetime.timedelta(hours=1)


def test_a_deposit_waiting_for_its_retry_is_not_sent_before_it_is_due(hubee, submission):
    """A task queued for an earlier attempt (or delivered twice) finds the deposit waiting: HubEE's
    Retry-After and the backoff are kept, and no attempt is spent."""
    hubee.fail("create", httpx.Response(503, headers={"Retry-After": "3600"}))
    waiting = forwarding.deposit(submission.pk)
    row = forwarding.deposit(submission.pk)
    assert (row.state, row.attempts, row.next_attempt_at) == (HubEEState.RETRY, 1, waiting.next_attempt_at)
    assert [c.request.method for c in hubee.router.calls if c.request.url.path.endswith("/folders")] == [
        "POST"
    ]

    HubEEForwarding.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert forwarding.deposit(submission.pk).state == HubEEState.DEPOSITED


@pytest.mark.parametrize("cut_short", ["close_event", "complete"])  # ``complete``: any PATCH of the folder
def test_a_closing_cut_short_after_the_case_was_closed_is_finished_later(hubee, submission, cut_short):
    row = forwarding.deposit(submission.pk)
    hubee.si_event(row.folder_id, "DONE")
    hubee.fail(cut_short, 503)  # HubEE closed the case, then failed: the closing is taken up at the run's end
    assert [sync_hubee.call()["closed"] for _run in range(3)] == [1, 0, 0]
    assert hubee.folders[row.folder_id]["globalStatus"] == "CLOSED"
    row.refresh_from_db()
    assert row.closed_at is not None
