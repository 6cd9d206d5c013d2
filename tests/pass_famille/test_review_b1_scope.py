"""Review b1: a Pass Famille page keeps, from the fetch on, only what it collects (tax and crèche
data cut like API Particulier's answer), and the tariff bracket a retry shows is the right one."""

import httpx
import pytest

from wagtail_qf.dossiers.columns import export_columns, export_rows
from wagtail_qf.dossiers.serializers import dossier_of
from wagtail_qf.models import Submission, TariffBracket

from ..fakes import particulier as api
from ..particulier.test_eaje import ANSWER as EAJE_ANSWER
from .conftest import YEAR, dgfip_routes, eaje_route, flat, transmit

pytestmark = [pytest.mark.django_db, pytest.mark.respx(assert_all_called=False)]


def page_state(client, page) -> dict:
    return client.session["wagtail_qf"]["pages"][str(page.pk)]


@pytest.fixture
def rfr_only_page(dgfip_on, make_qf_page):
    """Tax data only: the RFR and the parts, not the family situation, dependants nor address."""
    return make_qf_page(
        source_qf=False,
        require_qf=False,
        source_dgfip=True,
        require_dgfip=True,
        collect_children=False,
        collect_allocataires=False,
        collect_address=False,
    )


def test_the_session_keeps_only_the_tax_fields_the_page_collects(client, fc, respx_mock, rfr_only_page):
    dgfip_routes(respx_mock, YEAR)
    client.get(fc.authorize(client, rfr_only_page.url + "connexion/"))
    tax = page_state(client, rfr_only_page)["sources"]["tax"]
    assert (tax["rfr"], tax["nb_parts"], tax["annee_revenus"]) == (36705, 2.5, YEAR)
    # The DGFiP answered them all (the fake's avis): none is kept for a page that does not collect it.
    assert tax["situation_famille"] is None and tax["adresse"] is None
    assert tax["personnes_a_charge"] is None and tax["personnes_a_charge_detail"] is None


def test_a_tax_field_the_webmaster_adds_after_the_fetch_never_reaches_the_dossier(
    client, fc, respx_mock, rfr_only_page
):
    dgfip_routes(respx_mock, YEAR)
    client.get(fc.authorize(client, rfr_only_page.url + "connexion/"))
    quotient = flat(client.get(rfr_only_page.url + "quotient/").content.decode())
    assert "Revenu fiscal de référence : 36 705 €" in quotient and "NOISY" not in quotient
    rfr_only_page.dgfip_address = True  # the webmaster, while the family is on the step
    rfr_only_page.dgfip_family_situation = True
    rfr_only_page.save_revision().publish()
    dossier = transmit(client, rfr_only_page)
    assert dossier.tax_data["rfr"] == 36705
    # The family was never shown them: the dossier has no value for them, nor its outputs.
    assert not dossier.tax_data.get("adresse_fiscale") and not dossier.tax_data.get("situation_famille")
    api_tax = dossier_of(dossier)["tax_data"]  # the editors' API and HubEE's JSON
    assert not api_tax.get("adresse_fiscale") and not api_tax.get("situation_famille")
    columns = export_columns()
    row = next(iter(export_rows(Submission.objects.all())))
    cells = {str(c.heading): c.get(row) for c in columns}
    assert not cells["Adresse fiscale"] and not cells["Situation de famille"]
    assert cells["Revenu fiscal de référence (€)"] == 36705


