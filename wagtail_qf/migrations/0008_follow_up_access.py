"""The follow-up page (issue 18): who may see which dossier again.

The dossier's keyed hash of the FranceConnect ``sub`` (indexed with its page), and the single-use
links e-mailed to families without FranceConnect. On SQLite the new submission column rebuilds the
table, which drops the counting triggers: they are made again at the end (and, when this migration
is reversed, after the table is rebuilt back).
"""

from importlib import import_module

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

CountTriggers = import_module("wagtail_qf.migrations.0002_counter_triggers").CountTriggers
CountTriggersOnReverse = import_module("wagtail_qf.migrations.0003_pass_famille").CountTriggersOnReverse


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_qf", "0007_editors_dropin"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        CountTriggersOnReverse(),
        migrations.AddField(
            model_name="submission",
            name="follow_up_key",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="clé de suivi"),
        ),
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(fields=["page", "follow_up_key"], name="qf_sub_follow_up"),
        ),
        migrations.CreateModel(
            name="FollowUpLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token_hash", models.CharField(blank=True, db_index=True, editable=False, max_length=64)),
                ("submissions", models.JSONField(default=list, verbose_name="dossiers")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("expires_at", models.DateTimeField(verbose_name="expire le")),
                ("used_at", models.DateTimeField(blank=True, null=True, verbose_name="utilisé le")),
                (
                    "page",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
            ],
            options={"verbose_name": "lien de suivi", "verbose_name_plural": "liens de suivi"},
        ),
        CountTriggers(),
    ]
