"""The webmaster's choice of data sources: validation, consent list keys, FranceConnect scopes."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from wagtail_qf.franceconnect.scopes import IDENTITY_SCOPES
from wagtail_qf.models import QFTransmissionPage
from wagtail_qf.sources import rfr_per_part

pytestmark = pytest.mark.django_db

DGFIP_YEARS = [
    "dgfip_annee_n_moins_1",
    "dgfip_annee_n_moins_2",
]  # WAGTAIL_QF["DGFIP"]["YEAR_SCOPES"]'s default


def page(**fields):
    values = {"title": "QF", "commune_cog": "35051", "siret": "21350051800013"}
    return QFTransmissionPage(**{**values, **fields})


def errors_of(page) -> dict:
    with pytest.raises(ValidationError) as raised:
        page.clean()
    return raised.value.message_dict


def test_an_existing_page_asks_for_the_quotient_familial_as_before():
    existing = page()
    assert existing.data_sources() == ["qf"] and existing.required_sources() == ["qf"]
    assert existing.collected_data() == ["identity", "quotient_familial", "allocataires", "enfants"]
    assert existing.franceconnect_scopes() == [
        *IDENTITY_SCOPES,
        "email",  # the page follows the dossier up by e-mail (on by default, issue 18)
        "cnaf_quotient_familial",
        "cnaf_allocataires",
        "cnaf_enfants",
    ]


def test_tax_data_page_asks_only_the_ticked_fields_and_the_year_scopes(dgfip_on):
    tax = page(
        source_qf=False,
        require_qf=False,
        source_dgfip=True,
        dgfip_rfr=True,
        dgfip_nb_parts=True,
        dgfip_family_situation=True,
        dgfip_dependants=False,
        dgfip_address=True,
    )
    tax.clean()
    assert tax.collected_data() == ["identity", "rfr", "nb_parts", "situation_famille", "adresse_fiscale"]
    assert tax.franceconnect_scopes() == [
        *IDENTITY_SCOPES,
        "email",
        "dgfip_rfr",
        "dgfip_nbpart",
        "dgfip_sitfam",
        "dgfip_aft",
        *DGFIP_YEARS,
    ]


def test_dependants_map_to_their_own_scope(dgfip_on):
    tax = page(source_dgfip=True, dgfip_rfr=False, dgfip_nb_parts=False, dgfip_dependants=True)
    assert tax.franceconnect_scopes()[-3:] == ["dgfip_pac_nbPac", *DGFIP_YEARS]


def test_creche_page_asks_the_family_scopes_without_the_tax_ones():
    creche = page(
        source_qf=False, require_qf=False, source_eaje=True, require_eaje=True, collect_address=True
    )
    creche.clean()
    assert creche.collected_data() == ["identity", "allocataires", "enfants", "adresse", "participation_eaje"]
    scopes = creche.franceconnect_scopes()
    assert scopes == [
        *IDENTITY_SCOPES,
        "email",
        "cnaf_allocataires",
        "cnaf_enfants",
        "cnaf_adresse",
        "cnaf_quotient_familial",
    ]
    assert not [scope for scope in scopes if scope.startswith("dgfip_")]


def test_all_sources_together_ask_each_scope_once(dgfip_on):
    every = page(source_dgfip=True, source_eaje=True)
    scopes = every.franceconnect_scopes()
    assert len(scopes) == len(set(scopes))
    assert {"cnaf_quotient_familial", "dgfip_rfr", "dgfip_nbpart", *DGFIP_YEARS} <= set(scopes)


def test_no_source_is_refused():
    errors = errors_of(page(source_qf=False, require_qf=False))
    assert "Choisissez au moins une source de données" in errors["source_qf"][0]


def test_a_required_source_must_be_asked_for():
    errors = errors_of(page(source_eaje=True, source_qf=False, require_qf=True))
    assert "Une source indispensable doit être demandée" in errors["require_qf"][0]


def test_tax_data_without_the_dgfip_settings_is_refused_with_a_way_forward():
    errors = errors_of(page(source_dgfip=True))
    assert 'WAGTAIL_QF["DGFIP"]' in errors["source_dgfip"][0]
    assert "DataPass" in errors["source_dgfip"][0]


def test_tax_data_needs_a_field_and_a_fixed_year_when_the_rule_says_so(dgfip_on):
    errors = errors_of(
        page(source_dgfip=True, dgfip_rfr=False, dgfip_nb_parts=False, income_year_rule="fixed")
    )
    assert errors["dgfip_rfr"] == ["Cochez au moins une donnée fiscale à collecter."]
    assert "année fixe" in errors["fixed_income_year"][0]


def test_brackets_on_the_income_per_part_need_rfr_and_parts(dgfip_on):
    errors = errors_of(page(source_dgfip=True, dgfip_nb_parts=False, bracket_basis="rfr_per_part"))
    assert "revenu par part" in errors["bracket_basis"][0]
    page(source_dgfip=True, bracket_basis="rfr_per_part").clean()


@pytest.mark.parametrize(
    ("today", "rule", "fixed", "year", "fallback"),
    [
        (datetime.date(2026, 7, 31), "last", None, 2024, True),
        (datetime.date(2026, 8, 1), "last", None, 2025, True),
        (datetime.date(2026, 3, 1), "fixed", 2023, 2023, False),
    ],
)
def test_income_year_follows_the_page_rule_and_the_taxation_date(
    dgfip_on, today, rule, fixed, year, fallback
):
    choice = page(income_year_rule=rule, fixed_income_year=fixed).income_year(today)
    assert (choice.year, choice.fallback) == (year, fallback)


def test_rfr_per_part_is_in_whole_euros():
    assert rfr_per_part(36705, 2.5) == 14682
    assert rfr_per_part(None, 2.5) is None and rfr_per_part(36705, None) is None


@pytest.mark.parametrize(("value", "errors"), [("08-01", 0), ("02-29", 0), ("1er août", 1), ("13-01", 1)])
def test_a_taxation_date_that_is_no_day_is_a_system_check_error(value, errors):
    from django.conf import settings
    from django.test import override_settings

    from wagtail_qf.checks import check_settings

    qf = {**settings.WAGTAIL_QF, "DGFIP": {"TAXATION_DATE": value}}
    with override_settings(WAGTAIL_QF=qf):
        found = [error for error in check_settings() if error.id == "wagtail_qf.E006"]
    assert len(found) == errors
    assert not found or "MM-DD" in found[0].msg
