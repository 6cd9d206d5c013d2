"""Statistics and supervision (issue 19): daily counters of the journey and of upstream failures.

A new table only (page, day, event, code, count): no personal data."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_qf", "0009_documents"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DailyCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("start", "Connexion FranceConnect lancée"),
                            ("logged_in", "Connecté avec FranceConnect"),
                            ("data_obtained", "Données obtenues"),
                            ("transmitted", "Dossier transmis"),
                            ("upstream_failure", "Échec d'un service partenaire"),
                        ],
                        max_length=20,
                    ),
                ),
                ("code", models.CharField(blank=True, default="", max_length=60)),
                ("count", models.PositiveIntegerField(default=0)),
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
                "verbose_name": "compteur journalier",
                "verbose_name_plural": "compteurs journaliers",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("page", "day", "event", "code"), name="qf_daily_count_key"
                    )
                ],
            },
        ),
    ]
