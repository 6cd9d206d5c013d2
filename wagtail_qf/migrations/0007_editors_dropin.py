"""A drop-in for the national form's integrations (issue 21): a served commune's SIRET (the
national form's deep link names a commune by it) and the editor's way back left untouched."""

import wagtail_qf.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wagtail_qf", "0006_hubee_lifecycle")]

    operations = [
        migrations.AddField(
            model_name="servedcommune",
            name="siret",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text=(
                    "Facultatif : les liens des portails famille qui visent ce SIRET (comme pour le "
                    "formulaire national) mènent à cette page, la commune déjà choisie."
                ),
                max_length=14,
                validators=[wagtail_qf.validators.validate_siret],
                verbose_name="SIRET de la commune",
            ),
        ),
        migrations.AddField(
            model_name="editortoken",
            name="return_untouched",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Comme le formulaire national : la famille revient à l'adresse de retour du lien, sans "
                    "paramètre ajouté (ni identifiant, ni référence du dossier, ni statut)."
                ),
                verbose_name="revenir à l'adresse de retour telle quelle",
            ),
        ),
    ]
