"""How many dossiers per page and status: the counters, and the cache version of the
inbox's other counts.

``SubmissionCount`` is kept in step with the dossiers by the database itself
(``dossiers.triggers``, installed by a migration on PostgreSQL and SQLite, the two
supported databases): every insert, status change and deletion, bulk writes and raw
SQL included, in the same statement. ``rebuild()`` (the ``qf_recount`` command)
recounts from the dossiers.

Counts over other filters are cached by the admin (``admin.status_counts``) under a
version number that every change of a dossier bumps (``bump``, connected to the
dossier's ``post_save``/``post_delete`` by ``wagtail_qf.receivers``; writes that bypass
the ORM's signals, such as ``update()`` or ``bulk_create()``, call it themselves).
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Sum

from ..models import Submission, SubmissionCount

VERSION_KEY = "wagtail_qf:inbox:version"


def rebuild(page_ids=None):
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


def version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def bump(**kwargs):
    """A dossier changed: the cached counts are stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)
