"""The page's follow-up settings (issue 18), on the test app's own page type."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("testapp", "0003_townhall_submission")]

    operations = [
        migrations.AddField(
            model_name="townhallqfpage",
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
            model_name="townhallqfpage",
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
    ]
