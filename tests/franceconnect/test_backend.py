"""The FranceConnect backend on its own: token exchange, key choice, userinfo, every claim check.

The provider is the strict fake, at the httpx transport; each test names the
failure code the citizen's error page and the logs get.
"""

import time

import httpx
import jwt
import pytest
from django.test import override_settings

from wagtail_qf.franceconnect.backend import FranceConnectBackend
from wagtail_qf.franceconnect.errors import FranceConnectError

from ..fakes.franceconnect import CLIENT_ID, CLIENT_SECRET, FakeFranceConnect, new_key, public_jwk

NONCE = "n" * 32


@pytest.fixture
def fc(respx_mock):
    return FakeFranceConnect(respx_mock)


def settings(**overrides):
    return override_settings(
        WAGTAIL_QF={
            "FRANCECONNECT": {
                "DISCOVERY_URL": "https://fc.test/api/v2/.well-known/openid-configuration",
                "CLIENT_ID": CLIENT_ID,
                "CLIENT_SECRET": CLIENT_SECRET,
                **overrides,
            }
        }
    )


def exchange(backend, fc):
    code = "code-" + str(len(fc.codes))
    fc.codes[code] = {"nonce": NONCE}
    return backend.get_token(
        {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
        }
    )


def id_token(fc, **claims):
    now = int(time.time())
    values = {
        "iss": fc.issuer,
        "aud": CLIENT_ID,
        "sub": "pairwise-" + CLIENT_ID,
        "iat": now,
        "exp": now + 60,
        "nonce": NONCE,
        "acr": "eidas1",
        **claims,
    }
    return fc.sign({k: v for k, v in values.items() if v is not None})


def code_of(call):
    with pytest.raises(FranceConnectError) as raised:
        call()
    return raised.value.code


# -- token endpoint ---------------------------------------------------------------------------


def test_the_code_is_exchanged_for_tokens(fc):
    tokens = exchange(FranceConnectBackend(), fc)
    assert tokens["access_token"] == fc.access_tokens[-1]
    assert fc.token_requests[-1]["client_secret"] == CLIENT_SECRET


@pytest.mark.parametrize(
    "status, code",
    [
        (400, "token"),
        (401, "token"),
        (499, "token"),
        (500, "provider_unavailable"),
        (503, "provider_unavailable"),
    ],
)
def test_a_refused_exchange_says_whose_fault_it_is(fc, status, code):
    fc.token_route.mock(return_value=httpx.Response(status, json={"error": "x"}))
    assert code_of(lambda: exchange(FranceConnectBackend(), fc)) == code


def test_an_unreachable_token_endpoint_is_provider_unavailable(fc):
    fc.token_route.mock(side_effect=httpx.ConnectError("down"))
    assert code_of(lambda: exchange(FranceConnectBackend(), fc)) == "provider_unavailable"


def test_an_unreadable_token_answer_is_a_token_error(fc):
    fc.token_route.mock(return_value=httpx.Response(200, content=b"<html>"))
    assert code_of(lambda: exchange(FranceConnectBackend(), fc)) == "token"


# -- keys -------------------------------------------------------------------------------------


def test_no_published_key_matches_the_kid(fc):
    fc.sign_with = (new_key(), "unknown-kid")
    backend = FranceConnectBackend()
    assert code_of(lambda: backend.retrieve_matching_jwk(id_token(fc))) == "signature"
    assert fc.jwks_route.call_count == 2  # refetched once: the provider may have rotated its keys


def test_the_key_of_the_token_algorithm_is_chosen_among_keys_sharing_a_kid(fc):
    """A provider publishing an RS256 and an ES256 key under one kid: the ES256 token uses the EC key."""
    rsa_key = new_key("RS256")
    fc.published = [public_jwk(rsa_key, fc.kid, "RS256"), public_jwk(fc.key, fc.kid, "ES256")]
    backend = FranceConnectBackend()
    claims = backend.verify_token(id_token(fc), nonce=NONCE)
    assert claims["sub"] == "pairwise-" + CLIENT_ID
    assert fc.jwks_route.call_count == 1


def test_a_key_published_without_alg_still_verifies(fc):
    fc.published = [{k: v for k, v in fc.published[0].items() if k != "alg"}]
    assert FranceConnectBackend().verify_token(id_token(fc), nonce=NONCE)["acr"] == "eidas1"


def test_the_jwks_is_read_from_the_cache_while_the_key_is_known(fc):
    backend = FranceConnectBackend()
    backend.verify_token(id_token(fc), nonce=NONCE)
    backend.verify_token(id_token(fc), nonce=NONCE)
    assert fc.jwks_route.call_count == 1


# -- id_token claims --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "claims, code",
    [
        ({"iss": "https://evil.test/api/v2"}, "issuer"),
        ({"aud": "another-client"}, "audience"),
        ({"aud": ["another-client", "a-third"]}, "audience"),
        ({"exp": None}, "expired"),
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"nonce": "m" * 32}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"acr": "eidas2"}, "acr"),
        ({"acr": None}, "acr"),
    ],
)
def test_forged_id_token_claims(fc, claims, code):
    backend = FranceConnectBackend()
    assert code_of(lambda: backend.verify_token(id_token(fc, **claims), nonce=NONCE)) == code


def test_an_audience_list_naming_this_client_is_accepted(fc):
    token = id_token(fc, aud=["another-client", CLIENT_ID])
    assert FranceConnectBackend().verify_token(token, nonce=NONCE)["aud"] == ["another-client", CLIENT_ID]


def test_without_an_expected_nonce_no_id_token_is_accepted(fc):
    backend = FranceConnectBackend()
    assert code_of(lambda: backend.verify_token(id_token(fc), nonce=None)) == "nonce"
    assert code_of(lambda: backend.verify_token(id_token(fc, nonce=""), nonce="")) == "nonce"


