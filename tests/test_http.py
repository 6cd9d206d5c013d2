"""Every outside call goes through the one client factory: its User-Agent and the timeouts
of its ``WAGTAIL_QF`` section, read on the request respx recorded."""

import httpx
import pytest
import respx

from tests.fakes import dgfip as gw
from tests.fakes import particulier as api
from tests.fakes.franceconnect import FakeFranceConnect, issue_access_token
from tests.fakes.hubee import BASE_URL, CLIENT_ID, CLIENT_SECRET, PROCESS_CODE, TOKEN_URL, HubEEFake
from wagtail_qf import http
from wagtail_qf.dgfip.years import YearChoice
from wagtail_qf.signals import submission_created

HOOK = "https://editeur.test/qf/webhook"
# Each section its own timeouts, so that a client reading another's would show. The API
# clients' whole-call budget is off: it would cut a request's timeouts to what is left.
TIMEOUTS = {
    "API_PARTICULIER": {"CONNECT_TIMEOUT": 1.5, "READ_TIMEOUT": 4.5, "TOTAL_TIMEOUT": None},
    "DGFIP": {**gw.SETTINGS, "CONNECT_TIMEOUT": 2.5, "READ_TIMEOUT": 5.5, "TOTAL_TIMEOUT": None},
    "FRANCECONNECT": {"TIMEOUT": 6.5},
    "HUBEE": {
        "BASE_URL": BASE_URL,
        "TOKEN_URL": TOKEN_URL,
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "PROCESS_CODE": PROCESS_CODE,
        "TIMEOUT": 7.5,
    },
    "WEBHOOKS": {"CONNECT_TIMEOUT": 3.5, "READ_TIMEOUT": 8.5},
}


@pytest.fixture(autouse=True)
def timeouts(settings):
    settings.WAGTAIL_QF = {
        **settings.WAGTAIL_QF,
        **{name: {**settings.WAGTAIL_QF.get(name, {}), **values} for name, values in TIMEOUTS.items()},
    }


def assert_made_by_the_factory(request, service):
    assert request.headers["User-Agent"] == http.USER_AGENT
    assert request.extensions["timeout"] == http.timeout_for(service).as_dict()


def test_the_timeouts_come_from_the_section():
    assert http.timeout_for("API_PARTICULIER").as_dict() == {
        "connect": 1.5,
        "read": 4.5,
        "write": 4.5,
        "pool": 4.5,
    }
    assert http.timeout_for("HUBEE").as_dict() == dict.fromkeys(("connect", "read", "write", "pool"), 7.5)
    assert http.USER_AGENT.startswith("wagtail-qf/")


def test_api_particulier(respx_mock):
    from wagtail_qf.particulier.client import get_client

    route = api.particulier_ok(respx_mock)
    get_client().fetch_with_franceconnect(issue_access_token(), recipient="21350051800013")
    assert_made_by_the_factory(route.calls.last.request, "API_PARTICULIER")


def test_dgfip(respx_mock):
    from wagtail_qf.dgfip.client import get_client

    tokens, situation = gw.token_route(respx_mock), gw.situation_route(respx_mock, 2025)
    get_client().fetch_situation("fc-token", YearChoice(2025, fallback=False))
    for route in (tokens, situation):
        assert_made_by_the_factory(route.calls.last.request, "DGFIP")


def test_franceconnect(respx_mock):
    from wagtail_qf.franceconnect import metadata

    fc = FakeFranceConnect(respx_mock)
    metadata.jwks()
    for route in (fc.discovery_route, fc.jwks_route):
        assert_made_by_the_factory(route.calls.last.request, "FRANCECONNECT")


def test_hubee():
    from wagtail_qf.hubee import HubEERejected, forwarding

    hubee = HubEEFake()
    with hubee.router, forwarding.client() as client:
        with pytest.raises(HubEERejected):
            client.case_statuses("00000000-0000-0000-0000-000000000000")  # a token, then the folder
        requests = [call.request for call in hubee.router.calls]
    assert len(requests) == 2
    for request in requests:
        assert_made_by_the_factory(request, "HUBEE")


@pytest.mark.django_db
def test_webhooks(qf_page, make_submission):
    from wagtail_qf.models import EditorToken

    token = EditorToken(name="Éditeur X", webhook_url=HOOK)
    token.set_new_token()
    token.save()
    token.pages.set([qf_page])
    submission = make_submission(qf_page)
    with respx.mock() as mock:
        route = mock.post(HOOK).mock(return_value=httpx.Response(204))
        submission_created.send(type(submission), submission=submission, page=qf_page)
    assert_made_by_the_factory(route.calls.last.request, "WEBHOOKS")
