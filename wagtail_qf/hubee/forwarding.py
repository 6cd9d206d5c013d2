"""Forwarding dossiers to HubEE: the deposit, its retries, and the folder's life after it.

A page opts in (``forward_to_hubee``). Each new dossier gets a ``HubEEForwarding``
and a deposit task; a deposit that fails for a reason a retry can fix is tried
again later (by the backend when it can defer tasks, else by ``sync()``, which a
scheduler runs like the retention purge), up to ``MAX_ATTEMPTS``. The folder's id is
stored as soon as HubEE created it: a retry looks at that folder first, and never
deposits the dossier twice. A refusal for a registration reason (process, subscription,
attachment types) is kept as such for the agent, and not retried until ``retry_refused``.
``sync()`` also reads HubEE's notifications (``lifecycle``), closes processed cases, and
reads the statuses of open dossiers one by one only when ``POLL_STATUSES`` asks for it.
"""

import datetime
import json
import logging

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..conf import qf_settings
from ..models import HubEEForwarding, HubEEState, Submission
from ..models.pages import qf_page_rows
from ..upstream import backoff_delay
from . import formulaire_qf, lifecycle
from .client import (
    RECEIVED,
    REGISTRATION_REASONS,
    HubEEClient,
    HubEEError,
    HubEERejected,
    HubEEUnavailable,
)
from .status import OPEN_STATUSES, to_qf_status
from .types import Applicant, Attachment, FolderDraft

logger = logging.getLogger("wagtail_qf.hubee")
# A deposit "sending" without news (a file received) for this long was cut short (worker
# stopped): try it again.
STALE_SENDING = datetime.timedelta(minutes=15)
# The longest wait between two deposits, whatever the attempt or HubEE's Retry-After.
MAX_RETRY_DELAY = datetime.timedelta(hours=6)
# The settings forwarding needs: the connection, and what the process has registered at HubEE.
REQUIRED = ("BASE_URL", "TOKEN_URL", "CLIENT_ID", "CLIENT_SECRET", "PROCESS_CODE", "JSON_TYPE", "PDF_TYPE")
# The payloads a site may choose (``HUBEE["FORMAT"]``): its own JSON, or the national QF form's files.
FORMATS = ("wagtail-qf", formulaire_qf.NAME)


def required_settings() -> tuple[str, ...]:
    """``REQUIRED``, and the XML's attachment type when the national form's payload is chosen."""
    if qf_settings.HUBEE["FORMAT"] == formulaire_qf.NAME:
        return (*REQUIRED, "XML_TYPE")
    return REQUIRED


def configured() -> bool:
    """Whether the settings name HubEE, its credentials and what is registered there."""
    conf = qf_settings.HUBEE
    return conf["FORMAT"] in FORMATS and all(conf[key] for key in required_settings())


def client(transport=None) -> HubEEClient:
    """A HubEE client for the current settings (close it, or use it as a context manager)."""
    conf = qf_settings.HUBEE
    return HubEEClient(
        conf["BASE_URL"],
        conf["TOKEN_URL"],
        conf["CLIENT_ID"],
        conf["CLIENT_SECRET"],
        conf["PROCESS_CODE"],
        transport=transport,
    )


def folder_for(submission) -> FolderDraft:
    """The folder deposited for a dossier: its files (``attachments_for``), for the dossier's commune
    (on an intercommunal page, the commune the family chose: its code is the recipient's branch code)."""
    page = submission.page.specific
    return FolderDraft(
        external_id=submission.reference,
        applicant=Applicant(
            first_name=submission.given_names or "-", last_name=submission.family_name or "-"
        ),
        recipient_siret=page.siret,
        recipient_cog=recipient_branch_code(page, submission),
        attachments=attachments_for(submission),
    )


def attachments_for(submission) -> list[Attachment]:
    """The dossier's files in the payload the site chose (``HUBEE["FORMAT"]``): its JSON (the API's
    shape) and its PDF summary, or the national form's JSON, XML and PDF (``formulaire_qf``)."""
    from ..dossiers.serializers import dossier_of
    from ..summary_pdf import render_submission_pdf

    conf = qf_settings.HUBEE
    pdf = render_submission_pdf(submission)
    if conf["FORMAT"] == formulaire_qf.NAME:
        return formulaire_qf.attachments(submission, pdf)
    body = json.dumps(dossier_of(submission), ensure_ascii=False, indent=2).encode()
    return [
        Attachment(f"{submission.reference}.json", "application/json", body, conf["JSON_TYPE"]),
        Attachment(f"{submission.reference}.pdf", "application/pdf", pdf, conf["PDF_TYPE"]),
    ]


def recipient_branch_code(page, submission) -> str:
    """The branch code (code guichet = COG) of the recipient: the chosen commune's on a page that
    serves several communes, else the page's own."""
    if getattr(page, "serves_several_communes", False) and submission.commune_cog:
        return submission.commune_cog
    return page.commune_cog


