"""The e-mails to the page's address when a dossier arrives, and when the family sends complements.

They go to the commune's agents: in the site's language (``LANGUAGE_CODE``), whoever's request
enqueued them (the immediate backend runs them in the citizen's, maybe in English); a link to the
dossier in the admin (``WAGTAILADMIN_BASE_URL``, else the page's site: never a request's host) and
no personal data. A sending the server refuses is logged without the address, and given up: the
dossier is in the inbox all the same."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
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


def admin_url(page, path: str) -> str:
    """``path`` of the admin, absolute: on ``WAGTAILADMIN_BASE_URL``, else on the page's site;
    "" when neither is known."""
    base = get_admin_base_url()
    if not base:
        site = page.get_site()
        base = site.root_url if site is not None else ""
    return base.rstrip("/") + path if base else ""


def _email_page(submission_id: int, subject, body) -> None:
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
    url = admin_url(page, reverse("wagtail_qf_submissions:inspect", args=[submission.pk]))
    if not url:
        logger.warning("notification not sent: no admin address page=%s", page.pk)
        return
    values = {"page": page.title, "url": url}
    with translation.override(settings.LANGUAGE_CODE):
        email = EmailMessage(
            subject=" ".join((str(subject) % values).split()),  # one line, whatever the title holds
            body=str(body) % values,
            to=[recipient],
            headers={"Auto-Submitted": "auto-generated"},  # RFC 3834: no automatic reply, please
        )
    try:
        email.send()
    except (smtplib.SMTPException, OSError, ValueError) as exc:  # server down, address refused, bad header
        logger.warning("notification not sent page=%s error=%s", page.pk, type(exc).__name__)
        return
    logger.info("notification sent page=%s", page.pk)
