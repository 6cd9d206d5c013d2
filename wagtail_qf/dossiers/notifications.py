"""The e-mail to the page's address when a dossier arrives."""

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
    from ..models import Submission

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
        )
        % {"page": page.title, "url": url},
        from_email=None,
        recipient_list=[recipient],
    )
    logger.info("notification sent page=%s", page.pk)
