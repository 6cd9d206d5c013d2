"""FranceConnect flow details: algorithms, key rotation, caches, state, logout."""

import time

import httpx
import pytest
from django.test import override_settings

from wagtail_qf.franceconnect import flow

from ..fakes import particulier as api
from ..fakes.franceconnect import FakeFranceConnect, new_key, public_jwk

pytestmark = pytest.mark.django_db


def fc_settings(**overrides):
    return {
        "FRANCECONNECT": {
            "DISCOVERY_URL": "https://fc.test/api/v2/.well-known/openid-configuration",
            "CLIENT_ID": "test-client-id",
            "CLIENT_SECRET": "test-client-secret",
            **overrides,
        },
        "API_PARTICULIER": {"BASE_URL": "https://particulier.test", "BACKOFF_SECONDS": 0},
    }


def login(client, fc, page):
    return client.get(fc.authorize(client, page.url + "connexion/"))


def test_rs256_provider(client, respx_mock, qf_page):
    api.particulier_ok(respx_mock)
    fc = FakeFranceConnect(respx_mock, alg="RS256")
    with override_settings(WAGTAIL_QF=fc_settings(SIGN_ALGO="RS256")):
        assert login(client, fc, qf_page)["Location"].endswith("/consentement/")


def test_algorithm_must_match_the_setting(client, respx_mock, qf_page, caplog):
    fc = FakeFranceConnect(respx_mock, alg="RS256")  # settings expect ES256
    assert login(client, fc, qf_page).status_code == 400
    assert "code=signature" in caplog.text


def test_key_rotation_refetches_the_jwks_once(client, respx_mock, qf_page):
    api.particulier_ok(respx_mock)
    fc = FakeFranceConnect(respx_mock)
    assert login(client, fc, qf_page).status_code == 302
    assert fc.jwks_route.call_count == 1
    # The provider rotates its key: the cached JWKS does not know the new kid.
    fc.key, fc.kid = new_key(), "key-2"
    fc.published = [public_jwk(fc.key, "key-2", "ES256")]
    client.post(qf_page.url + "deconnexion/")
    assert login(client, fc, qf_page).status_code == 302
    assert fc.jwks_route.call_count == 2
    assert fc.discovery_route.call_count == 1  # discovery stays cached


def test_json_userinfo_only_when_allowed(client, respx_mock, qf_page):
    api.particulier_ok(respx_mock)
    fc = FakeFranceConnect(respx_mock)
    fc.userinfo_as_json = True
    with override_settings(WAGTAIL_QF=fc_settings(ALLOW_JSON_USERINFO=True)):
        assert login(client, fc, qf_page)["Location"].endswith("/consentement/")


@pytest.mark.parametrize(
    "forge", [{"aud": "someone-else"}, {"iss": "https://evil.test"}, {"sub": "another-person"}]
)
def test_userinfo_jwt_is_checked(client, respx_mock, qf_page, forge):
    fc = FakeFranceConnect(respx_mock)
    fc.userinfo_overrides = forge
    assert login(client, fc, qf_page).status_code == 400
    assert "identity" not in client.session.get("wagtail_qf", {})


def test_expired_state(client, respx_mock, qf_page):
    fc = FakeFranceConnect(respx_mock)
    callback = fc.authorize(client, qf_page.url + "connexion/")
    session = client.session
    for entry in session["wagtail_qf_fc_states"].values():
        entry["added_on"] = time.time() - 3600
    session.save()
    response = client.get(callback)
    assert response.status_code == 400
    assert fc.token_route.call_count == 0  # nothing is sent to the provider
    assert "Réessayer de se connecter" in response.content.decode()


def test_unknown_state_and_missing_state(client, respx_mock, qf_page):
    FakeFranceConnect(respx_mock)
    assert client.get("/qf/franceconnect/callback/?code=abc&state=unknown").status_code == 400
    assert client.get("/qf/franceconnect/callback/?code=abc").status_code == 400


def test_pending_logins_are_bounded(client, respx_mock, qf_page):
    FakeFranceConnect(respx_mock)
    for _ in range(flow.MAX_STATES + 5):
        client.get(qf_page.url + "connexion/")
    assert len(client.session["wagtail_qf_fc_states"]) == flow.MAX_STATES


def test_discovery_unreachable_at_login(client, respx_mock, qf_page):
    respx_mock.get("https://fc.test/api/v2/.well-known/openid-configuration").mock(
        side_effect=httpx.ConnectError("down")
    )
    response = client.get(qf_page.url + "connexion/")
    assert response.status_code == 503
    assert "FranceConnect ne répond pas" in response.content.decode()


def test_logout_works_when_the_provider_is_unreachable(client, respx_mock, qf_page):
    api.particulier_ok(respx_mock)
    fc = FakeFranceConnect(respx_mock)
    login(client, fc, qf_page)
    from django.core.cache import cache

    cache.clear()  # the discovery document must be fetched again, and fails
    fc.discovery_route.mock(side_effect=httpx.ConnectError("down"))
    response = client.post(qf_page.url + "deconnexion/")
    assert response["Location"] == qf_page.url + "?deconnexion=1"
    assert "wagtail_qf" not in client.session


def test_login_error_never_shows_or_logs_tokens(client, respx_mock, qf_page, caplog):
    fc = FakeFranceConnect(respx_mock)
    fc.id_token_overrides = {"acr": "eidas2"}
    response = login(client, fc, qf_page)
    body = response.content.decode()
    for token in fc.access_tokens:
        assert token not in body and token not in caplog.text
    assert "DUPONT" not in caplog.text and "1980-06-15" not in caplog.text
