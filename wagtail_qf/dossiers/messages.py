"""E-mails to the family: an agent's message (with a change of status, or alone), and the short
notice of a change of status that a page may ask for (issue 18).

Each e-mail is one history entry « Information transmise à la personne concernée »
(``history.MESSAGE``) holding the message and the delivery state that the task keeps:
``queued``, then ``sent`` or ``failed``. The task sends it once: a delivery whose entry is no
longer queued is not sent again. django-tasks has no automatic retry: a sending the SMTP
server refused for a while is re-enqueued with ``run_after`` (``upstream.backoff_delay``) when
the backend can defer tasks (database backend); with the immediate backend of the demos, one
attempt only.

The subject carries no personal data; the body the message, the dossier's reference and the
page's address, in the language the family transmitted in (``family_language``: else the page's),
never the agent's, from templates a site can override
(``wagtail_qf/emails/<language>/family_message{_subject.txt,.txt,.html}``, French when that
language has none). Without an address, a message is kept on the dossier all the same, marked not
sent (``failed``, ``no_address``): the agents see it went nowhere, the family can read it on the
follow-up page after a FranceConnect login.

The family is told of every change of status by ``history.change_status`` (and its bulk and
« Reçu » variants), whoever made it: the views, HubEE and the API never call ``tell_status``
themselves. An agent's message queued for the family is announced to the editors'
webhooks (``MESSAGE_SENT``); a notice is not.
"""

import datetime
import logging
import smtplib

from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, select_template
from django.utils import timezone, translation
from django_tasks import task
from wagtail.log_actions import log
from wagtail.models import Page

from ..conf import qf_settings
from ..models import DossierLogEntry, Submission, SubmissionStatus
from ..upstream import backoff_delay
from . import history

logger = logging.getLogger("wagtail_qf.dossiers.messages")

# What became of a request to write to the family.
QUEUED = history.QUEUED  # an e-mail is on its way (its entry in the history says how it went)
NO_ADDRESS = "no_address"  # nothing sent: no address known (the agent is told)
NOT_ASKED = "not_asked"  # a change of status without message, on a page that sends no notice
ALREADY_SENT = "already_sent"  # the same form sent again: nothing written, nothing sent
# The delivery state of a message kept on a dossier without address: never sent.
NOT_SENT = {"state": history.FAILED, "attempts": 0, "error": NO_ADDRESS}

# The editors' webhook event of a message queued for the family.
MESSAGE_SENT = "dossier.message_sent"

DEFAULT_LANGUAGE = "fr"
TEMPLATES = "wagtail_qf/emails/{language}/family_message{suffix}"


def send_message(submission, user, message: str, *, status: str = "", sending=None) -> str:
    """E-mail ``message`` of ``user`` (an agent) to the family; ``status``: the dossier's new status,
    when the message comes with a change of it; ``sending``: the UUID of the form it was typed in,
    kept in its entry. ``QUEUED``, ``NO_ADDRESS``, or ``ALREADY_SENT`` when that form was sent
    already: the same form posted again (a double click, the browser's « send again ») does not
    write to the family twice, checked under a lock on the dossier so two requests at once cannot
    both pass."""
    data = {"message": message, "status": status}
    if not sending:
        return _queue(submission, user, data)
    data["sending"] = str(sending)
    with transaction.atomic():
        list(Submission.objects.select_for_update().filter(pk=submission.pk).values_list("pk", flat=True))
        if _already_sent(submission, sending):
            return ALREADY_SENT
        return _queue(submission, user, data)


def _already_sent(submission, sending) -> bool:
    return bool(sending) and (
        DossierLogEntry.objects.for_instance(submission)
        .filter(action=history.MESSAGE, data__sending=str(sending))
        .exists()
    )


def tell_status(submission, user, status: str, message: str = "") -> str:
    """After a change of status (``history.change_status``): the message if there is one, else the
    short notice the page may ask for (``notify_status_changes``). ``QUEUED``, ``NO_ADDRESS`` or
    ``NOT_ASKED``."""
    if message:
        return send_message(submission, user, message, status=status)
    if not getattr(submission.page.specific, "notify_status_changes", False):
        return NOT_ASKED
    return _queue(submission, user, {"notice": True, "status": status})


