"""Database triggers that keep ``SubmissionCount`` in step with the dossiers.

The database counts every insert, status change and deletion itself, inside the
same statement: no extra round trip per transmission, and bulk writes and raw
SQL (imports, benchmarks) are counted too. PostgreSQL and SQLite, the two
supported databases, have them (``manage.py check`` warns on another: W002).
"""

SUBMISSIONS = "wagtail_qf_submission"
COUNTS = "wagtail_qf_submissioncount"
# S608 below: the table names are these constants, never input.

_ADD = (
    f"INSERT INTO {COUNTS} (page_id, status, count) VALUES (NEW.page_id, NEW.status, 1)"  # noqa: S608
    f" ON CONFLICT (page_id, status) DO UPDATE SET count = {COUNTS}.count + 1;"
)
_REMOVE = f"UPDATE {COUNTS} SET count = count - 1 WHERE page_id = OLD.page_id AND status = OLD.status;"  # noqa: S608

POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION wagtail_qf_count_submissions() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN {_REMOVE} END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN {_ADD} END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER wagtail_qf_count_insert_delete AFTER INSERT OR DELETE ON {SUBMISSIONS}
FOR EACH ROW EXECUTE FUNCTION wagtail_qf_count_submissions()""",
    f"""CREATE TRIGGER wagtail_qf_count_update AFTER UPDATE OF status, page_id ON {SUBMISSIONS}
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.page_id IS DISTINCT FROM NEW.page_id)
EXECUTE FUNCTION wagtail_qf_count_submissions()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS wagtail_qf_count_insert_delete ON {SUBMISSIONS}",
    f"DROP TRIGGER IF EXISTS wagtail_qf_count_update ON {SUBMISSIONS}",
    "DROP FUNCTION IF EXISTS wagtail_qf_count_submissions()",
]

SQLITE = [
    f"CREATE TRIGGER wagtail_qf_count_insert AFTER INSERT ON {SUBMISSIONS} BEGIN {_ADD} END",
    f"CREATE TRIGGER wagtail_qf_count_delete AFTER DELETE ON {SUBMISSIONS} BEGIN {_REMOVE} END",
    f"""CREATE TRIGGER wagtail_qf_count_update AFTER UPDATE OF status, page_id ON {SUBMISSIONS}
WHEN OLD.status IS NOT NEW.status OR OLD.page_id IS NOT NEW.page_id BEGIN {_REMOVE} {_ADD} END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in ("wagtail_qf_count_insert", "wagtail_qf_count_delete", "wagtail_qf_count_update")
]

STATEMENTS = {"postgresql": (POSTGRESQL, POSTGRESQL_DROP), "sqlite": (SQLITE, SQLITE_DROP)}


def supported(connection) -> bool:
    return connection.vendor in STATEMENTS


def _run(schema_editor, which):
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements:
        for sql in statements[which]:
            schema_editor.execute(sql, params=None)


def create(apps, schema_editor):
    _run(schema_editor, 0)
    # Start from exact counts (raw writes may have been missed before the triggers).
    Submission = apps.get_model("wagtail_qf", "Submission")
    SubmissionCount = apps.get_model("wagtail_qf", "SubmissionCount")
    from django.db.models import Count

    SubmissionCount.objects.all().delete()
    rows = Submission.objects.values("page_id", "status").annotate(n=Count("pk")).order_by()
    SubmissionCount.objects.bulk_create(
        SubmissionCount(page_id=row["page_id"], status=row["status"], count=row["n"]) for row in rows
    )


def drop(apps, schema_editor):
    _run(schema_editor, 1)
