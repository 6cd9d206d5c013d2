"""The HubEE folder lifecycle (issue 21): the case's id (notifications name it), the closing at
HubEE, and the state of a deposit HubEE refused for a registration reason."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wagtail_qf", "0005_search")]

    operations = [
        migrations.AddField(
            model_name="hubeeforwarding",
            name="case_id",
            field=models.CharField(
                blank=True, db_index=True, max_length=64, verbose_name="sous-dossier HubEE"
            ),
        ),
        migrations.AddField(
            model_name="hubeeforwarding",
            name="last_event_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="dernier événement HubEE"),
        ),
        migrations.AddField(
            model_name="hubeeforwarding",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="clos sur HubEE le"),
        ),
        migrations.AlterField(
            model_name="hubeeforwarding",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "À déposer"),
                    ("sending", "Envoi en cours"),
                    ("retry", "Nouvel essai prévu"),
                    ("deposited", "Déposé"),
                    ("failed", "Échec"),
                    ("unregistered", "Refusé par HubEE : enregistrement à compléter"),
                ],
                default="pending",
                max_length=12,
                verbose_name="état",
            ),
        ),
    ]
