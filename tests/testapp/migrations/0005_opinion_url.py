"""The page's « Je donne mon avis » link (issue 20), on the test app's own page type."""

from django.db import migrations, models

import wagtail_qf.models.pages


class Migration(migrations.Migration):
    dependencies = [("testapp", "0004_follow_up")]

    operations = [
        migrations.AddField(
            model_name="townhallqfpage",
            name="opinion_url",
            field=models.URLField(
                blank=True,
                help_text=(
                    "Facultatif : l'adresse de votre démarche sur Services Publics+ "
                    "(https://jedonnemonavis.numerique.gouv.fr/Demarches/…). Le bouton « Je donne mon avis » "
                    "est alors proposé au citoyen une fois ses données transmises. Vide : pas de bouton."
                ),
                max_length=500,
                validators=[wagtail_qf.models.pages.validate_opinion_url],
                verbose_name="lien « Je donne mon avis »",
            ),
        ),
    ]
