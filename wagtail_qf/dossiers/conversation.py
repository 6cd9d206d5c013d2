"""The conversation of a dossier between the commune and the family (issue 18): the changes of
status, the agents' messages to the family (with their delivery state) and the family's
complements, in order — never the agents' internal comments. The follow-up page shows it to the
family, the editors' API to the commune's software: both read it here."""

from django.contrib.contenttypes.models import ContentType

from ..models import DossierLogEntry, Submission
from . import documents, history

ACTIONS = (history.STATUS, history.MESSAGE, documents.COMPLEMENT)


def stories(submission_ids) -> dict[str, list[dict]]:
    """The events of each dossier, by the dossier's id as text (the history's ``object_id``), in
    one query: ``{"date", "kind": "status" | "message" | "complement", "status" (label),
    "status_code", "message", "names", "state"}`` (keys that do not apply are absent)."""
    entries = DossierLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Submission),
        object_id__in=[str(pk) for pk in submission_ids],
        action__in=ACTIONS,
    ).order_by("timestamp", "pk")
    found: dict[str, list[dict]] = {}
    for entry in entries:
        event = event_of(entry)
        if event is not None:
            found.setdefault(entry.object_id, []).append(event)
    return found


def event_of(entry) -> dict | None:
    """What the family (and the commune's software) is shown of a history entry."""
    if entry.action == history.STATUS:
        code = entry.data.get("new", "")
        return {
            "date": entry.timestamp,
            "kind": "status",
            "status": history.status_label(code),
            "status_code": code,
        }
    if entry.action == documents.COMPLEMENT:
        return {
            "date": entry.timestamp,
            "kind": "complement",
            "message": entry.data.get("message") or "",
            "names": entry.data.get("names") or [],
        }
    message = entry.data.get("message", "")
    if not message:  # a standard notice: the change of status says it
        return None
    return {
        "date": entry.timestamp,
        "kind": "message",
        "message": message,
        "state": entry.data.get("state", ""),
    }