def tell_status_many(submission_ids, user, status: str, message: str = "", *, action=None) -> int:
    """``tell_status`` for a batch of dossiers whose status just changed
    (``history.change_status_many``): one history entry per dossier that has an address, in one
    insert (``action``: the bulk action's UUID), each e-mail enqueued once committed; a message is
    kept too on the dossiers without address, marked not sent (``_queue``). How many e-mails."""
    live = Submission.objects.filter(pk__in=submission_ids, anonymised_at__isnull=True)
    reachable = live.exclude(email="")
    data = {"message": message, "status": status} if message else {"notice": True, "status": status}
    if not message:
        reachable = reachable.filter(page__in=_pages_sending_notices(reachable))
    rows = list(reachable.values_list("pk", "reference"))
    unsent = list(live.filter(email="").values_list("pk", "reference")) if message else []
    if not rows and not unsent:
        return 0
    content_type = ContentType.objects.get_for_model(Submission)
    now = timezone.now()

    def new_entry(pk, reference, delivery):
        return DossierLogEntry(
            content_type=content_type,
            object_id=str(pk),
            label=reference,
            action=history.MESSAGE,
            data={**data, **delivery},
            timestamp=now,
            user=user,
            uuid=action,
        )

    entries = DossierLogEntry.objects.bulk_create(
        [new_entry(pk, reference, {"state": QUEUED, "attempts": 0}) for pk, reference in rows]
        + [new_entry(pk, reference, NOT_SENT) for pk, reference in unsent]
    )
    entry_ids = [entry.pk for entry in entries[: len(rows)]]
    if not entry_ids:
        return 0
    told = [pk for pk, _reference in rows] if message else []
    transaction.on_commit(lambda: _enqueue_all(entry_ids, told))
    return len(entry_ids)


def _pages_sending_notices(submissions) -> list[int]:
    """Of the pages of ``submissions``, those that send the short notice (``notify_status_changes``)."""
    pages = Page.objects.filter(pk__in=submissions.values("page_id")).specific()
    return [page.pk for page in pages if getattr(page, "notify_status_changes", False)]


def _queue(submission, user, data: dict) -> str:
    if not submission.email or submission.anonymised_at:
        logger.info("family e-mail not sent: no address page=%s", submission.page_id)
        if data.get("message") and not submission.anonymised_at:
            # What the commune wrote stays on the dossier, marked not sent: the agents see it went
            # nowhere, the family reads it on the follow-up page (after a FranceConnect login).
            log(submission, history.MESSAGE, user=user, data={**data, **NOT_SENT})
        return NO_ADDRESS
    entry = log(submission, history.MESSAGE, user=user, data={**data, "state": QUEUED, "attempts": 0})
    transaction.on_commit(lambda: deliver_family_email.enqueue(entry.pk))
    if data.get("message"):
        history.announce(MESSAGE_SENT, submission)
    return QUEUED


def _enqueue_all(entry_ids, told) -> None:
    """Once a batch is committed: its e-mails enqueued; the dossiers ``told`` a message announced."""
    for entry_id in entry_ids:
        deliver_family_email.enqueue(entry_id)
    for submission in Submission.objects.filter(pk__in=told).select_related("page").iterator():
        history.announce(MESSAGE_SENT, submission)


def language_of(page) -> str:
    """The language of the page (Wagtail's locale), which the family read it in: "fr", "en"…"""
    locale = getattr(page, "locale", None)
    code = getattr(locale, "language_code", "") or DEFAULT_LANGUAGE
    return code.split("-")[0].lower()


def family_language(submission, page) -> str:
    """The language the family read the journey in when it transmitted the dossier, kept by the
    first line of its history (``history.record_transmission``); else the page's. Never the
    language of whoever writes to it (an agent's admin, a worker)."""
    code = history.transmission_data(submission).get("language", "")
    code = code.split("-")[0].lower() if isinstance(code, str) else ""
    return code if code.isascii() and code.isalpha() else language_of(page)


def email_language(templates: str, *languages: str) -> str:
    """Of ``languages``, the first the e-mail ``templates`` (``{language}``, ``{suffix}``) are written
    in, else French: the whole e-mail in one language, its words and the labels it shows."""
    for language in (*languages, DEFAULT_LANGUAGE):
        try:
            get_template(templates.format(language=language, suffix=".txt"))
        except TemplateDoesNotExist:
            continue
        return language
    return DEFAULT_LANGUAGE


