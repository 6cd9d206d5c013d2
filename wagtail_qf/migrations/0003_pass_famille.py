"""Pass Famille: the page's data sources (CAF/MSA quotient familial, DGFiP tax data, crèche data)
and the dossier's tax and crèche data.

On SQLite the new submission columns rebuild the table, which drops the counting triggers: they
are made again at the end (and, when this migration is reversed, after the table is rebuilt back).
"""

from importlib import import_module

import django.core.validators
from django.db import migrations, models

CountTriggers = import_module("wagtail_qf.migrations.0002_counter_triggers").CountTriggers


class CountTriggersOnReverse(CountTriggers):
    """Nothing forwards; reversed, the triggers again, once the table is rebuilt without the columns."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "Counting triggers on the submission table, when reversed"


class Migration(migrations.Migration):
    dependencies = [("wagtail_qf", "0002_counter_triggers")]

    operations = [
        CountTriggersOnReverse(),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='bracket_basis',
            field=models.CharField(choices=[('qf', 'le quotient familial de la CAF ou de la MSA'), ('rfr_per_part', 'le revenu fiscal de référence divisé par le nombre de parts')], default='qf', help_text="Les bornes des tranches tarifaires s'appliquent à cette valeur, en euros. Le revenu par part demande les données fiscales avec le revenu fiscal de référence et le nombre de parts.", max_length=20, verbose_name='les tranches portent sur'),
        ),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='dgfip_address',
            field=models.BooleanField(default=False, verbose_name='adresse fiscale'),
        ),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='dgfip_dependants',
            field=models.BooleanField(default=False, verbose_name='nombre de personnes à charge'),
        ),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='dgfip_family_situation',
            field=models.BooleanField(default=False, verbose_name='situation de famille'),
        ),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='dgfip_nb_parts',
            field=models.BooleanField(default=True, verbose_name='nombre de parts'),
        ),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='dgfip_rfr',
            field=models.BooleanField(default=True, verbose_name='revenu fiscal de référence'),
        ),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='fixed_income_year',
            field=models.PositiveSmallIntegerField(blank=True, help_text="Utilisée seulement avec la règle « année fixe », par exemple 2025 pour l'avis de 2026.", null=True, validators=[django.core.validators.MinValueValidator(2015), django.core.validators.MaxValueValidator(2100)], verbose_name='année de revenus fixe'),
        ),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='income_year_rule',
            field=models.CharField(choices=[('last', 'la dernière année disponible'), ('fixed', 'une année fixe')], default='last', help_text="La dernière année disponible : les revenus de l'an dernier une fois l'impôt établi (à partir de la date d'imposition réglée pour le site), sinon ceux de l'année d'avant.", max_length=10, verbose_name='année des revenus'),
        ),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='require_dgfip',
            field=models.BooleanField(default=False, help_text='Coché : sans données fiscales, le citoyen ne peut rien transmettre.', verbose_name='données fiscales indispensables'),
        ),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='require_eaje',
            field=models.BooleanField(default=False, help_text='Coché : sans ces données, le citoyen ne peut rien transmettre.', verbose_name='données de crèche indispensables'),
        ),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='require_qf',
            field=models.BooleanField(default=True, help_text='Coché : sans quotient familial, le citoyen ne peut rien transmettre.', verbose_name='quotient familial indispensable'),
        ),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='source_dgfip',
            field=models.BooleanField(default=False, help_text="Avis d'impôt sur le revenu, par l'API Impôt particulier de la DGFiP : seulement avec FranceConnect. Demande la configuration DGFiP du site.", verbose_name='données fiscales (impots.gouv.fr)'),
        ),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='source_eaje',
            field=models.BooleanField(default=False, help_text='Ressources annuelles et enfants à charge retenus par la CAF ou la MSA pour calculer la participation en crèche (API Particulier).', verbose_name='participation familiale en crèche (EAJE)'),
        ),
        migrations.AddField(
            model_name='qftransmissionpage',
            name='source_qf',
            field=models.BooleanField(default=True, help_text="Avec les allocataires, les enfants et l'adresse cochés ci-dessous (API Particulier).", verbose_name='quotient familial de la CAF ou de la MSA'),
        ),
        migrations.AddField(
            model_name='submission',
            name='eaje_data',
            field=models.JSONField(blank=True, null=True, verbose_name='données de crèche (EAJE)'),
        ),
        migrations.AddField(
            model_name='submission',
            name='missing_sources',
            field=models.JSONField(blank=True, default=dict, verbose_name='sources non obtenues'),
        ),
        migrations.AddField(
            model_name='submission',
            name='tariff_basis',
            field=models.CharField(blank=True, max_length=20, verbose_name='base de la tranche'),
        ),
        migrations.AddField(
            model_name='submission',
            name='tax_data',
            field=models.JSONField(blank=True, null=True, verbose_name='données fiscales'),
        ),
        CountTriggers(),
    ]
