"""DGFiP client: both tokens, the gateway token cached and renewed, every status of the
reference table, retries within the time budget, the year fallback."""

import base64
import logging
import time
import uuid
from urllib.parse import parse_qs

import httpx
import pytest
from django.core.cache import cache
from django.test import override_settings

from wagtail_qf.dgfip import errors
from wagtail_qf.dgfip.client import DgfipClient, get_client
from wagtail_qf.dgfip.years import YearChoice
from wagtail_qf.http import USER_AGENT

from ..fakes import dgfip as gw
from ..fakes.clock import FakeClock, no_jitter

FC_TOKEN = "fc-access-token-SECRET-123"
YEAR = 2025
ASK = YearChoice(YEAR, fallback=False)


def make_client(**kwargs):
    values = {"max_retries": 2, "backoff": 0}
    values.update(kwargs)
    return DgfipClient(gw.BASE_URL, gw.TOKEN_URL, gw.CLIENT_ID, gw.CLIENT_SECRET, gw.ID_TELESERVICE, **values)


@pytest.fixture
def client():
    return make_client()


def test_request_carries_both_tokens_and_the_reference_headers(client, respx_mock):
    tokens = gw.token_route(respx_mock, token="gateway-token-1")
    route = gw.situation_route(respx_mock, YEAR)
    result = client.fetch_situation(FC_TOKEN, ASK)
    assert result.rfr == 36705
    request = route.calls.last.request
    assert request.url.path == f"/impotparticulier/1.0/situations/ir/assiettes/annrev/{YEAR}"
    assert request.headers["Authorization"] == "Bearer gateway-token-1"
    assert request.headers["X-FranceConnect-OAuth"] == FC_TOKEN  # raw, no "Bearer"
    assert uuid.UUID(request.headers["X-Correlation-ID"]).version == 4
    assert request.headers["ID_Teleservice"] == gw.ID_TELESERVICE
    assert request.headers["Accept"] == "*/*"
    assert request.headers["User-Agent"] == USER_AGENT
    token_request = tokens.calls.last.request
    assert token_request.method == "POST"
    assert parse_qs(token_request.content.decode()) == {
        "grant_type": ["client_credentials"],
        "scope": ["RessourceIR"],
    }
    basic = base64.b64encode(f"{gw.CLIENT_ID}:{gw.CLIENT_SECRET}".encode()).decode()
    assert token_request.headers["Authorization"] == f"Basic {basic}"


def test_each_request_has_its_own_correlation_id(client, respx_mock):
    gw.token_route(respx_mock)
    route = gw.situation_route(respx_mock, YEAR, status=503)
    with pytest.raises(errors.ProviderError):
        client.fetch_situation(FC_TOKEN, ASK)
    ids = {call.request.headers["X-Correlation-ID"] for call in route.calls}
    assert len(ids) == route.call_count == 3


def test_without_id_teleservice_the_header_is_not_sent(respx_mock):
    gw.token_route(respx_mock)
    route = gw.situation_route(respx_mock, YEAR)
    DgfipClient(gw.BASE_URL, gw.TOKEN_URL, gw.CLIENT_ID, gw.CLIENT_SECRET).fetch_situation(FC_TOKEN, ASK)
    assert "ID_Teleservice" not in route.calls.last.request.headers


def test_gateway_token_is_cached_across_clients_and_calls(respx_mock):
    """Django's cache holds it: every worker (and a client rebuilt on new settings) shares it."""
    tokens = gw.token_route(respx_mock)
    gw.situation_route(respx_mock, YEAR)
    make_client().fetch_situation(FC_TOKEN, ASK)
    make_client().fetch_situation("another-citizen-token", ASK)
    assert tokens.call_count == 1


def test_gateway_token_is_renewed_shortly_before_it_expires(respx_mock, monkeypatch):
    tokens = gw.token_route(respx_mock, expires_in=3600)
    gw.situation_route(respx_mock, YEAR)
    client = make_client(token_margin=60)
    client.fetch_situation(FC_TOKEN, ASK)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3600 - 61)  # the cache's clock
    client.fetch_situation(FC_TOKEN, ASK)
    assert tokens.call_count == 1
    monkeypatch.setattr(time, "time", lambda: now + 3600 - 59)  # within the margin
    client.fetch_situation(FC_TOKEN, ASK)
    assert tokens.call_count == 2


