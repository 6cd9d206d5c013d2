"""How many dossiers per page and status, and the version of the inbox's other counts.

Both are kept by the database itself (``dossiers.triggers``, installed by a migration
on PostgreSQL and SQLite, the two supported databases), in the same statement as
every write of a dossier, bulk writes and raw SQL included: ``SubmissionCount`` per
page and status, and the token of ``SubmissionsVersion``, renewed by any insert,
update or deletion. Nothing in Python keeps them. ``rebuild()`` (the ``qf_recount``
command) recounts from the dossiers.

The admin caches the counts over other filters under that token
(``admin.status_counts``): a new token, and they are counted again.
"""

from django.db import transaction
from django.db.models import Count, Sum

from ..models import Submission, SubmissionCount, SubmissionsVersion


def rebuild(page_ids=None) -> None:
    """Recount from the dossiers (all pages, or these)."""
    dossiers = Submission.objects.all()
    counters = SubmissionCount.objects.all()
    if page_ids is not None:
        dossiers, counters = dossiers.filter(page_id__in=page_ids), counters.filter(page_id__in=page_ids)
    rows = dossiers.values("page_id", "status").annotate(n=Count("pk")).order_by()
    with transaction.atomic():
        counters.delete()
        SubmissionCount.objects.bulk_create(
            SubmissionCount(page_id=row["page_id"], status=row["status"], count=row["n"]) for row in rows
        )


def per_status(page_ids=None) -> dict:
    """{status: count} over all pages, or over a queryset / list of page ids."""
    counters = SubmissionCount.objects.all()
    if page_ids is not None:
        counters = counters.filter(page_id__in=page_ids)
    rows = counters.values("status").annotate(n=Sum("count")).order_by()
    return {row["status"]: row["n"] for row in rows if row["n"]}


def version() -> str:
    """The token of the last write of any dossier ("" before the first one)."""
    return SubmissionsVersion.objects.values_list("token", flat=True).first() or ""