def wants_forwarding(page) -> bool:
    """Whether the page opted in and HubEE is configured."""
    return bool(getattr(page, "forward_to_hubee", False)) and configured()


# What an attempt writes at its end (the folder's ids are written as soon as HubEE gives them).
OUTCOME_FIELDS = ("state", "deposited_at", "last_error", "next_attempt_at")


def deposit(submission_id, transport=None) -> HubEEForwarding | None:
    """One attempt at depositing the dossier; returns its forwarding row (None when the dossier is
    gone or anonymised, before or during the attempt).

    The row is claimed (state "sending") by an atomic update before the HTTP
    calls, outside any transaction, when it is ``due``: two workers never deposit the
    same dossier, no retry comes before its time, and no database lock is held while
    HubEE answers.
    """
    submission = Submission.objects.select_related("page").filter(pk=submission_id).first()
    if submission is None or submission.anonymised_at is not None:
        return None
    forwarding, _created = HubEEForwarding.objects.get_or_create(submission=submission)
    # Only when ``due``: a task queued for an earlier attempt never cuts a retry's wait short.
    claimed = (
        due()
        .filter(pk=forwarding.pk)
        .update(state=HubEEState.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now())
    )
    forwarding.refresh_from_db()
    if not claimed:
        return forwarding  # deposited, failed, or being sent by another worker
    try:
        with client(transport) as hubee:
            if not _found_deposited(hubee, forwarding):
                hubee.deposit(
                    folder_for(submission),
                    on_created=lambda *ids: _store_ids(forwarding, *ids),
                    on_progress=lambda: _still_sending(forwarding),
                )
    except HubEEError as error:
        if error.folder_deleted:
            _store_ids(forwarding, "", "")  # rolled back: HubEE has no folder left
        _failed(forwarding, error)
    except Exception as exc:  # our side (the PDF, a dossier an import made wrong): retried, then failed
        # The class only: an exception's text can hold the family's data.
        logger.error("hubee deposit error submission=%s error=%s", submission.pk, type(exc).__name__)
        _failed(forwarding, HubEEUnavailable("internal"))
    else:
        forwarding.state, forwarding.deposited_at = HubEEState.DEPOSITED, timezone.now()
        forwarding.last_error, forwarding.next_attempt_at = "", None
        logger.info("hubee deposit ok submission=%s attempts=%s", submission.pk, forwarding.attempts)
    # Only what the attempt decided: a sync may have written the case's status and event meanwhile.
    outcome = {field: getattr(forwarding, field) for field in OUTCOME_FIELDS}
    if not HubEEForwarding.objects.filter(pk=forwarding.pk).update(**outcome, updated_at=timezone.now()):
        # The dossier was deleted meanwhile (with its page, say): nothing left to record.
        logger.info("hubee deposit of a dossier deleted meanwhile submission=%s", submission_id)
        return None
    return forwarding


def _store_ids(forwarding, folder_id, case_id):
    """Written at once, outside the deposit's fate: the next attempt must find the folder."""
    forwarding.folder_id, forwarding.case_id = folder_id, case_id
    HubEEForwarding.objects.filter(pk=forwarding.pk).update(folder_id=folder_id, case_id=case_id)


def _still_sending(forwarding):
    """News of a deposit under way (a file received): ``STALE_SENDING`` counts from the last news,
    so that a long deposit is not taken over by another worker while it goes on.

    A dossier deleted or anonymised meanwhile (its page deleted, the retention purge) is withdrawn
    before HubEE completes its folder: the error deletes the folder, and the commune gets nothing."""
    still_there = HubEEForwarding.objects.filter(pk=forwarding.pk, submission__anonymised_at__isnull=True)
    if not still_there.exists():
        raise HubEERejected("dossier_withdrawn")
    still_there.filter(state=HubEEState.SENDING).update(updated_at=timezone.now())


def _found_deposited(hubee, forwarding) -> bool:
    """Whether an earlier attempt's folder is already complete at HubEE (its "complete" applied,
    the answer lost). One left half-made is deleted, to be deposited again."""
    if not forwarding.folder_id:
        return False
    folder = hubee.folder(forwarding.folder_id)
    if folder is not None and folder["globalStatus"] != RECEIVED:
        logger.info("hubee deposit found complete submission=%s", forwarding.submission_id)
        return True
    if folder is not None:
        hubee.delete(forwarding.folder_id)
    _store_ids(forwarding, "", "")
    return False


