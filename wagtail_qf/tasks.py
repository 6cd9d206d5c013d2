"""Background work on django-tasks (immediate backend by default, database backend in production)."""

import logging

from django_tasks import task

from .dossiers.messages import deliver_family_email  # noqa: F401  (e-mails to the family)
from .dossiers.notifications import notify_new_submission  # noqa: F401  (its path stays the same)

logger = logging.getLogger("wagtail_qf.tasks")


@task()
def purge_expired_submissions() -> int:
    """Anonymise the dossiers past their retention period (schedule it daily)."""
    from .dossiers.retention import purge

    return purge()


@task()
def check_identity(submission_id: int) -> str:
    """Check a dossier made without FranceConnect with API Particulier (``journey.lookup``).

    django-tasks has no automatic retry: when the dossier must be tried again (upstream
    error, daily budget spent) the task re-enqueues itself with ``run_after``, if the
    backend can defer tasks; otherwise ``manage.py qf_lookups`` (cron) does it."""
    from .journey.lookup import check

    outcome = check(submission_id)
    if outcome.retry_at is not None and check_identity.get_backend().supports_defer:
        check_identity.using(run_after=outcome.retry_at).enqueue(submission_id)
    return outcome.lookup


@task()
def run_identity_checks() -> dict[str, int]:
    """Check the dossiers without FranceConnect that are due (schedule it, e.g. every 15 minutes)."""
    from .journey.lookup import run_due

    return run_due()
