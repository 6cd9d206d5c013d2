"""HubEE case status → wagtail_qf status."""

HUBEE_TO_QF = {
    "HUBEE_NOTIFIED": "new",  # folder completed, not yet pulled by the SI
    "SENT": "new",
    "SI_RECEIVED": "new",
    "IN_PROGRESS": "in_progress",
    "ADD_AWAITING": "awaiting",
    "REFUSED": "refused",
    "DONE": "done",
    "CLOSED": "closed",
    # SI_INTG_ERROR: the SI failed to integrate the case; HubEE/the SI retries, we keep ours.
}


def to_qf_status(hubee_status: str | None) -> str | None:
    """The wagtail_qf status for a case status, or None for "do not change"."""
    return HUBEE_TO_QF.get(hubee_status or "")
