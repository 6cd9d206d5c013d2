"""Review b1: each error of the crèche (EAJE) endpoint documented by API Particulier's OpenAPI
(403 00100, 404 37003, 401 00101/00103/00105, 409 00015, 422 00203, 429 00429) and of the DGFiP
(204, 400, 401, 403, 404, 410, 429, 5xx): the French message, the way forward, logs without
personal data."""

import logging

import pytest

from ..fakes import particulier as api
from ..fakes.franceconnect import DUPONT
from .conftest import YEAR, dgfip_routes, eaje_route, flat

pytestmark = [pytest.mark.django_db, pytest.mark.respx(assert_all_called=False)]

CRECHE_WAY = "la mairie, qui vous indiquera les justificatifs à fournir pour calculer votre participation"


@pytest.fixture
def creche_page(make_qf_page):
    return make_qf_page(source_qf=False, require_qf=False, source_eaje=True, require_eaje=True)


@pytest.mark.parametrize(
    ("status", "code"), [(403, "00100"), (401, "00101"), (401, "00103"), (401, "00105"), (422, "00203")]
)
def test_a_creche_page_refused_by_api_particulier_sends_the_family_to_the_town_hall_for_its_crèche(
    client, fc, respx_mock, creche_page, status, code
):
    eaje_route(respx_mock, status=status, code=code)
    client.get(fc.authorize(client, creche_page.url + "connexion/"))
    text = flat(client.get(creche_page.url + "quotient/").content.decode())
    error = text.split("Autre solution")[0]
    assert "Le service de la commune n'est pas autorisé à obtenir vos données pour le moment." in error
    assert CRECHE_WAY in error
    assert "attestation de quotient familial" not in error  # the crèche does not price on it


@pytest.mark.parametrize("source", ["eaje", "dgfip"])
def test_the_other_way_offered_on_a_page_without_the_quotient_familial_is_not_the_qf_attestation(
    dgfip_on, client, fc, respx_mock, make_qf_page, source
):
    """« Autre solution » (``includes/without_franceconnect.html``) on a crèche or tax-data page."""
    page = make_qf_page(
        source_qf=False, require_qf=False, **{f"source_{source}": True, f"require_{source}": True}
    )
    eaje_route(respx_mock, status=429, code="00429")
    dgfip_routes(respx_mock, YEAR, status=429)
    client.get(fc.authorize(client, page.url + "connexion/"))
    text = flat(client.get(page.url + "quotient/").content.decode())
    other_way = text.split("Autre solution")[1]
    assert "attestation de quotient familial" not in other_way


def test_an_optional_creche_source_refused_says_the_crèche_way_forward(client, fc, respx_mock, make_qf_page):
    page = make_qf_page(source_eaje=True)  # QF required, crèche data optional
    api.particulier_ok(respx_mock, api.DUPONT)
    eaje_route(respx_mock, status=403, code="00100")
    client.get(fc.authorize(client, page.url + "connexion/"))
    text = flat(client.get(page.url + "quotient/").content.decode())
    missing = text.split("Données non obtenues")[1]
    assert CRECHE_WAY in missing and "attestation de quotient familial" not in missing


def test_no_creche_file_says_what_to_do(client, fc, respx_mock, creche_page):
    eaje_route(respx_mock, status=404, code="37003")
    client.get(fc.authorize(client, creche_page.url + "connexion/"))
    text = flat(client.get(creche_page.url + "quotient/").content.decode())
    assert "La CAF et la MSA ne connaissent pas de dossier d'allocataire à votre nom." in text
    assert CRECHE_WAY in text and "Réessayer" not in text


@pytest.mark.parametrize(("status", "code"), [(409, "00015"), (429, "00429")])
def test_a_busy_creche_endpoint_offers_to_try_again_at_once(
    client, fc, respx_mock, creche_page, status, code
):
    eaje_route(respx_mock, status=status, code=code)
    client.get(fc.authorize(client, creche_page.url + "connexion/"))
    text = flat(client.get(creche_page.url + "quotient/").content.decode())
    assert "Réessayer d'obtenir mes données" in text


@pytest.mark.parametrize("status", [204, 400, 401, 403, 404, 410, 429, 500, 503])
def test_dgfip_errors_log_no_personal_data(dgfip_on, client, fc, respx_mock, make_qf_page, caplog, status):
    page = make_qf_page(
        source_qf=False, require_qf=False, source_dgfip=True, require_dgfip=True, collect_children=False
    )
    dgfip_routes(respx_mock, YEAR, status=status)
    from ..fakes import dgfip as gw

    gw.situation_route(respx_mock, YEAR - 1, status=status)
    with caplog.at_level(logging.DEBUG):
        client.get(fc.authorize(client, page.url + "connexion/"))
        text = flat(client.get(page.url + "quotient/").content.decode())
    assert "Vos données n'ont pas pu être obtenues" in text
    logs = "\n".join(record.getMessage() for record in caplog.records)
    for personal in (DUPONT["family_name"], DUPONT["given_name"], DUPONT["birthdate"], "36705"):
        assert personal not in logs
    assert fc.last_access_token not in logs if hasattr(fc, "last_access_token") else True
