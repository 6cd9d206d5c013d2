"""« Réessayer » on a Pass Famille page: a source that failed is asked again while the FranceConnect
token lives (about 60 s), the sources already obtained are not; after that, a new login."""

import httpx
import pytest

from ..fakes import dgfip as gw
from ..fakes import particulier as api
from .conftest import YEAR, dgfip_routes, flat, transmit

pytestmark = [pytest.mark.django_db, pytest.mark.respx(assert_all_called=False)]

RETRY_BUTTON = "Réessayer d'obtenir ces données"


@pytest.fixture
def gateway_down_then_up(respx_mock):
    """The DGFiP gateway answers 503 until ``up()`` is called, then the avis."""
    state = {"up": False}

    def answer(request):
        return gw.situation_answer() if state["up"] else httpx.Response(503)

    dgfip_routes(respx_mock, YEAR)
    route = respx_mock.get(gw.situation_url(YEAR)).mock(side_effect=answer)
    route.up = lambda: state.update(up=True)
    return route


def test_an_optional_source_that_failed_can_be_retried_without_logging_in_again(
    dgfip_on, client, fc, respx_mock, make_qf_page, gateway_down_then_up
):
    page = make_qf_page(source_dgfip=True)  # QF required, tax data optional
    qf_route = api.particulier_ok(respx_mock, api.DUPONT)
    client.get(fc.authorize(client, page.url + "connexion/"))
    quotient = client.get(page.url + "quotient/").content.decode()
    assert "Données non obtenues" in flat(quotient) and RETRY_BUTTON in flat(quotient)
    assert f'action="{page.url}reessayer/"' in quotient

    gateway_down_then_up.up()
    response = client.post(page.url + "reessayer/")
    assert response["Location"] == page.url + "quotient/"
    assert qf_route.call_count == 1  # the quotient familial obtained is kept, not asked again
    assert len(fc.token_requests) == 1  # no new FranceConnect login
    quotient = flat(client.get(page.url + "quotient/").content.decode())
    assert "Revenu fiscal de référence : 36 705 €" in quotient and "1 234 €" in quotient
    assert "Données non obtenues" not in quotient and RETRY_BUTTON not in quotient
    assert "access_token" not in client.session["wagtail_qf"]  # nothing left to retry

    dossier = transmit(client, page)
    assert dossier.qf_value == 1234 and dossier.tax_data["rfr"] == 36705
    assert dossier.missing_sources == {}


def test_a_retry_that_fails_again_keeps_what_was_obtained(
    dgfip_on, client, fc, respx_mock, make_qf_page, gateway_down_then_up
):
    page = make_qf_page(source_dgfip=True)
    api.particulier_ok(respx_mock, api.DUPONT)
    client.get(fc.authorize(client, page.url + "connexion/"))
    client.post(page.url + "reessayer/")  # the gateway is still down
    quotient = flat(client.get(page.url + "quotient/").content.decode())
    assert "Votre quotient familial de" in quotient and "1 234 €" in quotient
    assert "Le service de l'administration fiscale est momentanément indisponible." in quotient
    dossier = transmit(client, page)
    assert dossier.qf_value == 1234 and dossier.missing_sources["dgfip"]["code"] == "provider_error"


def test_a_blocking_source_retried_does_not_ask_again_the_sources_obtained(
    dgfip_on, client, fc, respx_mock, make_qf_page, gateway_down_then_up
):
    page = make_qf_page(source_dgfip=True, require_dgfip=True)
    qf_route = api.particulier_ok(respx_mock, api.DUPONT)
    client.get(fc.authorize(client, page.url + "connexion/"))
    assert "Vos données n'ont pas pu être obtenues" in flat(
        client.get(page.url + "quotient/").content.decode()
    )
    gateway_down_then_up.up()
    client.post(page.url + "reessayer/")
    assert qf_route.call_count == 1
    dossier = transmit(client, page)
    assert dossier.qf_value == 1234 and dossier.tax_data["rfr"] == 36705


def test_once_the_franceconnect_token_has_expired_a_retry_means_logging_in_again(
    dgfip_on, client, fc, respx_mock, make_qf_page, gateway_down_then_up
):
    page = make_qf_page(source_dgfip=True)
    api.particulier_ok(respx_mock, api.DUPONT)
    client.get(fc.authorize(client, page.url + "connexion/"))
    session = client.session
    session["wagtail_qf"]["access_token"]["until"] = 0  # the token's short life is over
    session.save()
    response = client.get(page.url + "quotient/")
    text = flat(response.content.decode())
    assert RETRY_BUTTON not in text
    assert "Pour réessayer, reconnectez-vous avec FranceConnect" in text
    assert f'href="{page.url}connexion/"' in response.content.decode()
    assert "Réessayer en se reconnectant avec FranceConnect" in text
    assert "Transmettre mes données" in text  # the citizen may still send what was obtained
    assert client.post(page.url + "reessayer/")["Location"] == page.url + "connexion/"


def test_an_optional_source_a_retry_cannot_help_offers_none(dgfip_on, client, fc, respx_mock, make_qf_page):
    page = make_qf_page(source_dgfip=True)
    api.particulier_ok(respx_mock, api.DUPONT)
    dgfip_routes(respx_mock, YEAR, status=404)
    gw.situation_route(respx_mock, YEAR - 1, status=404)  # no avis for the year before either
    client.get(fc.authorize(client, page.url + "connexion/"))
    text = flat(client.get(page.url + "quotient/").content.decode())
    assert "Données non obtenues" in text
    assert "Réessayer" not in text
    assert "access_token" not in client.session["wagtail_qf"]