def test_clock_skew_within_the_leeway_is_tolerated(fc):
    token = id_token(fc, exp=int(time.time()) - 10)  # LEEWAY is 30 s
    assert FranceConnectBackend().verify_token(token, nonce=NONCE)["nonce"] == NONCE


def test_a_token_signed_with_another_algorithm_than_the_setting_is_refused(respx_mock):
    fc = FakeFranceConnect(respx_mock, alg="RS256")
    backend = FranceConnectBackend()  # ES256 expected
    assert code_of(lambda: backend.verify_token(id_token(fc), nonce=NONCE)) == "signature"


def test_a_bad_signature_is_refused(fc):
    header, payload, signature = id_token(fc).split(".")
    forged = jwt.encode({"sub": "someone-else"}, new_key(), algorithm="ES256").split(".")[1]
    token = ".".join([header, forged, signature])
    assert code_of(lambda: FranceConnectBackend().verify_token(token, nonce=NONCE)) == "signature"


# -- userinfo ---------------------------------------------------------------------------------


def userinfo(backend, fc, token=None, sub="pairwise-" + CLIENT_ID):
    token = token or exchange(backend, fc)["access_token"]
    return backend.get_userinfo(token, "id-token", {"sub": sub})


def test_userinfo_is_asked_with_the_access_token_and_verified(fc):
    backend = FranceConnectBackend()
    claims = userinfo(backend, fc)
    assert claims["family_name"] == "DUPONT" and claims["birthcountry"] == "99100"
    assert fc.userinfo_route.calls.last.request.headers["Authorization"] == f"Bearer {fc.access_tokens[-1]}"


def test_userinfo_refused_by_the_provider(fc):
    assert code_of(lambda: userinfo(FranceConnectBackend(), fc, token="not-issued")) == "userinfo"


def test_userinfo_unreachable_is_provider_unavailable(fc):
    fc.userinfo_route.mock(side_effect=httpx.ReadTimeout("slow"))
    assert code_of(lambda: userinfo(FranceConnectBackend(), fc)) == "provider_unavailable"


def test_userinfo_of_another_person_is_refused(fc):
    assert code_of(lambda: userinfo(FranceConnectBackend(), fc, sub="another-sub")) == "userinfo"


def test_userinfo_content_type_is_read_case_insensitively(fc):
    signed = fc.sign({"iss": fc.issuer, "aud": CLIENT_ID, "sub": "pairwise-" + CLIENT_ID, **fc.claims})
    fc.userinfo_route.mock(
        return_value=httpx.Response(
            200, content=f"{signed}\n".encode(), headers={"Content-Type": "Application/JWT; charset=utf-8"}
        )
    )
    assert userinfo(FranceConnectBackend(), fc, token="any")["given_name"] == "Paul Louis"


def test_json_userinfo_is_refused_unless_allowed(fc):
    fc.userinfo_as_json = True
    assert code_of(lambda: userinfo(FranceConnectBackend(), fc)) == "userinfo"
    with settings(ALLOW_JSON_USERINFO=True):
        assert userinfo(FranceConnectBackend(), fc)["family_name"] == "DUPONT"


@pytest.mark.parametrize("body", [b"not json", b'["a", "list"]'])
def test_unreadable_json_userinfo_is_refused(fc, body):
    fc.userinfo_route.mock(
        return_value=httpx.Response(200, content=body, headers={"Content-Type": "application/json"})
    )
    with settings(ALLOW_JSON_USERINFO=True):
        assert code_of(lambda: userinfo(FranceConnectBackend(), fc, token="any")) == "userinfo"


def test_a_signed_userinfo_needs_no_nonce_nor_acr(fc):
    signed = fc.sign({"iss": fc.issuer, "aud": CLIENT_ID, "sub": "s"})
    assert FranceConnectBackend().verify_token(signed, userinfo=True) == {
        "iss": fc.issuer,
        "aud": CLIENT_ID,
        "sub": "s",
    }


def test_only_a_200_userinfo_answer_is_read(fc):
    """An error status is refused as such, even when its body would verify."""
    signed = fc.sign({"iss": fc.issuer, "aud": CLIENT_ID, "sub": "pairwise-" + CLIENT_ID, **fc.claims})
    fc.userinfo_route.mock(
        return_value=httpx.Response(203, content=signed.encode(), headers={"Content-Type": "application/jwt"})
    )
    assert code_of(lambda: userinfo(FranceConnectBackend(), fc, token="any")) == "userinfo"


def test_an_unsigned_token_is_refused_even_by_a_key_published_without_alg(fc):
    """``alg: none`` never passes, whichever key its kid names."""
    fc.published = [{k: v for k, v in fc.published[0].items() if k != "alg"}]
    now = int(time.time())
    claims = {
        "iss": fc.issuer,
        "aud": CLIENT_ID,
        "sub": "someone-else",
        "exp": now + 60,
        "nonce": NONCE,
        "acr": "eidas1",
    }
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": fc.kid})
    assert code_of(lambda: FranceConnectBackend().verify_token(unsigned, nonce=NONCE)) == "signature"


def test_the_flow_gets_the_client_credentials_from_the_backend(fc):
    backend = FranceConnectBackend()
    assert (backend.OIDC_RP_CLIENT_ID, backend.OIDC_RP_CLIENT_SECRET) == (CLIENT_ID, CLIENT_SECRET)


@pytest.mark.parametrize("token", ["not-a-jwt", "a.b.c", ""])
def test_a_malformed_token_is_a_signature_error(fc, token):
    assert code_of(lambda: FranceConnectBackend().verify_token(token, nonce=NONCE)) == "signature"
