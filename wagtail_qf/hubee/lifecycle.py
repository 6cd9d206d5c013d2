"""A deposited folder's life at HubEE: the commune's software answers by events, we close.

As HubEE's interface contract and the State's national QF form do: read this process's
notifications by batches until a batch comes back short; for each, read its event; an event
still ``SENT`` is applied to the dossier (a new status through ``change_status``; the message
the commune sends the family with ``ADD_AWAITING`` or ``SENDING_MESSAGE`` handed to the family
and kept in the history), then acknowledged (``RECEIVED``); the notification is then deleted,
else HubEE serves it again. A notification that could not be handled (HubEE unavailable) is
left for the next run, with the later ones of its case. A case done or refused is closed, then its folder; so is the case of a
dossier the retention purge anonymised (HubEE then archives it and deletes its files after the
process's own delays: the HubEE API lets a sender delete a folder only before completing it).
"""

import logging

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import HubEEForwarding, HubEEState
from .client import HubEEError
from .status import to_qf_status

logger = logging.getLogger("wagtail_qf.hubee")

# Case statuses after which the sender closes the case (as the national form does).
FINAL = ("DONE", "REFUSED")
# Case statuses from which HubEE lets the sender close a case (SFD, annex "Statuts du TD").
CLOSABLE = ("SI_RECEIVED", "IN_PROGRESS", "ADD_AWAITING", "DONE", "REFUSED")
# The case status whose event carries a message for the family ("complete your dossier").
FOR_THE_FAMILY = {"ADD_AWAITING"}
STATUS_UPDATE, SENDING_MESSAGE = "STATUS_UPDATE", "SENDING_MESSAGE"


def read_notifications(hubee, batch_size: int) -> dict:
    """Handle every notification HubEE holds for this process; ``{"read", "applied"}`` counts."""
    read = applied = 0
    # Cases with a notification left for later: their next events wait too, not to be applied
    # before it (served again, an earlier event would undo a later one).
    waiting = set()
    while True:
        batch = hubee.notifications(batch_size)
        handled = 0
        for notification in batch:
            read += 1
            if notification.get("processCode") != hubee.process_code:
                continue  # another process's, for its own consumer: never deleted here
            if notification.get("caseId") in waiting:
                continue
            try:
                applied += _handle(hubee, notification)
                hubee.delete_notification(notification["id"])
            except HubEEError as error:
                logger.warning("hubee notification left for later code=%s", error.code)
                if notification.get("caseId"):
                    waiting.add(notification["caseId"])
                continue
            handled += 1
        # A short batch is the last; a batch of which nothing could be handled would come back as is.
        if len(batch) < batch_size or not handled:
            return {"read": read, "applied": applied}


def _handle(hubee, notification) -> int:
    """Apply the notification's event to its dossier and acknowledge it; 1 when applied."""
    case_id, event_id = notification.get("caseId"), notification.get("eventId")
    if not case_id or not event_id:
        return 0  # a new folder's notification is for the commune's software, not for the sender
    event = hubee.event(case_id, event_id)
    if event.get("status") != "SENT":
        return 0  # already taken into account
    if not readable(event):
        # Not the reference's types: it will not read better later. Acknowledged, not applied, so
        # that it blocks neither the run nor its case's next events.
        logger.warning("hubee event unreadable: acknowledged, not applied")
        hubee.acknowledge(case_id, event_id)
        return 0
    forwarding = HubEEForwarding.objects.select_related("submission").filter(case_id=case_id).first()
    applied = 0
    if forwarding is None:
        logger.warning("hubee event for an unknown case: acknowledged, not applied")
    elif forwarding.last_event_id != event_id:
        with transaction.atomic():
            apply_event(forwarding, event)
            forwarding.last_event_id = event_id
            forwarding.save(update_fields=["case_status", "last_event_id", "updated_at"])
        applied = 1
    hubee.acknowledge(case_id, event_id)
    if forwarding is not None and forwarding.case_status in FINAL:
        close(hubee, forwarding)
    return applied


def readable(event) -> bool:
    """Whether the event's fields read here are of the reference's types (Event: strings, or null)."""
    return all(isinstance(event.get(key), str | None) for key in ("actionType", "caseNewStatus", "message"))


def apply_event(forwarding, event) -> None:
    """An event of the commune's software, on the dossier: its new status, its message."""
    from ..dossiers.history import change_status

    submission = forwarding.submission
    action = event.get("actionType")
    new = event.get("caseNewStatus") or ""
    message = (event.get("message") or "").strip()
    if action == STATUS_UPDATE and new:
        forwarding.case_status = new[:20]
        qf_status = to_qf_status(new)
        for_the_family = message if new in FOR_THE_FAMILY else ""
        outcome = None
        if qf_status and submission.anonymised_at is None:
            # The domain tells the family: the message, else the page's notice; once.
            note = _("Statut HubEE : %(status)s") % {"status": new}
            outcome = change_status(submission, qf_status, None, for_the_family, note=note)
        # Not handed over with the change (the status was already that one): handed over alone.
        # With the change, ``messages`` has it already: sent, or kept as not sent (no address).
        if for_the_family and outcome is None:
            to_the_family(submission, for_the_family, status=qf_status or "")
    elif action == SENDING_MESSAGE and message:
        to_the_family(submission, message)


def to_the_family(submission, message: str, status: str = "") -> None:
    """The commune's message to the family, through ``dossiers.messages``: e-mailed, its history
    entry saying how it went; without an address, kept in the history all the same, marked not
    sent (``messages`` does both)."""
    from ..dossiers import messages

    if submission.anonymised_at is not None:
        return
    messages.send_message(submission, None, message, status=status)


def close(hubee, forwarding) -> bool:
    """Close the case and the folder at HubEE; False (logged) when HubEE could not, for a later run."""
    try:
        hubee.close_case(forwarding.case_id, forwarding.folder_id, forwarding.case_status)
    except HubEEError as error:
        logger.warning("hubee close failed submission=%s code=%s", forwarding.submission_id, error.code)
        return False
    forwarding.closed_at = timezone.now()
    forwarding.save(update_fields=["closed_at", "updated_at"])
    logger.info("hubee case closed submission=%s", forwarding.submission_id)
    return True


def to_close() -> QuerySet:
    """Deposited folders still open at HubEE whose case is processed, or whose dossier was anonymised."""
    return HubEEForwarding.objects.filter(
        Q(case_status__in=FINAL) | Q(submission__anonymised_at__isnull=False, case_status__in=CLOSABLE),
        state=HubEEState.DEPOSITED,
        closed_at__isnull=True,
    ).exclude(case_id="")


def close_due(hubee) -> int:
    """Close what ``to_close`` finds (a closing HubEE could not do at once is tried again here)."""
    return sum(close(hubee, forwarding) for forwarding in to_close().iterator())
