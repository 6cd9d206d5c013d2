"""django-tasks jobs of the HubEE forwarding, and the receiver that starts them."""

import logging

from django_tasks import task

from ..models import HubEEForwarding, HubEEState
from . import forwarding

logger = logging.getLogger("wagtail_qf.hubee")


@task()
def deposit_to_hubee(submission_id: int) -> None:
    """One deposit attempt; its retry enqueued at the forwarding's next attempt when the backend can wait."""
    result = forwarding.deposit(submission_id)
    if (
        result is not None
        and result.state == HubEEState.RETRY
        and deposit_to_hubee.get_backend().supports_defer
    ):
        # The backend can wait: it runs the retry itself (else sync_hubee will).
        deposit_to_hubee.using(run_after=result.next_attempt_at).enqueue(submission_id)


@task()
def sync_hubee() -> dict | None:
    """Retry due deposits, read HubEE's notifications, close processed cases: schedule it (every 15 minutes)."""
    if forwarding.configured():
        return forwarding.sync()
    return None


def forward_new_submission(sender, submission, page, **kwargs) -> None:
    """Receiver of ``submission_created``: a forwarding row and a deposit task for opted-in pages."""
    if forwarding.wants_forwarding(page):
        HubEEForwarding.objects.get_or_create(submission=submission)
        deposit_to_hubee.enqueue(submission.pk)
