"""The host's layout and the opinion button (issue 20): the page's « Je donne mon avis » link.

Only the page table changes: the submission table and its counting triggers are untouched.
"""

from django.db import migrations, models

import wagtail_qf.models.pages


class Migration(migrations.Migration):
    dependencies = [("wagtail_qf", "0010_statistics")]

    operations = [
        migrations.AddField(
            model_name="qftransmissionpage",
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
