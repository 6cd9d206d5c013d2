"""The statistics at volume (issue 19): counters of dossiers kept by the database.

``DossierCount`` holds, per page and hour of transmission, how many dossiers have each status,
organism, path, tax data or not, tariff bracket and time to process (whole hours; -1 while not
processed). Triggers keep it in the same statement as every insert, update and deletion of a
dossier (bulk writes and raw SQL included), as ``0002_counter_triggers`` does for the inbox's
counts. ``Submission.processed_at``, the first « Traité » or « Clos » of the dossier's history,
is kept by a trigger on the history's status entries. Existing dossiers are counted here.

Deleting a history entry leaves ``processed_at`` as it was: history goes only with its dossier,
or with everything (``manage.py flush``, which on SQLite deletes table by table in no set order:
recomputing a dossier there after its page and counters were gone wrote back a counter of a
deleted page, refused by the foreign key).

The SQL is frozen here, as migrations are history; ``dossiers.statistics.rebuild`` recounts
with ``REBUILD``. On SQLite, a later migration rebuilding the submission table must run
``StatisticsTriggers()`` again, as it runs ``CountTriggers()``.
"""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models, router

CountTriggers = import_module("wagtail_qf.migrations.0002_counter_triggers").CountTriggers

SUBMISSIONS = "wagtail_qf_submission"
COUNTS = "wagtail_qf_dossiercount"
LOG = "wagtail_qf_dossierlogentry"
STATUS = "'wagtail_qf.status'"
PROCESSED = "('done', 'closed')"
KEY = "page_id, hour, status, qf_provider, source, with_tax_data, tariff_bracket, delay_hours"
# S608 below: the table names are these constants, never input.


def _key(row, hour, seconds):
    """The counter's key of a dossier (``row``: NEW, OLD or a table alias), in a vendor's SQL."""
    delay = (
        f"CASE WHEN {row}.processed_at IS NULL THEN -1"
        f" ELSE {seconds(f'{row}.processed_at', f'{row}.submitted_at')} / 3600 END"
    )
    values = [
        f"{row}.page_id",
        hour(f"{row}.submitted_at"),
        f"{row}.status",
        f"{row}.qf_provider",
        f"{row}.source",
        f"{row}.tax_data IS NOT NULL",
        f"{row}.tariff_bracket",
        delay,
    ]
    return [f"({value})" for value in values]


def _pg_hour(column):
    return f"date_trunc('hour', {column})"


def _pg_seconds(later, earlier):
    return f"GREATEST(0, floor(extract(epoch FROM {later} - {earlier})))::integer"


def _sqlite_hour(column):
    return f"strftime('%Y-%m-%d %H:00:00', {column})"


def _sqlite_seconds(later, earlier):
    return f"max(0, CAST(strftime('%s', {later}) AS INTEGER) - CAST(strftime('%s', {earlier}) AS INTEGER))"


def _add(row, hour, seconds):
    return (
        f"INSERT INTO {COUNTS} ({KEY}, count) VALUES ({', '.join(_key(row, hour, seconds))}, 1)"  # noqa: S608
        f" ON CONFLICT ({KEY}) DO UPDATE SET count = {COUNTS}.count + 1;"
    )


def _remove(row, hour, seconds):
    columns = KEY.split(", ")
    match = " AND ".join(f"{c} = {v}" for c, v in zip(columns, _key(row, hour, seconds), strict=True))
    return f"UPDATE {COUNTS} SET count = count - 1 WHERE {match};"  # noqa: S608


def _changed(differ):
    """The WHEN of the update trigger: a column of the key changed."""
    columns = ["page_id", "submitted_at", "status", "qf_provider", "source", "tariff_bracket", "processed_at"]
    return " OR ".join(
        [differ(f"OLD.{c}", f"NEW.{c}") for c in columns]
        + [differ("OLD.tax_data IS NULL", "NEW.tax_data IS NULL")]
    )


