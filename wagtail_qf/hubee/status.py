"""HubEE case status → the dossier's status (``SubmissionStatus``)."""

from ..models import SubmissionStatus

# What each case status means in the dossier's terms.
HUBEE_TO_QF = {
    "HUBEE_NOTIFIED": SubmissionStatus.NEW,  # folder completed, not yet pulled by the SI
    "SENT": SubmissionStatus.NEW,  # « Transmis »: the case reached the commune's software
    "SI_RECEIVED": SubmissionStatus.RECEIVED,  # the commune's software took the case
    "IN_PROGRESS": SubmissionStatus.IN_PROGRESS,
    "ADD_AWAITING": SubmissionStatus.AWAITING,
    "REFUSED": SubmissionStatus.REFUSED,
    "DONE": SubmissionStatus.DONE,
    "CLOSED": SubmissionStatus.CLOSED,
    # SI_INTG_ERROR: the SI failed to integrate the case; HubEE/the SI retries, we keep ours.
}
# Dossiers whose HubEE case may still move: their statuses are read back.
OPEN_STATUSES = (
    SubmissionStatus.NEW,
    SubmissionStatus.RECEIVED,
    SubmissionStatus.IN_PROGRESS,
    SubmissionStatus.AWAITING,
)


def to_qf_status(hubee_status: str | None) -> SubmissionStatus | None:
    """The dossier's new status for a case status, or None for "do not change".

    A status saying the case has not yet been taken up (``HUBEE_NOTIFIED``, ``SENT``) changes
    nothing: every deposited dossier is « Nouveau » from its creation, and one an agent has
    already opened or taken up in the inbox must not go back to « Nouveau » (nor its family be
    told so)."""
    status = HUBEE_TO_QF.get(hubee_status or "")
    return None if status == SubmissionStatus.NEW else status
