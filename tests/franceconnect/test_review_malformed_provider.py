"""Found in review: a FranceConnect answer of the wrong shape fails the login with the error page
(« la connexion a été refusée », a retry link), never a server error."""

import httpx
import pytest

from ..fakes import particulier as api
from ..fakes.franceconnect import FakeFranceConnect

pytestmark = pytest.mark.django_db


@pytest.fixture
def fc(respx_mock):
    api.particulier_ok(respx_mock, api.DUPONT)
    return FakeFranceConnect(respx_mock)


def refused(client, fc, page):
    """The callback's answer: the login error page, the citizen not logged in."""
    response = client.get(fc.authorize(client, page.url + "connexion/"))
    assert response.status_code in (400, 503)
    assert "Réessayer" in response.content.decode() or page.url + "connexion/" in response.content.decode()
    assert "identity" not in (client.session.get("wagtail_qf") or {})
    return response


@pytest.mark.parametrize("body", [[], "tokens", 42, None])
def test_a_token_answer_that_is_no_json_object_is_refused(client, fc, qf_page, body):
    fc.token_route.mock(return_value=httpx.Response(200, json=body))
    refused(client, fc, qf_page)


@pytest.mark.parametrize(
    "jwks",
    [
        {"keys": None},
        {"keys": "key-1"},
        {"keys": ["key-1"]},
        {"keys": [{"kid": "key-1", "kty": "unknown"}]},
        {"keys": [{"kid": "key-1", "alg": "ES256", "kty": "EC", "crv": "P-256", "x": "!", "y": "!"}]},
    ],
)
def test_a_malformed_published_key_set_is_refused(client, fc, qf_page, jwks):
    fc.jwks_route.mock(return_value=httpx.Response(200, json=jwks))
    refused(client, fc, qf_page)
