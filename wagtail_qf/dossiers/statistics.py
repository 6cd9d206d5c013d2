"""Statistics and supervision: what is counted, and the figures of the statistics page.

The citizen's journey and the failures of the services it calls are counted per page and
day (``DailyCount``), by ``record``: one statement that adds 1 (``INSERT … ON CONFLICT DO
UPDATE SET count = count + 1``, atomic in the database, so safe across processes), holding
no personal data (a page, a day, an event, a code). The counts of dossiers per status are
the inbox's counters (``dossiers.counts``). What has no counter (dossiers per week, source,
tariff bracket, time to process) is grouped by the database over the period, on the indexed
columns (page, transmission date): a few rows come back, never a dossier's data.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, TruncMonth, TruncWeek
from django.utils import timezone

from ..models import DailyCount, DossierLogEntry, JourneyEvent, Source, Submission, SubmissionStatus
from ..models.submissions import Provider
from . import counts, history

START = JourneyEvent.START
LOGGED_IN = JourneyEvent.LOGGED_IN
DATA_OBTAINED = JourneyEvent.DATA_OBTAINED
TRANSMITTED = JourneyEvent.TRANSMITTED
UPSTREAM_FAILURE = JourneyEvent.UPSTREAM_FAILURE
FUNNEL = (START, LOGGED_IN, DATA_OBTAINED, TRANSMITTED)
# A dossier is processed when it first becomes one of these.
PROCESSED = (SubmissionStatus.DONE, SubmissionStatus.CLOSED)
CODE_LENGTH = DailyCount._meta.get_field("code").max_length


def record(page_id, event, code="") -> None:
    """Add 1 to today's count of ``event`` (and ``code``) on the page: one statement."""
    table = connection.ops.quote_name(DailyCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (page_id, day, event, code, count) VALUES (%s, %s, %s, %s, 1)"  # noqa: S608 -- our table, bound values
            f" ON CONFLICT (page_id, day, event, code) DO UPDATE SET count = {table}.count + 1",
            [page_id, timezone.localdate(), str(event), str(code)[:CODE_LENGTH]],
        )


def record_failure(page_id, provider: str, exc) -> None:
    """A service the journey called failed: ``provider`` (``particulier``, ``dgfip``,
    ``franceconnect``) and the error's code, never its message."""
    record(page_id, UPSTREAM_FAILURE, f"{provider}:{getattr(exc, 'code', '') or 'unknown'}")


@dataclass(frozen=True)
class Period:
    """The days of the statistics, both included, and the bars of the chart (``week``, ``month``)."""

    start: datetime.date
    end: datetime.date
    unit: str = "week"

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """From the first day's midnight to the midnight after the last, in the site's time zone."""
        zone = timezone.get_current_timezone()
        first = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return first, after


def dossiers_of(dossiers: QuerySet, period: Period, status: str = "") -> QuerySet:
    """``dossiers`` (those the agent sees, of the chosen page) transmitted in the period."""
    first, after = period.bounds()
    dossiers = dossiers.filter(submitted_at__gte=first, submitted_at__lt=after)
    return dossiers.filter(status=status) if status else dossiers