def _rebuild(hour, seconds):
    key = _key("s", hour, seconds)
    return [
        f"DELETE FROM {COUNTS}",  # noqa: S608
        f"INSERT INTO {COUNTS} ({KEY}, count) SELECT {', '.join(key)}, COUNT(*) FROM {SUBMISSIONS} s"  # noqa: S608
        f" GROUP BY {', '.join(key)}",
    ]


def _processed(obj, json_new, cast):
    """Set the dossier ``obj`` (a log entry: NEW or OLD) names to its first processed status."""
    return (
        f"UPDATE {SUBMISSIONS} SET processed_at = (SELECT MIN(l.timestamp) FROM {LOG} l"  # noqa: S608
        f" WHERE l.content_type_id = {obj}.content_type_id AND l.object_id = {obj}.object_id"
        f" AND l.action = {STATUS} AND {json_new('l.data')} IN {PROCESSED})"
        f" WHERE id = {cast(f'{obj}.object_id')};"
    )


SUBMISSION_TYPE = (
    "(SELECT id FROM django_content_type WHERE app_label = 'wagtail_qf' AND model = 'submission')"
)


def _pg_new(data):
    return f"{data} ->> 'new'"


def _pg_cast(value):
    return f"CAST({value} AS bigint)"


PG = (_pg_hour, _pg_seconds)
POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION wagtail_qf_count_statistics() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN {_remove("OLD", *PG)} END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN {_add("NEW", *PG)} END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE TRIGGER wagtail_qf_statistics_insert_delete AFTER INSERT OR DELETE ON {SUBMISSIONS}
FOR EACH ROW EXECUTE FUNCTION wagtail_qf_count_statistics()""",
    f"""CREATE OR REPLACE TRIGGER wagtail_qf_statistics_update AFTER UPDATE ON {SUBMISSIONS}
FOR EACH ROW WHEN ({_changed(lambda a, b: f"({a}) IS DISTINCT FROM ({b})")})
EXECUTE FUNCTION wagtail_qf_count_statistics()""",
    f"""CREATE OR REPLACE FUNCTION wagtail_qf_processed_at() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.action = {STATUS} AND OLD.content_type_id = {SUBMISSION_TYPE} THEN
    {_processed("OLD", _pg_new, _pg_cast)}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.action = {STATUS} AND NEW.content_type_id = {SUBMISSION_TYPE} THEN
    {_processed("NEW", _pg_new, _pg_cast)}
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE TRIGGER wagtail_qf_processed_at AFTER INSERT OR UPDATE ON {LOG}
FOR EACH ROW EXECUTE FUNCTION wagtail_qf_processed_at()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS wagtail_qf_statistics_insert_delete ON {SUBMISSIONS}",
    f"DROP TRIGGER IF EXISTS wagtail_qf_statistics_update ON {SUBMISSIONS}",
    "DROP FUNCTION IF EXISTS wagtail_qf_count_statistics()",
    f"DROP TRIGGER IF EXISTS wagtail_qf_processed_at ON {LOG}",
    "DROP FUNCTION IF EXISTS wagtail_qf_processed_at()",
]


def _sqlite_new(data):
    return f"json_extract({data}, '$.new')"


def _sqlite_cast(value):
    return f"CAST({value} AS INTEGER)"


LITE = (_sqlite_hour, _sqlite_seconds)


def _sqlite_log_trigger(event, rows):
    when = " OR ".join(
        f"({row}.action = {STATUS} AND {row}.content_type_id = {SUBMISSION_TYPE})" for row in rows
    )
    body = " ".join(_processed(row, _sqlite_new, _sqlite_cast) for row in rows)
    return (
        f"CREATE TRIGGER IF NOT EXISTS wagtail_qf_processed_{event.lower()} AFTER {event} ON {LOG}"
        f" WHEN {when} BEGIN {body} END"
    )


SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS wagtail_qf_statistics_insert AFTER INSERT ON {SUBMISSIONS}"
    f" BEGIN {_add('NEW', *LITE)} END",
    f"CREATE TRIGGER IF NOT EXISTS wagtail_qf_statistics_delete AFTER DELETE ON {SUBMISSIONS}"
    f" BEGIN {_remove('OLD', *LITE)} END",
    f"CREATE TRIGGER IF NOT EXISTS wagtail_qf_statistics_update AFTER UPDATE ON {SUBMISSIONS}"
    f" WHEN {_changed(lambda a, b: f'({a}) IS NOT ({b})')} BEGIN {_remove('OLD', *LITE)} {_add('NEW', *LITE)} END",
    _sqlite_log_trigger("INSERT", ["NEW"]),
    _sqlite_log_trigger("UPDATE", ["OLD", "NEW"]),
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "wagtail_qf_statistics_insert",
        "wagtail_qf_statistics_delete",
        "wagtail_qf_statistics_update",
        "wagtail_qf_processed_insert",
        "wagtail_qf_processed_update",
        "wagtail_qf_processed_delete",
    )
]

# The first processed status of every dossier that has one, then every dossier counted.
_PROCESSED_ALL = (
    f"UPDATE {SUBMISSIONS} SET processed_at = (SELECT MIN(l.timestamp) FROM {LOG} l"  # noqa: S608
    f" WHERE l.content_type_id = {SUBMISSION_TYPE} AND l.object_id = CAST({SUBMISSIONS}.id AS {{text}})"
    f" AND l.action = {STATUS} AND {{new}} IN {PROCESSED})"
    f" WHERE CAST(id AS {{text}}) IN (SELECT object_id FROM {LOG}"
    f" WHERE action = {STATUS} AND content_type_id = {SUBMISSION_TYPE})"
)
REBUILD = {
    "postgresql": _rebuild(*PG),
    "sqlite": _rebuild(*LITE),
}
BACKFILL = {
    "postgresql": [_PROCESSED_ALL.format(text="text", new=_pg_new("l.data"))],
    "sqlite": [_PROCESSED_ALL.format(text="TEXT", new=_sqlite_new("l.data"))],
}


class StatisticsTriggers(migrations.RunSQL):
    """``RunSQL`` with the statements of the database in use (none on other vendors)."""

    STATEMENTS = {"postgresql": (POSTGRESQL, POSTGRESQL_DROP), "sqlite": (SQLITE, SQLITE_DROP)}

    def __init__(self, fill=False):
        super().__init__(sql=[], reverse_sql=[], elidable=False)
        self.fill = fill

    def _statements(self, schema_editor, which):
        return self.STATEMENTS.get(schema_editor.connection.vendor, ((), ()))[which]

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if router.allow_migrate(schema_editor.connection.alias, app_label, **self.hints):
            vendor = schema_editor.connection.vendor
            fill = BACKFILL.get(vendor, []) + REBUILD.get(vendor, []) if self.fill else []
            self._run_sql(schema_editor, fill + list(self._statements(schema_editor, 0)))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if router.allow_migrate(schema_editor.connection.alias, app_label, **self.hints):
            self._run_sql(schema_editor, list(self._statements(schema_editor, 1)))

    def describe(self):
        return "Statistics counters' triggers on the submission table and its history"


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_qf", "0011_host_layout"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="processed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="traité le"),
        ),
        migrations.CreateModel(
            name="DossierCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("hour", models.DateTimeField()),
                ("status", models.CharField(max_length=20)),
                ("qf_provider", models.CharField(blank=True, max_length=4)),
                ("source", models.CharField(max_length=20)),
                ("with_tax_data", models.BooleanField()),
                ("tariff_bracket", models.CharField(blank=True, max_length=40)),
                ("delay_hours", models.IntegerField(default=-1)),
                ("count", models.IntegerField(default=0)),
                (
                    "page",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "compteur de dossiers",
                "verbose_name_plural": "compteurs de dossiers",
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "page",
                            "hour",
                            "status",
                            "qf_provider",
                            "source",
                            "with_tax_data",
                            "tariff_bracket",
                            "delay_hours",
                        ),
                        name="qf_dossier_count_key",
                    )
                ],
            },
        ),
        StatisticsTriggers(fill=True),
        CountTriggers(),
    ]