def _failed(forwarding, error):
    conf = qf_settings.HUBEE
    forwarding.last_error = (error.reason or error.code)[:40]
    if error.reason in REGISTRATION_REASONS:
        forwarding.state, forwarding.next_attempt_at = HubEEState.UNREGISTERED, None
    elif error.retryable and forwarding.attempts < conf["MAX_ATTEMPTS"]:
        delay = backoff_delay(
            forwarding.attempts,
            base=conf["RETRY_DELAY_SECONDS"],
            cap=MAX_RETRY_DELAY.total_seconds(),
            retry_after=error.retry_after,
        )
        forwarding.state = HubEEState.RETRY
        forwarding.next_attempt_at = timezone.now() + datetime.timedelta(seconds=delay)
    else:
        forwarding.state, forwarding.next_attempt_at = HubEEState.FAILED, None
    logger.warning(
        "hubee deposit failed submission=%s code=%s attempts=%s state=%s",
        forwarding.submission_id,
        error.code,
        forwarding.attempts,
        forwarding.state,
    )


def due(now=None) -> QuerySet:
    """Deposits to (re)try: never sent, due for a retry, or stuck while sending; not those of a
    dossier the purge has anonymised meanwhile, nor those of a page whose HubEE option was turned
    off since (``deposit`` never sends them: they wait, and go out if the option comes back)."""
    now = now or timezone.now()
    return HubEEForwarding.objects.filter(
        Q(state=HubEEState.PENDING)
        | Q(state=HubEEState.RETRY, next_attempt_at__lte=now)
        | Q(state=HubEEState.SENDING, updated_at__lt=now - STALE_SENDING),
        submission__anonymised_at__isnull=True,
        submission__page_id__in=forwarding_pages(),
    )


def forwarding_pages() -> list[int]:
    """The ids of the pages whose HubEE option is on (as published), every QF page model included."""
    return [pk for pk, row in qf_page_rows("forward_to_hubee").items() if row["forward_to_hubee"]]


def poll(hubee) -> int:
    """The fallback of the notifications (``POLL_STATUSES``): read the case status of each deposited,
    open dossier; returns how many dossiers changed."""
    from ..dossiers.history import change_status

    changed = 0
    open_ones = HubEEForwarding.objects.filter(
        state=HubEEState.DEPOSITED,
        submission__status__in=OPEN_STATUSES,
        submission__anonymised_at__isnull=True,
    ).select_related("submission")
    for forwarding in open_ones.iterator():
        try:
            statuses = hubee.case_statuses(forwarding.folder_id)
        except HubEEError as error:
            logger.warning("hubee poll failed submission=%s code=%s", forwarding.submission_id, error.code)
            continue
        case_status = statuses.get(forwarding.case_id) or next(iter(statuses.values()), "")
        if case_status == forwarding.case_status:
            continue
        forwarding.case_status = case_status
        forwarding.save(update_fields=["case_status", "updated_at"])
        new = to_qf_status(case_status)
        if new and change_status(
            forwarding.submission, new, None, note=_("Statut HubEE : %(status)s") % {"status": case_status}
        ):
            changed += 1
    return changed


def _deposit_again(forwardings) -> int:
    """``forwardings`` go back to "to deposit", their attempts counted afresh; returns how many."""
    return forwardings.update(
        state=HubEEState.PENDING, last_error="", attempts=0, next_attempt_at=None, updated_at=timezone.now()
    )


def retry_refused() -> int:
    """Deposits HubEE refused for a registration reason go back to "to deposit" (once the commune or
    its operator has had HubEE register what was missing); returns how many."""
    return _deposit_again(HubEEForwarding.objects.filter(state=HubEEState.UNREGISTERED))


def retry_failed() -> int:
    """Deposits that ended « Échec » (HubEE down longer than the retries last, credentials or a
    process refused then corrected) go back to "to deposit"; returns how many. Not those of a
    dossier anonymised since. A folder an attempt left at HubEE is looked at first, as at every
    retry: nothing is deposited twice."""
    return _deposit_again(
        HubEEForwarding.objects.filter(state=HubEEState.FAILED, submission__anonymised_at__isnull=True)
    )


def sync(transport=None) -> dict:
    """Retry the deposits that are due, read HubEE's notifications, close the processed cases
    (and, with ``POLL_STATUSES``, read the open dossiers' statuses). ``notifications_error``: the
    code of the failure that kept the notifications unread (HubEE down, refused), else ""."""
    conf = qf_settings.HUBEE
    retried = [deposit(f.submission_id, transport) for f in due()]
    outcome = {
        "retried": len(retried),
        "deposited": sum(1 for f in retried if f and f.state == HubEEState.DEPOSITED),
        "notifications": 0,
        "events": 0,
        "statuses_changed": 0,
        "closed": 0,
        "notifications_error": "",
    }
    with client(transport) as hubee:
        try:
            read = lifecycle.read_notifications(hubee, conf["NOTIFICATIONS_BATCH"])
        except HubEEError as error:
            logger.warning("hubee notifications not read code=%s", error.code)
            outcome["notifications_error"] = error.code
        else:
            outcome["notifications"], outcome["events"] = read["read"], read["applied"]
        if conf["POLL_STATUSES"]:
            outcome["statuses_changed"] = poll(hubee)
        outcome["closed"] = lifecycle.close_due(hubee)
    return outcome
