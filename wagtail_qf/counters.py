"""Keeps ``SubmissionCount`` in step with the dossiers, in the same transaction.

On PostgreSQL and SQLite the database does it (``counter_triggers``, installed
by a migration). Elsewhere the signals below count creations, status changes and
deletions made through the ORM, and ``rebuild()`` (the ``qf_recount`` command)
recounts after bulk writes.
"""

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from . import counter_triggers
from .models import Submission, SubmissionCount


def add(page_id, status, delta):
    # Plain SQL: this runs in every transmission, and the ORM's UPDATE costs more to build than to run.
    table = connection.ops.quote_name(SubmissionCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET count = count + %s WHERE page_id = %s AND status = %s",
            [delta, page_id, status],
        )
        updated = cursor.rowcount
    # Nothing to take away from a missing row (e.g. the page itself is being deleted).
    if not updated and delta > 0:
        try:
            with transaction.atomic():
                SubmissionCount.objects.create(page_id=page_id, status=status, count=delta)
        except IntegrityError:  # created meanwhile by a concurrent writer
            add(page_id, status, delta)


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
            SubmissionCount(page_id=row["page_id"], status=row["status"], count=row["n"])
            for row in rows
        )


def per_status(page_ids=None) -> dict:
    """{status: count} over all pages, or over a queryset / list of page ids."""
    counters = SubmissionCount.objects.all()
    if page_ids is not None:
        counters = counters.filter(page_id__in=page_ids)
    rows = counters.values("status").annotate(n=Sum("count")).order_by()
    return {row["status"]: row["n"] for row in rows if row["n"]}


def _by_signals() -> bool:
    return not counter_triggers.supported(connection)


@receiver(post_init, sender=Submission)
def _remember(instance, **kwargs):
    # The status as loaded, to count a change of status on save.
    instance._counted_status = instance.__dict__.get("status")


@receiver(post_save, sender=Submission)
def _saved(instance, created, update_fields=None, raw=False, **kwargs):
    if raw or not _by_signals():
        return
    if created:
        add(instance.page_id, instance.status, 1)
    elif instance._counted_status != instance.status and (
        update_fields is None or "status" in update_fields
    ):
        add(instance.page_id, instance._counted_status, -1)
        add(instance.page_id, instance.status, 1)
    instance._counted_status = instance.status


@receiver(post_delete, sender=Submission)
def _deleted(instance, **kwargs):
    if _by_signals():
        add(instance.page_id, instance._counted_status or instance.status, -1)
