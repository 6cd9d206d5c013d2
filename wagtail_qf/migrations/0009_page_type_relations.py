"""Tariff brackets, served communes and editor tokens point to the Page model, so that any
page type built on ``AbstractQFTransmissionPage`` can have them.

The stored ids do not change (a QF page's id is its Page id): brackets and served communes
keep their ``page_id``; the editor tokens' link table keeps its rows, its page column renamed.
The commune's name and postcode may be left empty: they are filled from the COG.
"""

import django.db.models.deletion
import modelcluster.fields
import wagtail_qf.models.pages
import wagtail_qf.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wagtail_qf', '0008_counter_triggers'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='editortoken',
            name='pages',
            field=models.ManyToManyField(blank=True, help_text='Le jeton ne lit que les dossiers de ces pages.', limit_choices_to=wagtail_qf.models.pages.qf_pages_only, related_name='editor_tokens', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='communes (pages de quotient familial)'),
        ),
        migrations.AlterField(
            model_name='qftransmissionpage',
            name='commune_cog',
            field=models.CharField(help_text="Code officiel géographique de la commune, par exemple 35051 (ce n'est pas le code postal).", max_length=5, validators=[wagtail_qf.validators.validate_cog], verbose_name='code INSEE (COG)'),
        ),
        migrations.AlterField(
            model_name='qftransmissionpage',
            name='commune_name',
            field=models.CharField(blank=True, help_text="Vide : le nom officiel de la commune. Sur un site intercommunal, le nom de l'EPCI.", max_length=120, verbose_name='nom de la commune'),
        ),
        migrations.AlterField(
            model_name='qftransmissionpage',
            name='commune_postcode',
            field=models.CharField(blank=True, help_text='Vide : le code postal principal de la commune.', max_length=5, validators=[wagtail_qf.validators.validate_postcode], verbose_name='code postal'),
        ),
        migrations.AlterField(
            model_name='servedcommune',
            name='page',
            field=modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='served_communes', to=settings.WAGTAIL_PAGE_MODEL),
        ),
        migrations.AlterField(
            model_name='tariffbracket',
            name='page',
            field=modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='tariff_brackets', to=settings.WAGTAIL_PAGE_MODEL),
        ),
    ]
