"""The exported rows lose the index of their dossier: the primary key (dossier, export) starts with it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_qf", "0012_inbox_volume"),
    ]

    operations = [
        migrations.AlterField(
            model_name="exportedsubmission",
            name="submission",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="wagtail_qf.submission",
            ),
        ),
    ]