def test_a_401_renews_the_gateway_token_once_and_retries(client, respx_mock):
    tokens = respx_mock.post(gw.TOKEN_URL).mock(
        side_effect=[gw.token_answer("old-token"), gw.token_answer("new-token")]
    )
    route = respx_mock.get(gw.situation_url(YEAR)).mock(
        side_effect=[gw.situation_answer(401), gw.situation_answer(200)]
    )
    assert client.fetch_situation(FC_TOKEN, ASK).rfr == 36705
    assert tokens.call_count == 2
    assert [c.request.headers["Authorization"] for c in route.calls] == [
        "Bearer old-token",
        "Bearer new-token",
    ]
    assert cache.get(client.token_cache_key) == "new-token"


def test_a_401_with_the_new_token_too_is_the_communes_credentials(client, respx_mock):
    tokens = gw.token_route(respx_mock)
    route = gw.situation_route(respx_mock, YEAR, status=401)
    with pytest.raises(errors.GatewayCredentialsRefused) as excinfo:
        client.fetch_situation(FC_TOKEN, ASK)
    assert tokens.call_count == 2 and route.call_count == 2  # renewed once, not retried again
    assert cache.get(client.token_cache_key) is None  # a refused token is not kept
    assert not excinfo.value.citizen_can_retry


@pytest.mark.parametrize("status", [400, 401, 403])
def test_token_endpoint_refusing_the_credentials(client, respx_mock, status):
    tokens = respx_mock.post(gw.TOKEN_URL).mock(return_value=httpx.Response(status, json={"error": "x"}))
    route = gw.situation_route(respx_mock, YEAR)
    with pytest.raises(errors.GatewayCredentialsRefused):
        client.fetch_situation(FC_TOKEN, ASK)
    assert tokens.call_count == 1 and route.call_count == 0


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(503),
        httpx.Response(200, content=b"<html>"),
        httpx.Response(200, json={"token_type": "Bearer"}),
        httpx.Response(200, json=["x"]),
    ],
)
def test_token_endpoint_outage_or_garbled_answer_is_transient(client, respx_mock, answer):
    tokens = respx_mock.post(gw.TOKEN_URL).mock(return_value=answer)
    with pytest.raises(errors.ProviderError) as excinfo:
        client.fetch_situation(FC_TOKEN, ASK)
    assert tokens.call_count == 3 and excinfo.value.citizen_can_retry


# (status, error class, retried?, citizen may retry?, words of the citizen's message)
TABLE = [
    (204, errors.NoAvis, False, False, "pas d'avis"),
    (404, errors.NoAvis, False, False, "pas d'avis"),
    (410, errors.NoAvis, False, False, "pas d'avis"),
    (400, errors.BadRequest, False, False, "ne peut pas obtenir"),
    (403, errors.AccessRefused, False, True, "a refusé l'accès"),
    (429, errors.RateLimited, True, True, "trop de demandes"),
    (500, errors.ProviderError, True, True, "indisponible"),
    (502, errors.ProviderError, True, True, "indisponible"),
    (503, errors.ProviderError, True, True, "indisponible"),
    (504, errors.ProviderError, True, True, "indisponible"),
    (418, errors.Unexpected, False, True, "n'ont pas pu être récupérées"),
]


@pytest.mark.parametrize("status, cls, retried, can_retry, words", TABLE)
def test_error_table(client, respx_mock, status, cls, retried, can_retry, words):
    gw.token_route(respx_mock)
    route = gw.situation_route(respx_mock, YEAR, status=status)
    with pytest.raises(cls) as excinfo:
        client.fetch_situation(FC_TOKEN, ASK)
    error = excinfo.value
    assert error.status == status
    assert route.call_count == (3 if retried else 1)
    assert error.citizen_can_retry is can_retry
    assert words in str(error.user_message) and str(error.next_step)


def test_expired_franceconnect_token_asks_to_log_in_again(client, respx_mock):
    """A FranceConnect token older than 60 s gets a 403 (reference): the way out is a new login."""
    gw.token_route(respx_mock)
    gw.situation_route(respx_mock, YEAR, status=403)
    with pytest.raises(errors.AccessRefused) as excinfo:
        client.fetch_situation(FC_TOKEN, ASK)
    assert "expiré" in str(excinfo.value.user_message)
    assert "Reconnectez-vous avec FranceConnect" in str(excinfo.value.next_step)


