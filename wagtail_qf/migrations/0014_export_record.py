"""The exported rows' index of their export becomes a BRIN on PostgreSQL (a B-tree elsewhere):
an export's rows are written together at the end of the table, so the BRIN finds them, and it
costs a fraction of a B-tree's upkeep for each of the million rows an export can write."""

import django.db.models.deletion
from django.db import migrations, models


class AddIndexBrinOnPostgreSQL(migrations.AddIndex):
    """``AddIndex`` whose index is a BRIN (summarised as its ranges fill) on PostgreSQL; the
    state, and other databases, keep the plain index (Django has no index of one vendor only)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        from django.contrib.postgres.indexes import BrinIndex

        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            brin = BrinIndex(fields=self.index.fields, name=self.index.name, autosummarize=True)
            schema_editor.add_index(model, brin)


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_qf", "0013_export_rows_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="exportedsubmission",
            name="export",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="wagtail_qf.export",
            ),
        ),
        AddIndexBrinOnPostgreSQL(
            model_name="exportedsubmission",
            index=models.Index(fields=["export"], name="qf_exported_export"),
        ),
    ]
