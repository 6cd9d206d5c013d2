"""Background work on django-tasks (immediate backend by default, database backend in production)."""

import logging

from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.admin.utils import get_admin_base_url

logger = logging.getLogger("wagtail_qf.tasks")


@task()
def notify_new_submission(submission_id: int):
    """E-mail the page's address that a dossier arrived: a link, no personal data."""
    from .models import Submission

    submission = Submission.objects.select_related("page").filter(pk=submission_id).first()
    if submission is None:
        return
    page = submission.page.specific
    recipient = getattr(page, "notification_email", "")
    if not recipient:
        return
    url = get_admin_base_url() + reverse("wagtail_qf_submissions:inspect", args=[submission.pk])
    send_mail(
        subject=_("Nouveau dossier de quotient familial – %(page)s") % {"page": page.title},
        message=_(
            "Un nouveau dossier de quotient familial a été transmis sur la page « %(page)s ».\n\n"
            "Consultez-le dans l'administration du site :\n%(url)s\n"
        ) % {"page": page.title, "url": url},
        from_email=None,
        recipient_list=[recipient],
    )
    logger.info("notification sent page=%s", page.pk)


@task()
def purge_expired_submissions():
    """Anonymise the dossiers past their retention period (schedule it daily)."""
    from .retention import purge

    return purge()


@task()
def check_identity(submission_id: int):
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
def run_identity_checks():
    """Check the dossiers without FranceConnect that are due (schedule it, e.g. every 15 minutes)."""
    from .journey.lookup import run_due

    return run_due()
