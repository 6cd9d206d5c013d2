"""The family's address, messages to the family, status « Reçu » (issue 18).

The page's follow-up settings; the origin of the dossier's e-mail address; the status « Reçu »
among the choices. On SQLite the new submission column rebuilds the table, which drops the
counting triggers: they are made again at the end (and, when this migration is reversed, after
the table is rebuilt back).
"""

from importlib import import_module

from django.db import migrations, models

CountTriggers = import_module("wagtail_qf.migrations.0002_counter_triggers").CountTriggers
CountTriggersOnReverse = import_module("wagtail_qf.migrations.0003_pass_famille").CountTriggersOnReverse


class Migration(migrations.Migration):
    dependencies = [("wagtail_qf", "0003_pass_famille")]

    operations = [
        CountTriggersOnReverse(),
        migrations.AddField(
            model_name="qftransmissionpage",
            name="follow_up_by_email",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Avec FranceConnect, l'adresse électronique de la famille est demandée à FranceConnect "
                    "et lui est montrée avant la transmission ; elle peut la modifier. Les agents lui "
                    "écrivent depuis le dossier. Sans FranceConnect, l'adresse saisie est toujours demandée."
                ),
                verbose_name="suivi par courriel",
            ),
        ),
        migrations.AddField(
            model_name="qftransmissionpage",
            name="notify_status_changes",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Un court courriel à chaque changement de statut fait par un agent, même sans message. "
                    "Les messages des agents sont toujours envoyés."
                ),
                verbose_name="prévenir la famille de chaque changement de statut",
            ),
        ),
        migrations.AddField(
            model_name="submission",
            name="email_origin",
            field=models.CharField(
                blank=True,
                choices=[
                    ("franceconnect", "certifiée par FranceConnect"),
                    ("citizen", "saisie par le demandeur"),
                    ("agent", "saisie par l'agent au guichet"),
                ],
                max_length=20,
                verbose_name="origine de l'adresse électronique",
            ),
        ),
        migrations.AlterField(
            model_name="submission",
            name="status",
            field=models.CharField(
                choices=[
                    ("new", "Nouveau"),
                    ("received", "Reçu"),
                    ("in_progress", "En cours"),
                    ("awaiting", "En attente de compléments"),
                    ("refused", "Refusé"),
                    ("done", "Traité"),
                    ("closed", "Clos"),
                ],
                default="new",
                max_length=20,
                verbose_name="statut",
            ),
        ),
        CountTriggers(),
    ]
