"""The callback's calls: only the page's sources, in parallel within one budget; the partial outcome."""

import threading

import httpx
import pytest
from django.test import override_settings

from wagtail_qf.journey.sources import fetch_sources, view_of
from wagtail_qf.particulier.eaje import EAJE_PATH, NoEAJEFile

from ..fakes import dgfip as gw
from ..fakes import particulier as api
from ..particulier.test_eaje import ANSWER
from .conftest import WITH_DGFIP, YEAR, dgfip_routes, eaje_route

pytestmark = [pytest.mark.django_db, pytest.mark.respx(assert_all_called=False)]

# The year a page with the default rule asks first (TAXATION_DATE "08-01").


@pytest.fixture
def routes(respx_mock):
    """Every upstream answers: the tests see which were called."""
    tokens, situation = dgfip_routes(respx_mock, YEAR)
    return {
        "qf": api.particulier_ok(respx_mock, api.DUPONT),
        "eaje": eaje_route(respx_mock),
        "dgfip": situation,
        "dgfip_token": tokens,
    }


def called(routes):
    return {name for name, route in routes.items() if route.called and name != "dgfip_token"}


def test_a_qf_page_calls_api_particulier_only(routes, qf_page, citizen):
    outcome = fetch_sources(qf_page, citizen(qf_page))
    assert called(routes) == {"qf"}
    assert outcome.transmittable
    assert not routes["dgfip_token"].called


def test_a_tax_data_page_calls_the_dgfip_only_with_the_citizens_token(
    dgfip_on, routes, make_qf_page, citizen
):
    page = make_qf_page(source_qf=False, require_qf=False, source_dgfip=True, require_dgfip=True)
    session = citizen(page)
    token = session.access_token
    outcome = fetch_sources(page, session)
    assert called(routes) == {"dgfip"}
    assert routes["dgfip"].calls.last.request.headers["X-FranceConnect-OAuth"] == token
    assert outcome.transmittable
    tax = view_of(page, session).tax
    assert (tax.rfr, tax.nb_parts, tax.annee_revenus) == (36705, 2.5, YEAR)


def test_a_creche_page_calls_the_eaje_endpoint_only(routes, make_qf_page, citizen):
    page = make_qf_page(source_qf=False, require_qf=False, source_eaje=True, require_eaje=True)
    session = citizen(page)
    fetch_sources(page, session)
    assert called(routes) == {"eaje"}
    assert routes["eaje"].calls.last.request.url.params["recipient"] == "21350051800013"
    # The crèche answer brings the family: its children can be chosen as on a QF page.
    family = session.result(page)
    assert family.quotient_familial is None and [c.prenoms for c in family.enfants] == [
        "JEAN-PIERRE THOMAS JUNIOR"
    ]
    assert view_of(page, session).eaje.parametres.ressources_annuelles == 40923


def test_every_source_is_called_in_parallel(respx_mock, make_qf_page, citizen):
    """Each fake answers only once the three requests are all under way: called one after the
    other, the first would wait alone and the barrier would break."""
    barrier = threading.Barrier(3, timeout=5)

    def together(response):
        def answer(request):
            barrier.wait()
            return response

        return answer

    with override_settings(WAGTAIL_QF=WITH_DGFIP):
        page = make_qf_page(source_dgfip=True, source_eaje=True)
        dgfip_routes(respx_mock, YEAR)
        respx_mock.get(f"{api.BASE_URL}{api.FC_PATH}").mock(
            side_effect=api.strict(together(httpx.Response(200, json=api.DUPONT)))
        )
        respx_mock.get(gw.situation_url(YEAR)).mock(side_effect=together(gw.situation_answer()))
        eaje = respx_mock.get(f"{api.BASE_URL}{EAJE_PATH}")
        eaje.mock(side_effect=api.strict(together(httpx.Response(200, json=ANSWER))))
        outcome = fetch_sources(page, citizen(page))
    assert not barrier.broken
    assert set(outcome.results) == {"qf", "dgfip", "eaje"} and outcome.transmittable


def test_a_source_still_running_at_the_end_of_the_shared_budget_counts_as_too_slow(
    respx_mock, make_qf_page, citizen
):
    release = threading.Event()

    def stuck(request):
        release.wait(timeout=10)
        return httpx.Response(200, json=api.DUPONT)

    # Long enough for the DGFiP's answers on a loaded machine (0.2 s failed under load), short
    # beside the stuck source's 10 s.
    fast = {"TOTAL_TIMEOUT": 2}
    settings = {
        **WITH_DGFIP,
        "API_PARTICULIER": {**WITH_DGFIP["API_PARTICULIER"], **fast},
        "DGFIP": {**WITH_DGFIP["DGFIP"], **fast},
    }
    try:
        with override_settings(WAGTAIL_QF=settings):
            page = make_qf_page(source_dgfip=True, require_qf=False)
            respx_mock.get(f"{api.BASE_URL}{api.FC_PATH}").mock(side_effect=stuck)
            dgfip_routes(respx_mock, YEAR)
            session = citizen(page)
            outcome = fetch_sources(page, session)
    finally:
        release.set()
    assert set(outcome.results) == {"dgfip"}
    assert outcome.errors["qf"].code == "timeout"
    assert outcome.transmittable  # the QF is optional on this page
    assert [label for label, _exc in view_of(page, session).missing] == ["quotient familial (CAF ou MSA)"]


def test_an_optional_source_that_fails_lets_the_citizen_transmit_and_says_what_is_missing(
    dgfip_on, respx_mock, make_qf_page, citizen
):
    page = make_qf_page(source_dgfip=True)  # QF required, tax data optional
    api.particulier_ok(respx_mock, api.DUPONT)
    dgfip_routes(respx_mock, YEAR, status=503)
    session = citizen(page)
    outcome = fetch_sources(page, session)
    assert outcome.transmittable and session.error(page) is None
    assert session.result(page).quotient_familial.valeur == 1234
    ((label, exc),) = view_of(page, session).missing
    assert label == "données fiscales (impots.gouv.fr)"
    assert exc.user_message == "Le service de l'administration fiscale est momentanément indisponible."


def test_a_required_source_that_fails_blocks_the_transmission_and_keeps_what_was_obtained(
    dgfip_on, respx_mock, make_qf_page, citizen
):
    page = make_qf_page(source_dgfip=True, require_dgfip=True)
    api.particulier_ok(respx_mock, api.DUPONT)
    dgfip_routes(respx_mock, YEAR, status=404)
    fallback = gw.situation_route(respx_mock, YEAR - 1, status=404)
    session = citizen(page)
    outcome = fetch_sources(page, session)
    assert not outcome.transmittable
    assert session.error(page)["source"] == "dgfip" and session.error(page)["code"] == "no_avis"
    assert session.result(page) is None
    assert outcome.results["qf"].quotient_familial.valeur == 1234
    assert fallback.called  # the year before was asked too
    assert not outcome.retry_can_help  # no avis: the same token cannot do better


def test_when_every_source_fails_the_required_ones_error_is_shown(respx_mock, make_qf_page, citizen):
    page = make_qf_page(source_qf=True, require_qf=False, source_eaje=True, require_eaje=True)
    api.particulier_error(respx_mock, 504, "37001")
    eaje_route(respx_mock, status=404, code="37003")
    session = citizen(page)
    outcome = fetch_sources(page, session)
    assert outcome.blocking_source == "eaje"
    assert isinstance(outcome.errors["eaje"], NoEAJEFile)
    assert session.error(page)["class"] == "NoEAJEFile"
    assert outcome.retry_can_help  # the CAF was unavailable: a retry may fetch it
