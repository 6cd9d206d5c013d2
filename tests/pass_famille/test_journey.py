"""The whole journey on a tax-data page and a crèche page: consent list, partial success, what the
dossier stores, and what the agent, the exports, the editors' API (and HubEE's JSON) and the PDF show."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from wagtail_qf.dossiers.columns import export_columns, export_rows
from wagtail_qf.dossiers.serializers import dossier_of
from wagtail_qf.models import Submission, TariffBracket

from ..fakes import dgfip as gw
from ..fakes import particulier as api
from .conftest import YEAR, dgfip_routes, eaje_route, flat, transmit

pytestmark = [pytest.mark.django_db, pytest.mark.respx(assert_all_called=False)]


@pytest.fixture
def tax_page(dgfip_on, make_qf_page):
    page = make_qf_page(
        source_qf=False,
        require_qf=False,
        source_dgfip=True,
        require_dgfip=True,
        dgfip_family_situation=True,
        dgfip_address=True,
        collect_children=False,
        bracket_basis="rfr_per_part",
    )
    TariffBracket.objects.create(page=page, label="A", qf_min=0, qf_max=10000, sort_order=0)
    TariffBracket.objects.create(page=page, label="B", qf_min=10001, qf_max=None, sort_order=1)
    return page


def test_tax_data_page_end_to_end(client, fc, respx_mock, tax_page, admin_client):
    _tokens, situation = dgfip_routes(respx_mock, YEAR)
    qf_route = api.particulier_ok(respx_mock, api.DUPONT)
    start = flat(client.get(tax_page.url).content.decode())
    assert "Votre revenu fiscal de référence" in start and "Votre quotient familial de" not in start

    client.get(fc.authorize(client, tax_page.url + "connexion/"))
    assert "dgfip_rfr" in fc.last_authorize["scope"].split()
    assert situation.called and not qf_route.called
    consent = flat(client.get(tax_page.url + "consentement/").content.decode())
    for ticked in (
        "Votre revenu fiscal de référence",
        "Le nombre de parts de votre foyer fiscal",
        "Votre situation de famille déclarée aux impôts",
        "Votre adresse connue de l'administration fiscale",
    ):
        assert ticked in consent
    assert "personnes à votre charge" not in consent and "Votre quotient familial de" not in consent

    quotient = flat(client.get(tax_page.url + "quotient/").content.decode())
    assert f"D'après votre avis d'impôt sur les revenus de {YEAR}" in quotient
    assert "Revenu fiscal de référence : 36 705 €" in quotient and "Nombre de parts : 2,5" in quotient
    assert "Situation de famille : Marié ou mariée" in quotient
    assert "Votre tranche tarifaire : B ." in quotient  # (B in bold)
    assert (
        "Elle est calculée sur votre revenu fiscal de référence divisé par votre nombre de parts : "
        "36 705 € ÷ 2,5 = 14 682 € par part." in quotient
    )

    dossier = transmit(client, tax_page)
    assert dossier.tax_data == {
        "annee_revenus": YEAR,
        "annee_demandee": YEAR,
        "rfr": 36705,
        "nb_parts": 2.5,
        "situation_famille": "M",
        "adresse_fiscale": {
            "texte": "BAT 3 APT 93 10 RUE DU CENTRE 93160 NOISY LE GRAND",
            "complement": "BAT 3 APT 93",
            "voie": "10 RUE DU CENTRE",
            "commune": "",
            "code_postal_ville": "93160 NOISY LE GRAND",
        },
    }  # not the dependants: the page does not collect them
    assert dossier.eaje_data is None and dossier.qf_value is None
    assert (dossier.tariff_bracket, dossier.tariff_basis) == ("B", "rfr_per_part")
    assert dossier.raw_response == {} and dossier.allocataires == [] and dossier.children == []

    detail = flat(
        admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    )
    pdf = admin_client.get(reverse("wagtail_qf_submissions:pdf", args=[dossier.pk]))
    pdf_text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    for shown in (detail, pdf_text.replace("\xa0", " ")):
        assert "Revenu fiscal de référence 36 705 €" in shown
        assert "B (d'après le revenu fiscal de référence par part : 14 682 €)" in shown
        assert "Adresse fiscale BAT 3 APT 93 10 RUE DU CENTRE 93160 NOISY LE GRAND" in shown
    assert "Quotient familial" not in detail.split("Données fiscales")[0].split("Demandeur")[-1]

    columns = export_columns()
    headings = [str(c.heading) for c in columns]
    row = dict(
        zip(headings, (c.get(r) for c in columns for r in export_rows(Submission.objects.all())), strict=True)
    )
    assert row["Revenu fiscal de référence (€)"] == 36705 and row["Nombre de parts"] == 2.5
    assert row["Situation de famille"] == "Marié ou mariée" and row["Année des revenus"] == YEAR
    assert "Ressources annuelles EAJE (€)" not in headings  # no page collects crèche data

    data = dossier_of(dossier)  # the editors' API and the JSON deposited in HubEE
    assert data["tax_data"]["rfr"] == 36705 and data["eaje_data"] is None
    assert data["tariff_basis"] == "rfr_per_part" and data["missing_sources"] == {}


def test_creche_page_end_to_end(client, fc, respx_mock, make_qf_page, admin_client):
    page = make_qf_page(source_qf=False, require_qf=False, source_eaje=True, require_eaje=True)
    route = eaje_route(respx_mock)
    client.get(fc.authorize(client, page.url + "connexion/"))
    assert route.called
    consent = flat(client.get(page.url + "consentement/").content.decode())
    assert "participation en crèche : ressources annuelles" in consent
    quotient = client.get(page.url + "quotient/")
    text = flat(quotient.content.decode())
    assert (
        "Ressources annuelles retenues : 40 923 €" in text and "Enfants bénéficiaires de l'AEEH : 3" in text
    )
    child = next(key for key, _label in quotient.context["form"].fields["children"].choices)
    dossier = transmit(client, page, [child])
    assert dossier.eaje_data == {
        "nombre_enfants_a_charge": 2,
        "nombre_enfants_beneficiaire_aeeh": 3,
        "ressources_annuelles": 40923,
        "annee_calcul": 2023,
    }
    assert [c["prenoms"] for c in dossier.children] == ["JEAN-PIERRE THOMAS JUNIOR"]
    assert dossier.tax_data is None and dossier.qf_value is None
    assert "parametres_calcul_participation_familiale" not in dossier.raw_response
    detail = flat(
        admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    )
    assert (
        "Participation familiale en crèche" in detail and "Ressources annuelles retenues 40 923 €" in detail
    )
    headings = [str(c.heading) for c in export_columns()]
    assert "Ressources annuelles EAJE (€)" in headings and "Revenu fiscal de référence (€)" not in headings
    assert dossier_of(dossier)["eaje_data"]["ressources_annuelles"] == 40923


def test_optional_tax_data_not_obtained_is_said_and_kept(
    dgfip_on, client, fc, respx_mock, make_qf_page, admin_client
):
    page = make_qf_page(source_dgfip=True)  # QF required, tax data optional
    api.particulier_ok(respx_mock, api.DUPONT)
    dgfip_routes(respx_mock, YEAR, status=429)
    client.get(fc.authorize(client, page.url + "connexion/"))
    quotient = flat(client.get(page.url + "quotient/").content.decode())
    assert "Données non obtenues" in quotient
    assert (
        "Données fiscales (impots.gouv.fr) : Le service de l'administration fiscale reçoit trop de demandes"
        in quotient
    )
    assert "Vous pouvez tout de même transmettre les autres données" in quotient
    dossier = transmit(client, page)
    assert dossier.qf_value == 1234 and dossier.tax_data is None
    assert dossier.missing_sources["dgfip"]["code"] == "rate_limited"
    assert dossier_of(dossier)["missing_sources"] == {"dgfip": "rate_limited"}
    detail = flat(
        admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    )
    assert "Données fiscales (impots.gouv.fr) : non obtenues lors de la demande" in detail
    row = next(iter(export_rows(Submission.objects.all())))
    missing = next(c for c in export_columns() if str(c.heading) == "Données non obtenues")
    assert missing.get(row) == "données fiscales (impots.gouv.fr)"


def test_required_tax_data_not_obtained_blocks_and_says_what_to_do(
    dgfip_on, client, fc, respx_mock, make_qf_page
):
    page = make_qf_page(source_dgfip=True, require_dgfip=True)
    api.particulier_ok(respx_mock, api.DUPONT)
    dgfip_routes(respx_mock, YEAR, status=403)
    client.get(fc.authorize(client, page.url + "connexion/"))
    response = client.get(page.url + "quotient/")
    text = flat(response.content.decode())
    assert "Vos données n'ont pas pu être obtenues" in text
    assert "L'administration fiscale a refusé l'accès à vos données" in text
    assert "présentez votre dernier avis d'impôt sur le revenu à la mairie" in text
    assert "Rien n'a été transmis à la commune" in text and "quotient familial (CAF ou MSA)" in text
    assert "Transmettre mes données" not in text
    assert not Submission.objects.exists()


def test_without_franceconnect_the_page_says_tax_data_is_not_available(dgfip_on, client, make_qf_page):
    page = make_qf_page(source_dgfip=True, allow_identity_form=True)
    start = flat(client.get(page.url).content.decode())
    identity = flat(client.get(page.url + "sans-franceconnect/").content.decode())
    for text in (start, identity):
        assert "Sans FranceConnect, vos données fiscales ne peuvent pas être obtenues" in text


def test_a_quotient_familial_page_stores_and_shows_no_tax_nor_creche_data(
    client, fc, respx_mock, qf_page, admin_client
):
    """The default source alone: the outputs gain nothing of Pass Famille."""
    api.particulier_ok(respx_mock, api.DUPONT)
    client.get(fc.authorize(client, qf_page.url + "connexion/"))
    assert not [scope for scope in fc.last_authorize["scope"].split() if scope.startswith("dgfip_")]
    consent = flat(client.get(qf_page.url + "consentement/").content.decode())
    assert "quotient familial" in consent
    assert "revenu fiscal" not in consent and "participation en crèche" not in consent
    dossier = transmit(client, qf_page)
    assert dossier.qf_value == 1234
    assert (dossier.tax_data, dossier.eaje_data, dossier.missing_sources) == (None, None, {})
    detail = flat(
        admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    )
    assert "Quotient familial" in detail
    assert (
        "Données fiscales" not in detail and "crèche" not in detail and "Données non obtenues" not in detail
    )
    headings = [str(c.heading) for c in export_columns()]
    assert (
        "Revenu fiscal de référence (€)" not in headings and "Ressources annuelles EAJE (€)" not in headings
    )
    data = dossier_of(dossier)
    assert (data["tax_data"], data["eaje_data"], data["missing_sources"]) == (None, None, {})
    assert data["tariff_basis"] == "qf"


def test_the_year_before_is_used_when_last_years_avis_is_not_there_and_everyone_is_told(
    client, fc, respx_mock, tax_page, admin_client
):
    dgfip_routes(respx_mock, YEAR, status=404)
    before = gw.situation_route(respx_mock, YEAR - 1)
    client.get(fc.authorize(client, tax_page.url + "connexion/"))
    assert before.called
    quotient = flat(client.get(tax_page.url + "quotient/").content.decode())
    assert f"D'après votre avis d'impôt sur les revenus de {YEAR - 1}" in quotient
    assert f"l'avis sur les revenus de {YEAR} n'est pas encore disponible" in quotient
    dossier = transmit(client, tax_page)
    assert (dossier.tax_data["annee_demandee"], dossier.tax_data["annee_revenus"]) == (YEAR, YEAR - 1)
    detail = flat(
        admin_client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    )
    assert (
        f"Aucun avis pour les revenus de {YEAR} au moment de la demande : ce sont ceux de {YEAR - 1}"
        in detail
    )
