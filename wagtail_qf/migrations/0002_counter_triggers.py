"""Triggers that keep ``SubmissionCount`` in step with the dossiers, and renew the token of
``SubmissionsVersion`` with every write of a dossier (see ``dossiers.triggers``).

The SQL is frozen here, as migrations are history. On SQLite, a later migration that
rebuilds the submission table (``AddField`` with a default, ``AlterField``…) drops
the triggers: it must run ``CountTriggers()`` again (``tests/admin/test_counters.py``
counts through every migration's end state, so a missing trigger fails the suite). The
statements replace (PostgreSQL) or keep (SQLite) a trigger that exists: running them again is harmless.
"""

from django.db import migrations, router

SUBMISSIONS = "wagtail_qf_submission"
COUNTS = "wagtail_qf_submissioncount"
VERSION = "wagtail_qf_submissionsversion"
# S608 below: the table names are these constants, never input.

_ADD = (
    f"INSERT INTO {COUNTS} (page_id, status, count) VALUES (NEW.page_id, NEW.status, 1)"  # noqa: S608
    f" ON CONFLICT (page_id, status) DO UPDATE SET count = {COUNTS}.count + 1;"
)
_REMOVE = f"UPDATE {COUNTS} SET count = count - 1 WHERE page_id = OLD.page_id AND status = OLD.status;"  # noqa: S608


def _renew(token):
    """The one row of ``VERSION`` gets a new random token (created by the first write)."""
    return (
        f"INSERT INTO {VERSION} (id, token) VALUES (1, {token})"  # noqa: S608
        " ON CONFLICT (id) DO UPDATE SET token = excluded.token;"
    )


POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION wagtail_qf_count_submissions() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN {_REMOVE} END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN {_ADD} END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE TRIGGER wagtail_qf_count_insert_delete AFTER INSERT OR DELETE ON {SUBMISSIONS}
FOR EACH ROW EXECUTE FUNCTION wagtail_qf_count_submissions()""",
    f"""CREATE OR REPLACE TRIGGER wagtail_qf_count_update AFTER UPDATE OF status, page_id ON {SUBMISSIONS}
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.page_id IS DISTINCT FROM NEW.page_id)
EXECUTE FUNCTION wagtail_qf_count_submissions()""",
    # Once per statement (a bulk write renews the token once), whatever the columns written.
    f"""CREATE OR REPLACE FUNCTION wagtail_qf_renew_version() RETURNS trigger AS $$
BEGIN
  {_renew("gen_random_uuid()::text")}
  RETURN NULL;
END $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE TRIGGER wagtail_qf_version AFTER INSERT OR UPDATE OR DELETE ON {SUBMISSIONS}
FOR EACH STATEMENT EXECUTE FUNCTION wagtail_qf_renew_version()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS wagtail_qf_count_insert_delete ON {SUBMISSIONS}",
    f"DROP TRIGGER IF EXISTS wagtail_qf_count_update ON {SUBMISSIONS}",
    "DROP FUNCTION IF EXISTS wagtail_qf_count_submissions()",
    f"DROP TRIGGER IF EXISTS wagtail_qf_version ON {SUBMISSIONS}",
    "DROP FUNCTION IF EXISTS wagtail_qf_renew_version()",
]

SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS wagtail_qf_count_insert AFTER INSERT ON {SUBMISSIONS} BEGIN {_ADD} END",
    f"CREATE TRIGGER IF NOT EXISTS wagtail_qf_count_delete AFTER DELETE ON {SUBMISSIONS} BEGIN {_REMOVE} END",
    f"""CREATE TRIGGER IF NOT EXISTS wagtail_qf_count_update AFTER UPDATE OF status, page_id ON {SUBMISSIONS}
WHEN OLD.status IS NOT NEW.status OR OLD.page_id IS NOT NEW.page_id BEGIN {_REMOVE} {_ADD} END""",
] + [  # SQLite has row triggers only
    f"CREATE TRIGGER IF NOT EXISTS wagtail_qf_version_{event.lower()} AFTER {event} ON {SUBMISSIONS}"
    f" BEGIN {_renew('lower(hex(randomblob(16)))')} END"
    for event in ("INSERT", "UPDATE", "DELETE")
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "wagtail_qf_count_insert",
        "wagtail_qf_count_delete",
        "wagtail_qf_count_update",
        "wagtail_qf_version_insert",
        "wagtail_qf_version_update",
        "wagtail_qf_version_delete",
    )
]


class CountTriggers(migrations.RunSQL):
    """``RunSQL`` with the statements of the database in use (none on other vendors: check W002)."""

    STATEMENTS = {"postgresql": (POSTGRESQL, POSTGRESQL_DROP), "sqlite": (SQLITE, SQLITE_DROP)}

    def __init__(self):
        super().__init__(sql=[], reverse_sql=[], elidable=False)

    def _statements(self, schema_editor, which):
        return self.STATEMENTS.get(schema_editor.connection.vendor, ((), ()))[which]

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if router.allow_migrate(schema_editor.connection.alias, app_label, **self.hints):
            self._run_sql(schema_editor, list(self._statements(schema_editor, 0)))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if router.allow_migrate(schema_editor.connection.alias, app_label, **self.hints):
            self._run_sql(schema_editor, list(self._statements(schema_editor, 1)))

    def describe(self):
        return "Counting and version triggers on the submission table"


class Migration(migrations.Migration):
    dependencies = [("wagtail_qf", "0001_initial")]

    operations = [CountTriggers()]
