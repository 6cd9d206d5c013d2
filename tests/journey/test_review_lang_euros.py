"""Amounts in euros are written one way in each language: « 36 705 € » in French, « €36,705 »
in English, in the steps, the dossier's display, the PDF summary and the tariff brackets."""

import pytest
from django.utils import translation

from wagtail_qf.dossier_display import tax_rows
from wagtail_qf.models import TariffBracket

pytestmark = pytest.mark.django_db


def _rfr(rows) -> str:
    return dict(rows)[
        "Revenu fiscal de référence" if translation.get_language() == "fr" else "Reference tax income"
    ]


def test_the_tax_rows_write_euros_as_each_language_does():
    tax = {"rfr": 36705, "nb_parts": 2.5}
    with translation.override("fr"):
        assert _rfr(tax_rows(tax)) == "36\xa0705\xa0€"
    with translation.override("en"):
        assert _rfr(tax_rows(tax)) == "€36,705"


def test_the_brackets_write_euros_as_each_language_does():
    with translation.override("en"):
        assert TariffBracket(qf_min=0, qf_max=400).bounds == "from €0 to €400"
        assert TariffBracket(qf_min=1200).bounds == "from €1,200"
    with translation.override("fr"):
        assert TariffBracket(qf_min=0, qf_max=400).bounds == "de 0 à 400\xa0€"