@pytest.mark.parametrize(
    "side_effect, cls",
    [
        (httpx.ReadTimeout("slow"), errors.Timeout),
        (httpx.ConnectTimeout("slow"), errors.Timeout),
        (httpx.ConnectError("refused"), errors.Unreachable),
    ],
)
def test_transport_errors_are_retried_then_mapped(client, respx_mock, side_effect, cls):
    gw.token_route(respx_mock)
    route = respx_mock.get(gw.situation_url(YEAR)).mock(side_effect=side_effect)
    with pytest.raises(cls) as excinfo:
        client.fetch_situation(FC_TOKEN, ASK)
    assert route.call_count == 3 and excinfo.value.citizen_can_retry


def test_retry_then_success(client, respx_mock):
    gw.token_route(respx_mock)
    route = respx_mock.get(gw.situation_url(YEAR)).mock(
        side_effect=[gw.situation_answer(429), gw.situation_answer(502), gw.situation_answer(200)]
    )
    assert client.fetch_situation(FC_TOKEN, ASK).nb_parts == 2.5
    assert route.call_count == 3


@pytest.mark.parametrize("content", [b"not json", b'{"rfr": ', b"[]", b'{"rfr": "trente"}'])
def test_malformed_answers_are_not_retried(client, respx_mock, content):
    gw.token_route(respx_mock)
    route = respx_mock.get(gw.situation_url(YEAR)).mock(return_value=httpx.Response(200, content=content))
    with pytest.raises(errors.MalformedAnswer) as excinfo:
        client.fetch_situation(FC_TOKEN, ASK)
    assert route.call_count == 1 and excinfo.value.citizen_can_retry


# -- the year fallback ----------------------------------------------------------------------
def test_no_avis_for_the_year_falls_back_to_the_year_before(client, respx_mock):
    gw.token_route(respx_mock)
    asked = gw.situation_route(respx_mock, YEAR, status=404)
    before = gw.situation_route(respx_mock, YEAR - 1, body={**gw.EXAMPLE, "rfr": "35100"})
    result = client.fetch_situation(FC_TOKEN, YearChoice(YEAR, fallback=True))
    assert asked.call_count == 1 and before.call_count == 1
    assert result.annee_revenus == YEAR - 1 and result.annee_demandee == YEAR and result.fallback
    assert result.rfr == 35100


@pytest.mark.parametrize("status", [204, 410])
def test_every_no_avis_status_falls_back(client, respx_mock, status):
    gw.token_route(respx_mock)
    gw.situation_route(respx_mock, YEAR, status=status)
    gw.situation_route(respx_mock, YEAR - 1)
    assert client.fetch_situation(FC_TOKEN, YearChoice(YEAR, fallback=True)).fallback


def test_only_one_year_back(client, respx_mock):
    gw.token_route(respx_mock)
    routes = [gw.situation_route(respx_mock, year, status=404) for year in (YEAR, YEAR - 1, YEAR - 2)]
    with pytest.raises(errors.NoAvis):
        client.fetch_situation(FC_TOKEN, YearChoice(YEAR, fallback=True))
    assert [route.call_count for route in routes] == [1, 1, 0]


def test_a_refused_year_before_still_says_no_avis(client, respx_mock):
    """No right to the year before (its year scope not granted): the year asked has no avis."""
    gw.token_route(respx_mock)
    gw.situation_route(respx_mock, YEAR, status=404)
    gw.situation_route(respx_mock, YEAR - 1, status=403)
    with pytest.raises(errors.NoAvis):
        client.fetch_situation(FC_TOKEN, YearChoice(YEAR, fallback=True))


def test_an_outage_on_the_year_before_is_said_as_such(client, respx_mock):
    gw.token_route(respx_mock)
    gw.situation_route(respx_mock, YEAR, status=404)
    gw.situation_route(respx_mock, YEAR - 1, status=503)
    with pytest.raises(errors.ProviderError):
        client.fetch_situation(FC_TOKEN, YearChoice(YEAR, fallback=True))


