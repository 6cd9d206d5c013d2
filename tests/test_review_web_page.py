"""What a webmaster types in the page editor: checked next to the field, never a 500, never a
page that publishes into a broken journey (review of the webmaster's side)."""

import pytest
from django.core.exceptions import ValidationError

from wagtail_qf.models import QFTransmissionPage, ServedCommune
from wagtail_qf.validators import validate_siret

from .test_page import page_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def add_url(home_page):
    return f"/admin/pages/add/wagtail_qf/qftransmissionpage/{home_page.pk}/"


def brackets(*rows):
    """The inline « Tranches tarifaires » of the editor's POST: (label, min, max) rows."""
    data = {"tariff_brackets-TOTAL_FORMS": str(len(rows))}
    for i, (label, low, high) in enumerate(rows):
        data.update(
            {
                f"tariff_brackets-{i}-label": label,
                f"tariff_brackets-{i}-qf_min": str(low),
                f"tariff_brackets-{i}-qf_max": "" if high is None else str(high),
                f"tariff_brackets-{i}-ORDER": str(i + 1),
            }
        )
    return data


def bracket_errors(response):
    formset = response.context["form"].formsets["tariff_brackets"]
    return [str(e) for form in formset.forms for errors in form.errors.values() for e in errors]


# -- La Poste's SIRET rule -------------------------------------------------------------------------
def test_la_poste_head_office_siret_keeps_the_luhn_key():
    """La Poste's establishments have a digit sum that is a multiple of 5; its head office
    (35600000000048) keeps the ordinary Luhn key."""
    validate_siret("35600000000048")
    with pytest.raises(ValidationError):
        validate_siret("35600000000049")


# -- a draft saved without its commune cannot crash a publication ----------------------------------
def test_a_draft_needs_its_commune_and_siret_so_that_publishing_it_cannot_fail(admin_client, add_url):
    """Wagtail lets a draft leave out required text fields, and its bulk « Publier » of the page
    listing then raises a 500 (wagtail/wagtail#14253). The commune's code and SIRET are asked
    for from the first save: a draft is always publishable."""
    data = page_form_data(commune_cog="", siret="")
    data.pop("action-publish")
    response = admin_client.post(add_url, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"commune_cog", "siret"}
    assert not QFTransmissionPage.objects.exists()

    data = page_form_data()
    data.pop("action-publish")
    assert admin_client.post(add_url, data).status_code == 302
    page = QFTransmissionPage.objects.get(slug="qf-cog")
    assert not page.live
    response = admin_client.post(f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next=/admin/", {})
    assert response.status_code == 302
    assert QFTransmissionPage.objects.get(pk=page.pk).live


# -- tariff brackets ------------------------------------------------------------------------------
def test_overlapping_brackets_are_refused_next_to_the_bracket(admin_client, add_url):
    response = admin_client.post(add_url, page_form_data(**brackets(("A", 0, 500), ("B", 400, None))))
    assert response.status_code == 200
    assert bracket_errors(response) == [
        "Cette tranche chevauche la tranche « A » (de 0 à 500\xa0€) : une même valeur ne peut être que "
        "dans une tranche. Corrigez le minimum ou le maximum."
    ]
    assert not QFTransmissionPage.objects.exists()


def test_two_brackets_without_maximum_overlap(admin_client, add_url):
    response = admin_client.post(add_url, page_form_data(**brackets(("A", 0, None), ("B", 800, None))))
    assert response.status_code == 200
    assert "chevauche la tranche « A » (à partir de 0\xa0€)" in bracket_errors(response)[0]


def test_a_gap_between_brackets_is_refused(admin_client, add_url):
    """A family whose QF falls between two brackets would get none."""
    response = admin_client.post(add_url, page_form_data(**brackets(("A", 0, 400), ("B", 500, None))))
    assert response.status_code == 200
    assert bracket_errors(response) == [
        "Aucune tranche ne va de 401 à 499\xa0€ : donnez à cette tranche le minimum 401, ou à la tranche "
        "« A » le maximum 499."
    ]


def test_brackets_typed_out_of_order_are_checked_in_order_of_their_minimum(admin_client, add_url):
    response = admin_client.post(
        add_url, page_form_data(**brackets(("C", 801, None), ("A", 0, 400), ("B", 401, 800)))
    )
    assert response.status_code == 302
    page = QFTransmissionPage.objects.get(slug="qf-cog")
    assert (page.tariff_bracket(0), page.tariff_bracket(401), page.tariff_bracket(9000)) == ("A", "B", "C")


def test_a_deleted_bracket_is_not_checked(admin_client, add_url):
    data = page_form_data(**brackets(("A", 0, 500), ("B", 400, None)))
    data["tariff_brackets-1-DELETE"] = "on"
    assert admin_client.post(add_url, data).status_code == 302


# -- served communes ------------------------------------------------------------------------------
def served(*cogs):
    data = {"served_communes-TOTAL_FORMS": str(len(cogs))}
    for i, cog in enumerate(cogs):
        data.update(
            {
                f"served_communes-{i}-cog": cog,
                f"served_communes-{i}-name": "",
                f"served_communes-{i}-postcode": "",
                f"served_communes-{i}-siret": "",
                f"served_communes-{i}-ORDER": str(i + 1),
            }
        )
    return data


def test_a_commune_served_twice_is_refused(admin_client, add_url):
    """The citizen would get the same commune twice among the choices."""
    response = admin_client.post(add_url, page_form_data(**served("35051", "35024", "35051")))
    assert response.status_code == 200
    formset = response.context["form"].formsets["served_communes"]
    assert formset.forms[2].errors["cog"] == ["Cette commune est déjà dans la liste des communes desservies."]


def test_a_served_communes_postcode_must_be_five_digits():
    """The page's own postcode is checked; a served commune's was not (« Betton (3583) »)."""
    with pytest.raises(ValidationError) as excinfo:
        ServedCommune(cog="35024", postcode="3583").clean()
    assert excinfo.value.message_dict["postcode"] == ["Le code postal doit comporter 5 chiffres."]


# -- options that need the site's settings ---------------------------------------------------------
def test_hubee_forwarding_needs_the_sites_hubee_settings(admin_client, add_url, settings):
    """Ticked without them, no dossier would ever be deposited, and nobody told."""
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "HUBEE": {}}
    response = admin_client.post(add_url, page_form_data(forward_to_hubee="on"))
    assert response.status_code == 200
    assert response.context["form"].errors["forward_to_hubee"] == [
        'Le dépôt dans HubEE demande l\'accès du site à HubEE (réglage WAGTAIL_QF["HUBEE"] : adresses, '
        "identifiant et secret, démarche enregistrée). Demandez-le à l'administrateur du site."
    ]
    settings.WAGTAIL_QF = {
        **settings.WAGTAIL_QF,
        "HUBEE": {"BASE_URL": "https://hubee.test/teledossiers/v1", "CLIENT_ID": "qf"},
    }
    assert admin_client.post(add_url, page_form_data(forward_to_hubee="on")).status_code == 302


def test_the_path_without_franceconnect_needs_the_sites_api_particulier_token(
    admin_client, add_url, settings
):
    """Without the token every identity typed would fail with « service indisponible »."""
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "API_PARTICULIER": {"TOKEN": ""}}
    response = admin_client.post(add_url, page_form_data(allow_identity_form="on"))
    assert response.status_code == 200
    assert response.context["form"].errors["allow_identity_form"] == [
        "Le parcours sans FranceConnect demande le jeton API Particulier du site (réglage "
        'WAGTAIL_QF["API_PARTICULIER"]["TOKEN"]). Demandez-le à l\'administrateur du site.'
    ]
