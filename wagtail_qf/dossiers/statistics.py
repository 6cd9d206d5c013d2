"""Statistics and supervision: what is counted, and the figures of the statistics page.

The citizen's journey and the failures of the services it calls are counted per page and
day (``DailyCount``), by ``record``: one statement that adds 1 (``INSERT … ON CONFLICT DO
UPDATE SET count = count + 1``, atomic in the database, so safe across processes), holding
no personal data (a page, a day, an event, a code). The counts of dossiers per status are
the inbox's counters (``dossiers.counts``). The dossiers per week, source, tariff bracket and
their time to process are added up from ``DossierCount``, counters per page and hour of
transmission kept by the database in the same statement as every write of a dossier
(migration ``0012_inbox_volume``): the page reads a few hundred counters over a period, not a
million dossiers, and never a dossier's data.
"""

import datetime
from dataclasses import dataclass
from importlib import import_module

from django.db import connection, transaction
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from ..models import DailyCount, DossierCount, JourneyEvent, Source, SubmissionStatus
from ..models.submissions import Provider
from . import counts

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


def dossiers_of(page_ids, period: Period, status: str = "") -> QuerySet:
    """The counters (``DossierCount``) of the dossiers of these pages (all for None: a
    superuser) transmitted in the period, of this status (any for "")."""
    first, after = period.bounds()
    counters = DossierCount.objects.filter(hour__gte=first, hour__lt=after)
    if page_ids is not None:
        counters = counters.filter(page_id__in=page_ids)
    return counters.filter(status=status) if status else counters


def rebuild() -> None:
    """Count every dossier again (after writes made with the triggers off: imports, benchmarks),
    with the statements of the migration that installed the triggers."""
    statements = import_module("wagtail_qf.migrations.0012_inbox_volume").REBUILD[connection.vendor]
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def per_period(dossiers: QuerySet, period: Period) -> list[tuple[datetime.date, int]]:
    """Dossiers per week (Monday) or month (first day), every one of the period, empty ones too."""
    trunc = TruncMonth if period.unit == "month" else TruncWeek
    rows = (
        dossiers.order_by()
        .annotate(slot=trunc("hour", tzinfo=timezone.get_current_timezone()))
        .values("slot")
        .annotate(n=Sum("count"))
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
        "dgfip": Q(with_tax_data=True),
        **{source.value: Q(source=source) for source in Source},
    }
    totals = dossiers.order_by().aggregate(
        **{key: Sum("count", filter=rule) for key, rule in buckets.items()}
    )
    return {key: n or 0 for key, n in totals.items()}


def per_bracket(dossiers: QuerySet) -> list[tuple[str, int]]:
    """Dossiers per tariff bracket ("" for none), by label."""
    rows = (
        dossiers.order_by()
        .values("tariff_bracket")
        .annotate(n=Sum("count"))
        .filter(n__gt=0)
        .values_list("tariff_bracket", "n")
    )
    return sorted(rows)


@dataclass(frozen=True)
class Delays:
    count: int = 0
    median: datetime.timedelta | None = None
    p90: datetime.timedelta | None = None


def processing_delays(dossiers: QuerySet) -> Delays:
    """From transmission to the first « Traité » or « Clos » of the dossiers' history (in whole
    hours, as shown): how many were processed, the median and the 90th percentile."""
    rows = (
        dossiers.order_by()
        .filter(delay_hours__gte=0)
        .values("delay_hours")
        .annotate(n=Sum("count"))
        .filter(n__gt=0)
        .values_list("delay_hours", "n")
        .order_by("delay_hours")
    )
    histogram = list(rows)
    total = sum(n for _hours, n in histogram)
    if not total:
        return Delays()
    return Delays(total, _percentile(histogram, total, 50), _percentile(histogram, total, 90))


def _percentile(histogram: list[tuple[int, int]], total: int, rank: int) -> datetime.timedelta:
    """Nearest-rank percentile of the delays counted in ``histogram`` ((hours, count), sorted)."""
    index = max(0, -(-total * rank // 100) - 1)
    for hours, n in histogram:
        if index < n:
            return datetime.timedelta(hours=hours)
        index -= n
    raise AssertionError("the histogram holds fewer delays than its total")


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
