"""The whole API Particulier call has one time budget (tries, waits and backoff together).

The citizen waits on a blank page during the FranceConnect callback: a slow API
must not hold them for the sum of every try's timeouts. The clock is injected:
no test here measures wall-clock time.
"""

import httpx
import pytest
from django.test import override_settings

from wagtail_qf.particulier import errors
from wagtail_qf.particulier.client import MIN_TRY_SECONDS, ParticulierClient, get_client

from ..fakes import particulier as api
from ..fakes.clock import FakeClock, no_jitter
from ..fakes.franceconnect import issue_access_token

FC_TOKEN = issue_access_token()


def slow_api(clock, read_timeouts):
    """Each request hangs until its own read timeout runs out (an unresponsive upstream)."""

    def respond(request):
        timeout = request.extensions["timeout"]["read"]
        read_timeouts.append(timeout)
        clock.now += timeout
        raise httpx.ReadTimeout("slow", request=request)

    return respond


def client_with(clock, **kwargs):
    return ParticulierClient(api.BASE_URL, clock=clock, sleep=clock.sleep, jitter=no_jitter, **kwargs)


def fetch(client):
    return client.fetch_with_franceconnect(FC_TOKEN, recipient="21350051800013")


def test_slow_api_stops_retrying_once_the_total_budget_is_spent(respx_mock):
    clock = FakeClock()
    read_timeouts = []
    route = api.route(respx_mock).mock(side_effect=slow_api(clock, read_timeouts))
    client = client_with(clock, read_timeout=6, max_retries=5, backoff=0.5, total_timeout=10)
    with pytest.raises(errors.Timeout):
        fetch(client)
    # 6 s, 0.5 s of backoff, then a last try cut to the 3.5 s left: no third try.
    assert route.call_count == 2
    assert read_timeouts == [6, 3.5]
    assert clock.now == 10


def test_without_a_budget_every_retry_is_made(respx_mock):
    """The same slow API without TOTAL_TIMEOUT: what the budget protects the citizen from."""
    clock = FakeClock()
    route = api.route(respx_mock).mock(side_effect=slow_api(clock, []))
    client = client_with(clock, read_timeout=6, max_retries=5, backoff=0.5, total_timeout=None)
    with pytest.raises(errors.Timeout):
        fetch(client)
    assert route.call_count == 6


def test_fast_failures_are_still_retried_within_the_budget(respx_mock):
    clock = FakeClock()
    route = api.particulier_error(respx_mock, 502, "37999")
    client = client_with(clock, max_retries=2, backoff=0.5, total_timeout=10)
    with pytest.raises(errors.ProviderError):
        fetch(client)
    assert route.call_count == 3
    assert clock.now == 1.5  # the two backoffs, nothing else


def test_no_retry_is_started_with_less_than_a_useful_try_left(respx_mock):
    clock = FakeClock()
    route = api.route(respx_mock).mock(
        side_effect=lambda request: (
            clock.sleep(10 - MIN_TRY_SECONDS / 2),
            httpx.Response(502, json=api.error_body("37999")),
        )[1]
    )
    client = client_with(clock, max_retries=3, backoff=0, total_timeout=10)
    with pytest.raises(errors.ProviderError):
        fetch(client)
    assert route.call_count == 1


def test_a_rate_limit_wait_beyond_the_budget_is_not_waited(respx_mock):
    clock = FakeClock()
    route = api.route(respx_mock).mock(
        side_effect=lambda request: (
            clock.sleep(8.5),
            httpx.Response(429, json=api.error_body("00429"), headers={"RateLimit-Reset": "2"}),
        )[1]
    )
    client = client_with(clock, max_retries=2, backoff=0.1, total_timeout=10)
    with pytest.raises(errors.RateLimited):
        fetch(client)
    assert route.call_count == 1 and clock.now == 8.5


def test_total_timeout_is_a_setting():
    with override_settings(WAGTAIL_QF={"API_PARTICULIER": {"TOTAL_TIMEOUT": 7}}):
        assert get_client().total_timeout == 7
    assert get_client().total_timeout == 10  # the documented default
