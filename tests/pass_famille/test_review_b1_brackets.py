"""Review b1: the tariff bracket on the income per part (rfr_per_part) with a « non imposable »
household (RFR 0) and with a figure the DGFiP did not give; the income year around 1 January."""

import datetime

import pytest
from django.urls import reverse

from wagtail_qf.dgfip.years import YearChoice, choose_year
from wagtail_qf.models import TariffBracket

from ..fakes import dgfip as gw
from .conftest import YEAR, dgfip_routes, flat, transmit

pytestmark = [pytest.mark.django_db, pytest.mark.respx(assert_all_called=False)]


@pytest.fixture
def per_part_page(dgfip_on, make_qf_page):
    page = make_qf_page(
        source_qf=False,
        require_qf=False,
        source_dgfip=True,
        require_dgfip=True,
        collect_children=False,
        bracket_basis="rfr_per_part",
    )
    TariffBracket.objects.create(page=page, label="A", qf_min=0, qf_max=10000, sort_order=0)
    TariffBracket.objects.create(page=page, label="B", qf_min=10001, qf_max=None, sort_order=1)
    return page


def test_a_household_with_no_taxable_income_gets_the_first_bracket_and_everyone_reads_why(
    client, fc, respx_mock, per_part_page, admin_client
):
    dgfip_routes(respx_mock, YEAR, body={**gw.EXAMPLE, "rfr": 0, "nbPart": 1})
    client.get(fc.authorize(client, per_part_page.url + "connexion/"))
    quotient = flat(client.get(per_part_page.url + "quotient/").content.decode())
    assert "Revenu fiscal de référence : 0 €" in quotient
    assert "Votre tranche tarifaire : A ." in quotient
    assert "0 € ÷ 1 = 0 € par part." in quotient
    dossier = transmit(client, per_part_page)
    assert dossier.tariff_bracket == "A"
    detail = flat(
        admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    )
    assert "A (d'après le revenu fiscal de référence par part : 0 €)" in detail


def test_without_the_number_of_parts_no_bracket_is_made_up(client, fc, respx_mock, per_part_page):
    dgfip_routes(respx_mock, YEAR, body={**gw.EXAMPLE, "nbPart": None})
    client.get(fc.authorize(client, per_part_page.url + "connexion/"))
    quotient = flat(client.get(per_part_page.url + "quotient/").content.decode())
    assert "Revenu fiscal de référence : 36 705 €" in quotient
    assert "Votre tranche tarifaire :" not in quotient
    assert (
        "Votre tranche tarifaire n'a pas pu être déterminée : l'administration fiscale n'a pas transmis "
        "votre nombre de parts. La commune la déterminera." in quotient
    )
    dossier = transmit(client, per_part_page)
    assert dossier.tariff_bracket == "" and dossier.tax_data["nb_parts"] is None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 1, 1), YearChoice(2024, fallback=True)),  # the avis of 2025 is the last
        (datetime.date(2025, 12, 31), YearChoice(2024, fallback=True)),
        (datetime.date(2026, 7, 31), YearChoice(2024, fallback=True)),  # before the tax notices
        (datetime.date(2026, 8, 1), YearChoice(2025, fallback=True)),
    ],
)
def test_the_income_year_asked_around_new_year_and_before_the_tax_notices(today, expected):
    assert choose_year(today, "08-01") == expected
    assert choose_year(today, "08-01", fixed_year=2023) == YearChoice(2023)