def test_a_fixed_year_does_not_fall_back(client, respx_mock):
    gw.token_route(respx_mock)
    gw.situation_route(respx_mock, YEAR, status=404)
    before = gw.situation_route(respx_mock, YEAR - 1)
    with pytest.raises(errors.NoAvis):
        client.fetch_situation(FC_TOKEN, YearChoice(YEAR, fallback=False))
    assert before.call_count == 0


def test_only_the_asked_years_errors_fall_back(client, respx_mock):
    gw.token_route(respx_mock)
    gw.situation_route(respx_mock, YEAR, status=403)
    before = gw.situation_route(respx_mock, YEAR - 1)
    with pytest.raises(errors.AccessRefused):
        client.fetch_situation(FC_TOKEN, YearChoice(YEAR, fallback=True))
    assert before.call_count == 0


# -- the time budget (an injected clock: no wall-clock time measured) ------------------------
def test_the_fallback_shares_the_time_budget(respx_mock):
    clock = FakeClock()
    gw.token_route(respx_mock)
    respx_mock.get(gw.situation_url(YEAR)).mock(
        side_effect=lambda request: (clock.sleep(9.5), gw.situation_answer(404))[1]
    )
    before = gw.situation_route(respx_mock, YEAR - 1)
    client = make_client(clock=clock, sleep=clock.sleep, total_timeout=10)
    with pytest.raises(errors.NoAvis):
        client.fetch_situation(FC_TOKEN, YearChoice(YEAR, fallback=True))
    assert before.call_count == 0


def test_slow_gateway_stops_retrying_once_the_budget_is_spent(respx_mock):
    clock = FakeClock()
    read_timeouts = []

    def hang(request):
        read_timeouts.append(request.extensions["timeout"]["read"])
        clock.now += request.extensions["timeout"]["read"]
        raise httpx.ReadTimeout("slow", request=request)

    gw.token_route(respx_mock)
    route = respx_mock.get(gw.situation_url(YEAR)).mock(side_effect=hang)
    client = make_client(
        clock=clock,
        sleep=clock.sleep,
        jitter=no_jitter,
        read_timeout=6,
        max_retries=5,
        backoff=0.5,
        total_timeout=10,
    )
    with pytest.raises(errors.Timeout):
        client.fetch_situation(FC_TOKEN, ASK)
    assert route.call_count == 2 and read_timeouts == [6, 3.5] and clock.now == 10


# -- settings and logs ------------------------------------------------------------------------
def test_not_configured_calls_nothing(respx_mock):
    with override_settings(WAGTAIL_QF={}):
        with pytest.raises(errors.NotConfigured) as excinfo:
            get_client().fetch_situation(FC_TOKEN, ASK)
    assert not respx_mock.calls
    assert "La commune en a été informée" in str(excinfo.value.user_message)


def test_settings_are_read_from_wagtail_qf(respx_mock):
    with override_settings(WAGTAIL_QF={"DGFIP": {**gw.SETTINGS, "TOTAL_TIMEOUT": 7, "MAX_RETRIES": 1}}):
        client = get_client()
        gw.token_route(respx_mock)
        gw.situation_route(respx_mock, YEAR)
        assert client.fetch_situation(FC_TOKEN, ASK).rfr == 36705
    assert client.total_timeout == 7 and client.max_retries == 1
    assert client.id_teleservice == gw.ID_TELESERVICE
    assert get_client().total_timeout == 10 and not get_client().configured  # documented defaults


def test_logs_hold_no_token_no_secret_no_tax_data(client, respx_mock, caplog):
    caplog.set_level(logging.DEBUG)
    gw.token_route(respx_mock, token="gateway-SECRET-token")
    for status, *_ in TABLE:
        respx_mock.get(gw.situation_url(YEAR)).mock(return_value=gw.situation_answer(status))
        with pytest.raises(errors.DgfipError):
            client.fetch_situation(FC_TOKEN, ASK)
    respx_mock.get(gw.situation_url(YEAR)).mock(return_value=gw.situation_answer(200))
    client.fetch_situation(FC_TOKEN, ASK)
    for secret in (FC_TOKEN, "gateway-SECRET-token", gw.CLIENT_SECRET, "36705", "DUPONT", "NOISY"):
        assert secret not in caplog.text
    assert "dgfip annrev=2025 failed status=503" in caplog.text and "correlation_id=" in caplog.text
