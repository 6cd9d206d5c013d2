"""The API Particulier fake refuses what the real API refuses: each rule, on its own."""

import httpx
import pytest

from ..fakes import particulier as api
from ..fakes.franceconnect import issue_access_token

SIRET = "21350051800013"


def get(path, token=None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.get(f"{api.BASE_URL}{path}", params=params, headers=headers)
    codes = [error["code"] for error in response.json().get("errors", [])]
    return response.status_code, codes


@pytest.fixture
def answers(respx_mock):
    api.particulier_ok(respx_mock)
    api.particulier_ok(respx_mock, path=api.IDENTITY_PATH)


def test_a_franceconnect_token_of_this_service_gets_the_data(answers):
    assert get(api.FC_PATH, issue_access_token(), recipient=SIRET) == (200, [])


def test_a_request_without_franceconnect_token_is_refused(answers):
    assert get(api.FC_PATH, recipient=SIRET) == (401, ["50001"])


def test_an_unknown_franceconnect_token_is_refused(answers):
    assert get(api.FC_PATH, "never-issued", recipient=SIRET) == (401, ["50002"])


def test_a_franceconnect_token_of_another_service_is_refused(answers):
    assert get(api.FC_PATH, issue_access_token("another-client"), recipient=SIRET) == (401, ["50002"])


def test_the_route_without_franceconnect_wants_the_api_token(answers):
    assert get(api.IDENTITY_PATH, "test-api-particulier-token", recipient=SIRET) == (200, [])
    assert get(api.IDENTITY_PATH, recipient=SIRET) == (401, ["00101"])
    assert get(api.IDENTITY_PATH, "not-our-token", recipient=SIRET) == (401, ["00101"])
    # A FranceConnect token is not an API token.
    assert get(api.IDENTITY_PATH, issue_access_token(), recipient=SIRET) == (401, ["00101"])


def test_a_missing_recipient_is_refused(answers):
    assert get(api.FC_PATH, issue_access_token()) == (422, ["00203"])


def test_an_unknown_recipient_is_refused(answers):
    assert get(api.FC_PATH, issue_access_token(), recipient="12345678900000") == (422, ["00203"])


def test_a_configured_error_comes_only_after_the_checks(respx_mock):
    api.particulier_error(respx_mock, 404, "23003")
    assert get(api.FC_PATH, issue_access_token(), recipient=SIRET) == (404, ["23003"])
    assert get(api.FC_PATH, "never-issued", recipient=SIRET) == (401, ["50002"])