def test_the_session_keeps_nothing_of_the_creche_answers_family_a_page_does_not_collect(
    client, fc, respx_mock, make_qf_page
):
    page = make_qf_page(
        source_qf=False,
        require_qf=False,
        source_eaje=True,
        require_eaje=True,
        collect_children=False,
        collect_allocataires=False,
        collect_address=False,
    )
    eaje_route(respx_mock)
    client.get(fc.authorize(client, page.url + "connexion/"))
    eaje = page_state(client, page)["sources"]["eaje"]
    assert eaje["parametres"]["ressources_annuelles"] == 40923
    assert eaje["allocataires"] is None and eaje["enfants"] is None and eaje["adresse"] is None
    assert set(eaje["raw"] or {}) <= {"parametres_calcul_participation_familiale"}
    dossier = transmit(client, page)
    assert dossier.eaje_data["ressources_annuelles"] == 40923
    assert dossier.raw_response == {} and dossier.children == [] and dossier.allocataires == []


def test_the_creche_answers_children_are_kept_when_the_page_collects_them(
    client, fc, respx_mock, make_qf_page
):
    page = make_qf_page(source_qf=False, require_qf=False, source_eaje=True, require_eaje=True)
    eaje_route(respx_mock)
    client.get(fc.authorize(client, page.url + "connexion/"))
    eaje = page_state(client, page)["sources"]["eaje"]
    assert len(eaje["enfants"]) == len(EAJE_ANSWER["data"]["enfants"])


def test_after_a_retry_the_bracket_on_the_income_per_part_is_the_one_shown_and_kept(
    dgfip_on, client, fc, respx_mock, make_qf_page
):
    """The tax data obtained at the first try, the QF (required too) at the retry: the bracket
    is worked out on the tax data kept, not on this try's answers alone."""
    page = make_qf_page(source_dgfip=True, require_dgfip=True, bracket_basis="rfr_per_part")
    TariffBracket.objects.create(page=page, label="A", qf_min=0, qf_max=10000, sort_order=0)
    TariffBracket.objects.create(page=page, label="B", qf_min=10001, qf_max=None, sort_order=1)
    dgfip_routes(respx_mock, YEAR)
    state = {"up": False}

    def qf_answer(request):
        if state["up"]:
            return httpx.Response(200, json=api.DUPONT)
        return httpx.Response(503, json=api.error_body("37999"))

    api.route(respx_mock).mock(side_effect=api.strict(qf_answer))
    client.get(fc.authorize(client, page.url + "connexion/"))
    assert "Vos données n'ont pas pu être obtenues" in flat(
        client.get(page.url + "quotient/").content.decode()
    )
    state["up"] = True
    client.post(page.url + "reessayer/")
    quotient = flat(client.get(page.url + "quotient/").content.decode())
    assert "Votre tranche tarifaire : B" in quotient
    dossier = transmit(client, page)
    assert dossier.tariff_bracket == "B"


def test_a_tax_data_page_does_not_tell_the_family_about_a_quotient_familial_it_does_not_ask(
    client, fc, respx_mock, rfr_only_page
):
    dgfip_routes(respx_mock, YEAR)
    start = flat(client.get(rfr_only_page.url).content.decode())
    assert "Le quotient familial demandé est celui" not in start
    assert "obtenues directement auprès de la CAF ou de la MSA" not in start
    client.get(fc.authorize(client, rfr_only_page.url + "connexion/"))
    transmit(client, rfr_only_page)
    confirmation = flat(client.get(rfr_only_page.url + "confirmation/").content.decode())
    assert "a bien reçu votre quotient familial" not in confirmation


def test_the_sources_kept_in_the_session_hold_no_family_data_the_page_does_not_collect(
    dgfip_on, client, fc, respx_mock, make_qf_page
):
    """The quotient familial's answer kept for a retry (``sources["qf"]``) is cut as the result is."""
    page = make_qf_page(source_dgfip=True, collect_children=False, collect_address=False)
    api.particulier_ok(respx_mock, api.DUPONT)
    dgfip_routes(respx_mock, YEAR)
    client.get(fc.authorize(client, page.url + "connexion/"))
    state = page_state(client, page)
    for kept in (state["result"], state["sources"]["qf"]):
        assert kept["enfants"] is None and kept["adresse"] is None
        assert set(kept["raw"]) <= {"quotient_familial", "allocataires"}
