"""When the background check of a dossier made without FranceConnect is next due, and why it
failed: read by the check itself (``journey.lookup``) and by the dossier's display to the
agents (``dossier_display``), so both say the same.
"""

import datetime

from django.utils import timezone

from ..models.submissions import Lookup, SubmissionStatus
from ..particulier import errors

MAX_ATTEMPTS = 8
RETRY_DELAY = datetime.timedelta(minutes=15)  # 15, 30, 60… minutes after each failure,
RETRY_DELAY_MAX = datetime.timedelta(hours=6)  # at most this
CONFIGURATION_RETRY_DELAY = datetime.timedelta(days=1)
# ``lookup_error`` of a dossier waiting for the next day's budget.
BUDGET = "budget"
OPEN = (Lookup.PENDING, Lookup.FAILED)
# A dossier an agent refused, processed or closed is not checked any more: asking the CAF for the
# family's quotient would process personal data for nothing (and spend the page's budget).
SETTLED_STATUSES = (SubmissionStatus.REFUSED, SubmissionStatus.DONE, SubmissionStatus.CLOSED)


def is_configuration_error(code: str) -> bool:
    """Whether ``lookup_error`` says the commune's access was refused (the webmaster's to fix)."""
    cls = getattr(errors, code.split(":")[0], None)
    return isinstance(cls, type) and issubclass(cls, (errors.ServiceMisconfigured, errors.BadIdentity))


def retry_delay(submission) -> datetime.timedelta:
    if is_configuration_error(submission.lookup_error):
        return CONFIGURATION_RETRY_DELAY
    return min(RETRY_DELAY * 2 ** max(submission.lookup_attempts - 1, 0), RETRY_DELAY_MAX)


def is_abandoned(submission) -> bool:
    """Whether the check will not be made: the dossier was settled by an agent before it."""
    return submission.lookup in OPEN and submission.status in SETTLED_STATUSES


def next_attempt_at(submission, now=None) -> datetime.datetime | None:
    """When the dossier is next worth a call; None when it is settled or tried enough."""
    now = now or timezone.now()
    if submission.lookup not in OPEN or is_abandoned(submission):
        return None
    if submission.lookup == Lookup.FAILED:
        if submission.lookup_attempts >= MAX_ATTEMPTS:
            return None
        return (submission.lookup_at or now) + retry_delay(submission)
    return now  # pending: due, if the day's budget allows (``journey.lookup.check``)
