"""The e-mails to the page's address when a dossier arrives, and when the family sends complements."""

import logging

from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.admin.utils import get_admin_base_url

logger = logging.getLogger("wagtail_qf.tasks")


@task()
def notify_new_submission(submission_id: int) -> None:
    """E-mail the page's address that a dossier arrived: a link, no personal data."""
    _email_page(
        submission_id,
        _("Nouveau dossier de quotient familial – %(page)s"),
        _(
            "Un nouveau dossier de quotient familial a été transmis sur la page « %(page)s ».\n\n"
            "Consultez-le dans l'administration du site :\n%(url)s\n"
        ),
    )


@task()
def notify_complement_received(submission_id: int) -> None:
    """E-mail the page's address that the family answered a request for complements."""
    _email_page(
        submission_id,
        _("Compléments reçus pour un dossier de quotient familial – %(page)s"),
        _(
            "Une famille a répondu à votre demande de compléments sur la page « %(page)s ».\n\n"
            "Consultez le dossier dans l'administration du site :\n%(url)s\n"
        ),
    )


def _email_page(submission_id: int, subject: str, body: str) -> None:
    """``subject`` and ``body`` (with ``%(page)s`` and ``%(url)s``: the dossier's admin address) to
    the page's notification address, if it has one: a link, no personal data. Nothing for a
    dossier gone since the task was queued."""
    from ..models import Submission

    submission = Submission.objects.select_related("page").filter(pk=submission_id).first()
    if submission is None:
        return
    page = submission.page.specific
    recipient = getattr(page, "notification_email", "")
    if not recipient:
        return
    url = get_admin_base_url() + reverse("wagtail_qf_submissions:inspect", args=[submission.pk])
    values = {"page": page.title, "url": url}
    send_mail(subject=subject % values, message=body % values, from_email=None, recipient_list=[recipient])
    logger.info("notification sent page=%s", page.pk)
