"""HubEE case status → the dossier's status (``SubmissionStatus``)."""

from ..models import SubmissionStatus

HUBEE_TO_QF = {
    "HUBEE_NOTIFIED": SubmissionStatus.NEW,  # folder completed, not yet pulled by the SI
    "SENT": SubmissionStatus.NEW,
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
    """The dossier's status for a case status, or None for "do not change"."""
    return HUBEE_TO_QF.get(hubee_status or "")
