"""The QF page: what the webmaster can create, and what it asks for."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from wagtail_qf.models import QFTransmissionPage
from wagtail_qf.months import MonthRule, QFMonth, resolve_month
from wagtail_qf.validators import validate_cog, validate_postcode, validate_siret


@pytest.mark.parametrize("value", ["21350051800013", "73282932000074", "35600000000010"])
def test_valid_sirets(value):
    validate_siret(value)


@pytest.mark.parametrize("value", ["21350051800018", "2135005180001", "2135005180001A", ""])
def test_invalid_sirets(value):
    with pytest.raises(ValidationError):
        validate_siret(value)


@pytest.mark.parametrize("value", ["35051", "2A004", "2B033", "97411"])
def test_valid_cogs(value):
    validate_cog(value)


@pytest.mark.parametrize("value", ["3505", "350511", "2C004", "ABCDE"])
def test_invalid_cogs(value):
    with pytest.raises(ValidationError):
        validate_cog(value)


@pytest.mark.parametrize("value", ["3551", "355100", "35 51"])
def test_invalid_postcodes(value):
    with pytest.raises(ValidationError):
        validate_postcode(value)


@pytest.mark.parametrize(
    "rule, fixed, today, expected",
    [
        (MonthRule.CURRENT, None, datetime.date(2026, 11, 22), QFMonth(2026, 11)),
        (MonthRule.PREVIOUS, None, datetime.date(2026, 11, 22), QFMonth(2026, 10)),
        (MonthRule.PREVIOUS, None, datetime.date(2026, 1, 5), QFMonth(2025, 12)),
        (MonthRule.FIXED, 1, datetime.date(2026, 11, 22), QFMonth(2026, 1)),
        (MonthRule.FIXED, 12, datetime.date(2026, 11, 22), QFMonth(2025, 12)),
        (MonthRule.FIXED, 11, datetime.date(2026, 11, 1), QFMonth(2026, 11)),
    ],
)
def test_month_rule(rule, fixed, today, expected):
    assert resolve_month(rule, fixed, today) == expected


def test_page_full_clean_rejects_bad_identifiers(home_page):
    page = QFTransmissionPage(
        title="QF",
        slug="qf",
        commune_name="X",
        commune_cog="123",
        commune_postcode="1",
        siret="21350051800018",
    )
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert {"commune_cog", "commune_postcode", "siret"} <= set(excinfo.value.message_dict)


def test_fixed_rule_needs_a_month(home_page):
    page = QFTransmissionPage(
        title="QF",
        slug="qf",
        commune_name="X",
        commune_cog="35051",
        commune_postcode="35510",
        siret="21350051800013",
        month_rule=MonthRule.FIXED,
    )
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert "fixed_month" in excinfo.value.message_dict


def test_page_cannot_have_children():
    assert QFTransmissionPage.allowed_subpage_models() == []


def test_page_can_be_created_under_a_content_page(home_page):
    assert QFTransmissionPage.can_create_at(home_page)


def test_collected_data_drives_scopes(make_qf_page):
    page = make_qf_page(collect_address=True, collect_allocataires=False)
    assert page.collected_data() == ["identity", "quotient_familial", "enfants", "adresse"]
    scopes = page.franceconnect_scopes()
    assert "openid" in scopes and "birthdate" in scopes
    assert {"cnaf_quotient_familial", "cnaf_enfants", "cnaf_adresse"} <= set(scopes)
    assert "cnaf_allocataires" not in scopes


def test_page_is_a_wagtail_page_of_the_swappable_base(qf_page):
    assert isinstance(qf_page, Page)
    assert Page.objects.get(pk=qf_page.pk).specific_class is QFTransmissionPage


def test_webmaster_creates_page_in_admin(client, home_page, django_user_model):
    admin = django_user_model.objects.create_superuser("webmaster", "w@example.org", "pw")
    client.force_login(admin)
    url = f"/admin/pages/add/wagtail_qf/qftransmissionpage/{home_page.pk}/"
    assert client.get(url).status_code == 200
    data = {
        "title": "Quotient familial 2026",
        "slug": "qf-2026",
        "commune_name": "Cesson-Sévigné",
        "commune_cog": "35051",
        "commune_postcode": "35510",
        "siret": "21350051800013",
        "month_rule": "fixed",
        "fixed_month": "1",
        # The data sources (Pass Famille) as the admin form sends them by default.
        "source_qf": "on",
        "require_qf": "on",
        "income_year_rule": "last",
        "bracket_basis": "qf",
        "collect_allocataires": "on",
        "collect_children": "on",
        "texts-count": "0",
        "tariff_brackets-TOTAL_FORMS": "2",
        "tariff_brackets-INITIAL_FORMS": "0",
        "tariff_brackets-MIN_NUM_FORMS": "0",
        "tariff_brackets-MAX_NUM_FORMS": "1000",
        "tariff_brackets-0-label": "A",
        "tariff_brackets-0-qf_min": "0",
        "tariff_brackets-0-qf_max": "400",
        "tariff_brackets-0-ORDER": "1",
        "tariff_brackets-1-label": "B",
        "tariff_brackets-1-qf_min": "401",
        "tariff_brackets-1-qf_max": "",
        "tariff_brackets-1-ORDER": "2",
        "served_communes-TOTAL_FORMS": "0",
        "served_communes-INITIAL_FORMS": "0",
        "served_communes-MIN_NUM_FORMS": "0",
        "served_communes-MAX_NUM_FORMS": "1000",
        "action-publish": "publish",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    page = QFTransmissionPage.objects.get(slug="qf-2026")
    assert page.live and page.fixed_month == 1 and not page.collect_address
    assert [b.label for b in page.tariff_brackets.all()] == ["A", "B"]
    assert (page.tariff_bracket(400), page.tariff_bracket(401), page.tariff_bracket(5000)) == ("A", "B", "B")

    bad = dict(data, slug="qf-bad", siret="21350051800018")
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "siret" in response.context["form"].errors


# -- the commune's COG, checked against the shipped communes (issue 14, item 15) -------------------
def page_form_data(**fields):
    """The page editor's POST for a new QF page, publishing it."""
    data = {
        "title": "Quotient familial",
        "slug": "qf-cog",
        "commune_name": "",
        "commune_cog": "35051",
        "commune_postcode": "",
        "siret": "21350051800013",
        "month_rule": "current",
        # The data sources (Pass Famille) as the admin form sends them by default.
        "source_qf": "on",
        "require_qf": "on",
        "income_year_rule": "last",
        "bracket_basis": "qf",
        "texts-count": "0",
        "action-publish": "publish",
    }
    for inline in ("tariff_brackets", "served_communes"):
        data.update(
            {
                f"{inline}-TOTAL_FORMS": "0",
                f"{inline}-INITIAL_FORMS": "0",
                f"{inline}-MIN_NUM_FORMS": "0",
                f"{inline}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(fields)
    return data


@pytest.fixture
def page_editor(admin_client, home_page):
    url = f"/admin/pages/add/wagtail_qf/qftransmissionpage/{home_page.pk}/"
    return lambda **fields: admin_client.post(url, page_form_data(**fields))


def test_postcode_typed_as_cog_is_refused_with_the_commune_code(page_editor):
    response = page_editor(commune_cog="35510", commune_name="Cesson-Sévigné")
    assert response.status_code == 200
    assert response.context["form"].errors["commune_cog"] == [
        "35510 est un code postal, pas un code INSEE (COG). Code INSEE correspondant : Cesson-Sévigné, 35051."
    ]
    assert not QFTransmissionPage.objects.exists()


def test_cog_of_no_commune_is_refused(page_editor):
    response = page_editor(commune_cog="35999")
    assert "ne correspond à aucune commune actuelle" in response.context["form"].errors["commune_cog"][0]


def test_cog_of_a_former_commune_gives_the_current_code(db):
    page = QFTransmissionPage(title="QF", slug="qf", commune_cog="49001", siret="21350051800013")
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert excinfo.value.message_dict["commune_cog"] == [
        "49001 est le code INSEE d'une ancienne commune (Les Alleuds). Code INSEE actuel : "
        "Brissac Loire Aubance, 49050."
    ]


def test_postcode_of_another_commune_is_refused(page_editor):
    response = page_editor(commune_cog="35238", commune_postcode="35510")
    assert response.context["form"].errors["commune_postcode"] == [
        "Le code postal 35510 ne correspond pas à ce code INSEE : Rennes a pour codes postaux 35000, 35200, "
        "35700. Corrigez-le, ou laissez le champ vide pour le code postal principal."
    ]


def test_name_and_postcode_are_filled_from_the_cog(page_editor):
    assert page_editor(commune_cog="35051").status_code == 302
    page = QFTransmissionPage.objects.get(slug="qf-cog")
    assert (page.commune_name, page.commune_postcode) == ("Cesson-Sévigné", "35510")


def test_typed_name_and_other_postcode_of_the_commune_are_kept(page_editor):
    # An intercommunal page names the EPCI; Rennes has three postcodes.
    response = page_editor(commune_cog="35238", commune_name="Rennes Métropole", commune_postcode="35200")
    assert response.status_code == 302
    page = QFTransmissionPage.objects.get(slug="qf-cog")
    assert (page.commune_name, page.commune_postcode) == ("Rennes Métropole", "35200")


def test_served_commune_postcode_must_be_the_communes():
    from wagtail_qf.models import ServedCommune

    with pytest.raises(ValidationError) as excinfo:
        ServedCommune(cog="35024", postcode="35510").clean()
    assert "Betton a pour code postal 35830" in excinfo.value.message_dict["postcode"][0]


# -- the page editor's wording (issue 14, item 14) ------------------------------------------------
def test_page_editor_add_buttons_read_as_french(admin_client, home_page):
    html = admin_client.get(
        f"/admin/pages/add/wagtail_qf/qftransmissionpage/{home_page.pk}/"
    ).content.decode()
    assert "Ajouter une tranche" in html and "Ajouter une commune desservie" in html
    assert "un(e)" not in html