def per_period(dossiers: QuerySet, period: Period) -> list[tuple[datetime.date, int]]:
    """Dossiers per week (Monday) or month (first day), every one of the period, empty ones too."""
    trunc = TruncMonth if period.unit == "month" else TruncWeek
    rows = (
        dossiers.order_by()
        .annotate(slot=trunc("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("slot")
        .annotate(n=Count("pk"))
        .values_list("slot", "n")
    )
    found = {_as_date(slot): n for slot, n in rows}
    return [(slot, found.get(slot, 0)) for slot in _slots(period)]


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _slots(period: Period) -> list[datetime.date]:
    if period.unit == "month":
        slot, slots = period.start.replace(day=1), []
        while slot <= period.end:
            slots.append(slot)
            slot = (slot + datetime.timedelta(days=32)).replace(day=1)
        return slots
    slot = period.start - datetime.timedelta(days=period.start.weekday())
    slots = []
    while slot <= period.end:
        slots.append(slot)
        slot += datetime.timedelta(days=7)
    return slots


def per_status(page_ids=None) -> dict:
    """{status: count} today, whatever the transmission date: the inbox's counters."""
    return counts.per_status(page_ids)


def per_source(dossiers: QuerySet) -> dict:
    """Dossiers by organism (CAF, MSA), with tax data (DGFiP), and by path: one query."""
    buckets = {
        Provider.CNAF.value: Q(qf_provider=Provider.CNAF),
        Provider.MSA.value: Q(qf_provider=Provider.MSA),
        "none": Q(qf_provider=""),
        "dgfip": Q(tax_data__isnull=False),
        **{source.value: Q(source=source) for source in Source},
    }
    return dossiers.order_by().aggregate(**{key: Count("pk", filter=rule) for key, rule in buckets.items()})


def per_bracket(dossiers: QuerySet) -> list[tuple[str, int]]:
    """Dossiers per tariff bracket ("" for none), by label."""
    rows = (
        dossiers.order_by()
        .values("tariff_bracket")
        .annotate(n=Count("pk"))
        .values_list("tariff_bracket", "n")
    )
    return sorted(rows)


@dataclass(frozen=True)
class Delays:
    count: int = 0
    median: datetime.timedelta | None = None
    p90: datetime.timedelta | None = None


def processing_delays(dossiers: QuerySet) -> Delays:
    """From transmission to the first « Traité » or « Clos », read from the status changes of
    the dossiers' history: how many were processed, the median and the 90th percentile."""
    changes = DossierLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Submission),
        action=history.STATUS,
        data__new__in=[str(status) for status in PROCESSED],
        object_id=Cast(OuterRef("pk"), CharField()),
    )
    first = changes.order_by("timestamp").values("timestamp")[:1]
    pairs = (
        dossiers.order_by()
        .annotate(processed_at=Subquery(first))
        .filter(processed_at__isnull=False)
        .values_list("submitted_at", "processed_at")
    )
    delays = sorted(max(done - sent, datetime.timedelta(0)) for sent, done in pairs)
    if not delays:
        return Delays()
    return Delays(len(delays), _percentile(delays, 50), _percentile(delays, 90))


def _percentile(values: list, rank: int):
    """Nearest-rank percentile of sorted ``values``."""
    index = max(0, -(-len(values) * rank // 100) - 1)
    return values[index]


def journey_counts(page_ids, period: Period) -> QuerySet:
    counters = DailyCount.objects.filter(day__gte=period.start, day__lte=period.end)
    return counters if page_ids is None else counters.filter(page_id__in=page_ids)


def funnel(page_ids, period: Period) -> dict:
    """{event: count} of the journey's steps over the period; ``transmitted_by_path``: the
    transmissions by path (with FranceConnect, without)."""
    rows = (
        journey_counts(page_ids, period)
        .filter(event__in=FUNNEL)
        .values("event", "code")
        .annotate(n=Sum("count"))
        .values_list("event", "code", "n")
    )
    totals = dict.fromkeys(FUNNEL, 0)
    by_path = {}
    for event, code, n in rows:
        totals[event] += n
        if event == TRANSMITTED:
            by_path[code] = by_path.get(code, 0) + n
    return {**totals, "transmitted_by_path": by_path}


def failures(page_ids, period: Period) -> list[tuple[str, str, int]]:
    """(provider, code, count) of the upstream failures over the period, the most frequent first."""
    rows = (
        journey_counts(page_ids, period)
        .filter(event=UPSTREAM_FAILURE)
        .values("code")
        .annotate(n=Sum("count"))
        .values_list("code", "n")
    )
    split = [(*code.partition(":")[::2], n) for code, n in rows]
    return sorted(split, key=lambda row: (-row[2], row[0], row[1]))