def build_email(submission, data: dict) -> EmailMultiAlternatives:
    """The e-mail of a history entry's ``data``, in the family's language (``family_language``)."""
    page = submission.page.specific
    language = email_language(TEMPLATES, family_language(submission, page), language_of(page))
    status = data.get("status", "")
    page_url = page.get_full_url() or ""
    # « Suivre ma demande »: the dossier, its status and the messages, after a FranceConnect login
    # (dossiers transmitted with it) or a link by e-mail (pages that send one); else no way in.
    can_follow_up = bool(submission.follow_up_key) or bool(getattr(page, "follow_up_by_email", False))
    context = {
        "message": data.get("message", ""),
        "notice": bool(data.get("notice")),
        "reference": submission.reference,
        "commune": getattr(page, "commune_name", "") or page.title,
        "page_title": page.title,
        "page_url": page_url,
        "follow_up_url": page_url + page.reverse_subpage("step_follow_up")
        if page_url and can_follow_up
        else "",
    }

    def render(suffix) -> str:
        names = [TEMPLATES.format(language=name, suffix=suffix) for name in (language, DEFAULT_LANGUAGE)]
        return select_template(names).render(context)

    with translation.override(language):
        context["status"] = SubmissionStatus(status).label if status in SubmissionStatus.values else ""
        subject = " ".join(render("_subject.txt").split())  # one line, whatever the template
        email = EmailMultiAlternatives(
            subject=subject,
            body=render(".txt"),
            from_email=qf_settings.FAMILY_EMAILS["FROM_EMAIL"] or None,
            to=[submission.email],
            headers={"Auto-Submitted": "auto-generated"},  # RFC 3834: no automatic reply, please
        )
        email.attach_alternative(render(".html"), "text/html")
    return email


def _record(entry, state: str, attempt: int, error: str = "") -> None:
    entry.data.update(state=state, attempts=attempt, error=error)
    if state == history.SENT:
        entry.data["sent_at"] = timezone.now().isoformat()
    entry.save(update_fields=["data"])


@task()
def deliver_family_email(entry_id: int, attempt: int = 1) -> bool:
    """Send the e-mail of a history entry; a refused sending is enqueued again
    (``FAMILY_EMAILS["MAX_ATTEMPTS"]`` in all), its final failure recorded."""
    entry = DossierLogEntry.objects.filter(pk=entry_id, action=history.MESSAGE).first()
    if entry is None or entry.data.get("state") != QUEUED:
        return False  # gone with its dossier, or already sent or given up: never twice
    submission = Submission.objects.select_related("page").filter(pk=int(entry.object_id)).first()
    if submission is None or not submission.email or submission.anonymised_at:
        _record(entry, history.FAILED, attempt, error=NO_ADDRESS)
        return False
    try:
        build_email(submission, entry.data).send()
    except smtplib.SMTPRecipientsRefused:  # the address itself is refused: retrying will not help
        logger.warning("family e-mail refused page=%s", submission.page_id)
        _record(entry, history.FAILED, attempt, error="recipient_refused")
        return False
    except (smtplib.SMTPException, OSError) as exc:  # server down, timeout, connection refused
        return _refused(entry, submission, attempt, exc)
    except Exception as exc:  # an address no header takes, a site's broken template: never left queued
        logger.error("family e-mail not sent page=%s error=%s", submission.page_id, type(exc).__name__)
        _record(entry, history.FAILED, attempt, error=type(exc).__name__)
        return False
    _record(entry, history.SENT, attempt)
    logger.info("family e-mail sent page=%s attempt=%s", submission.page_id, attempt)
    return True


def _refused(entry, submission, attempt: int, exc: Exception) -> bool:
    """A sending the server refused for a while: enqueued again later, or given up (recorded)."""
    settings = qf_settings.FAMILY_EMAILS
    if attempt >= settings["MAX_ATTEMPTS"] or not deliver_family_email.get_backend().supports_defer:
        logger.error(
            "family e-mail abandoned page=%s attempts=%s error=%s",
            submission.page_id,
            attempt,
            type(exc).__name__,
        )
        _record(entry, history.FAILED, attempt, error=type(exc).__name__)
        return False
    logger.warning(
        "family e-mail failed page=%s attempt=%s error=%s",
        submission.page_id,
        attempt,
        type(exc).__name__,
    )
    _record(entry, QUEUED, attempt, error=type(exc).__name__)
    delay = backoff_delay(attempt, base=settings["RETRY_DELAY_SECONDS"], cap=settings["MAX_DELAY_SECONDS"])
    run_after = timezone.now() + datetime.timedelta(seconds=delay)
    deliver_family_email.using(run_after=run_after).enqueue(entry.pk, attempt + 1)
    return False
