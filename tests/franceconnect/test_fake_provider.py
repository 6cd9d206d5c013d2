"""The FranceConnect fake is as strict as FranceConnect: each rule, on its own.

A lenient fake lets a client bug pass (userinfo asked without the token, say):
these tests keep the fake honest.
"""

import httpx
import pytest

from ..fakes.franceconnect import CLIENT_ID, CLIENT_SECRET, ISSUER, FakeFranceConnect, issue_access_token


@pytest.fixture
def fc(respx_mock):
    return FakeFranceConnect(respx_mock)


def userinfo(headers):
    return httpx.get(f"{ISSUER}/userinfo", headers=headers)


def issued_token(fc):
    fc.codes["code-1"] = {"nonce": "n" * 22}
    response = httpx.post(
        f"{ISSUER}/token",
        data={
            "grant_type": "authorization_code",
            "code": "code-1",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uri": "https://commune.test/qf/franceconnect/callback/",
        },
    )
    assert response.status_code == 200
    return response.json()["access_token"]


def test_userinfo_answers_a_token_it_issued(fc):
    response = userinfo({"Authorization": f"Bearer {issued_token(fc)}"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/jwt"


def test_userinfo_refuses_a_request_without_bearer_token(fc):
    assert userinfo({}).status_code == 401
    assert userinfo({"Authorization": f"Basic {issued_token(fc)}"}).status_code == 401


def test_userinfo_refuses_a_token_it_did_not_issue(fc):
    response = userinfo({"Authorization": "Bearer forged-token"})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_userinfo_refuses_a_token_of_another_client(fc):
    token = issue_access_token("another-client")
    fc.access_tokens.append(token)
    assert userinfo({"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.parametrize(
    "field, value, status",
    [
        ("client_id", "another-client", 401),
        ("client_secret", "wrong", 401),
        ("code", "never-given", 400),
        ("grant_type", "refresh_token", 400),
    ],
)
def test_token_endpoint_refuses_another_client_or_a_bad_grant(fc, field, value, status):
    fc.codes["code-1"] = {"nonce": "n" * 22}
    form = {
        "grant_type": "authorization_code",
        "code": "code-1",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        field: value,
    }
    assert httpx.post(f"{ISSUER}/token", data=form).status_code == status


@pytest.mark.parametrize("alg", ["HS256", "none", "ES384", "PS256"])
def test_only_the_algorithms_franceconnect_signs_with(respx_mock, alg):
    with pytest.raises(ValueError, match="ES256 or RS256"):
        FakeFranceConnect(respx_mock, alg=alg)
