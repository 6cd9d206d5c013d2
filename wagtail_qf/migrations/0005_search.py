"""Search that finds (issue 19): the dossier's search text, filled for the existing dossiers,
and on PostgreSQL its trigram index.

On SQLite the new column rebuilds the submission table, which drops the counting triggers: they
are made again at the end (and, when this migration is reversed, after the table is rebuilt back).
"""

from importlib import import_module

from django.db import migrations, models

from wagtail_qf.models.search import search_text

CountTriggers = import_module("wagtail_qf.migrations.0002_counter_triggers").CountTriggers
CountTriggersOnReverse = import_module("wagtail_qf.migrations.0003_pass_famille").CountTriggersOnReverse

BATCH = 2000


class TrigramIndex(CountTriggers):
    """PostgreSQL only: a trigram GIN index on the search text, for ``LIKE '% word%'``
    (``dossiers.search``); other databases search without it."""

    STATEMENTS = {
        "postgresql": (
            [
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX IF NOT EXISTS qf_sub_search ON wagtail_qf_submission"
                " USING gin (search_text gin_trgm_ops)",
            ],
            ["DROP INDEX IF EXISTS qf_sub_search"],
        )
    }

    def describe(self):
        return "Trigram index on the dossiers' search text (PostgreSQL)"


def fill_search_text(apps, schema_editor):
    """The search text of the dossiers already there, a batch at a time."""
    Submission = apps.get_model("wagtail_qf", "Submission")
    rows = Submission.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        for row in batch:
            row.search_text = search_text(row)
        Submission.objects.using(schema_editor.connection.alias).bulk_update(batch, ["search_text"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("wagtail_qf", "0004_follow_up")]

    operations = [
        CountTriggersOnReverse(),
        migrations.AddField(
            model_name="submission",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="texte de recherche"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
        CountTriggers(),
        TrigramIndex(),
    ]
