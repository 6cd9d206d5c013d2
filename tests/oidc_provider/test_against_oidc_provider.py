"""The citizen login against an OpenID provider this project did not write.

panva's ``oidc-provider`` (npm), configured like FranceConnect v2: issuer under
``/api/v2``, ES256 keys, ``acr_values_supported: ["eidas1"]``, userinfo signed
as a JWT, pairwise subjects, PKCE, ``client_secret_post``.
"""

from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from wagtail_qf.models import Submission

from ..fakes import particulier as api
from .driver import end_session, login_at_provider

pytestmark = [pytest.mark.oidc_provider, pytest.mark.django_db]


@pytest.fixture
def upstream(respx_mock, provider_settings):
    """API Particulier is faked; the provider on loopback is reached for real."""
    respx_mock.route(host="127.0.0.1").pass_through()
    api.particulier_ok(respx_mock, api.DUPONT, fc_tokens=api.AnyToken())  # issued by the node provider
    return respx_mock


def test_login_consent_transmission_logout(client, upstream, qf_page):
    callback = login_at_provider(client, qf_page.url + "connexion/")
    response = client.get(callback)
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == qf_page.url + "consentement/"

    state = client.session["wagtail_qf"]
    id_token = state["id_token"]
    header = jwt.get_unverified_header(id_token)
    claims = jwt.decode(id_token, options={"verify_signature": False})
    assert header["alg"] == "ES256"
    assert claims["acr"] == "eidas1"
    assert claims["sub"] != "dupont" and len(claims["sub"]) == 64  # pairwise
    assert state["identity"]["family_name"] == "DUPONT"
    assert state["identity"]["birthcountry"] == "99100"

    consent = client.get(qf_page.url + "consentement/").content.decode()
    assert "Paul Louis DUPONT" in consent
    quotient = client.get(qf_page.url + "quotient/")
    form = quotient.context["form"]
    done = client.post(
        qf_page.url + "quotient/",
        {
            "form_token": form.initial["form_token"],
            "children": [form.fields["children"].choices[0][0]],
            "confirm": "on",
        },
    )
    assert done.status_code == 302
    assert Submission.objects.get().family_name == "DUPONT"

    logout = client.post(qf_page.url + "deconnexion/")
    assert "/api/v2/session/end?" in logout["Location"]
    back = end_session(logout["Location"])
    assert back.startswith("http://testserver/qf/franceconnect/logout/")
    assert client.get(back)["Location"] == qf_page.url + "?deconnexion=1"
    assert "wagtail_qf" not in client.session


def test_scopes_requested_follow_the_page(client, upstream, make_qf_page):
    page = make_qf_page(collect_address=True)
    authorize = client.get(page.url + "connexion/")["Location"]
    params = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    assert params["acr_values"] == "eidas1" and params["code_challenge_method"] == "S256"
    assert "cnaf_adresse" in params["scope"].split()


def test_cancelled_at_the_provider(client, upstream, qf_page):
    callback = login_at_provider(client, qf_page.url + "connexion/", abort=True)
    assert "error=access_denied" in callback
    response = client.get(callback)
    assert response.status_code == 400
    assert "Vous avez annulé la connexion" in response.content.decode()
    assert "identity" not in client.session.get("wagtail_qf", {})


def test_replayed_callback_is_refused(client, upstream, qf_page):
    callback = login_at_provider(client, qf_page.url + "connexion/")
    assert client.get(callback).status_code == 302
    replay = client.get(callback)
    assert replay.status_code == 400
    assert "identity" in client.session["wagtail_qf"]  # the replay logs nobody in, nor out


def test_tampered_nonce_is_refused(client, upstream, qf_page, caplog):
    callback = login_at_provider(client, qf_page.url + "connexion/")
    session = client.session
    states = session["wagtail_qf_fc_states"]
    for entry in states.values():
        entry["nonce"] = "x" * 32
    session["wagtail_qf_fc_states"] = states
    session.save()
    response = client.get(callback)
    assert response.status_code == 400
    assert "code=nonce" in caplog.text
    assert "identity" not in client.session.get("wagtail_qf", {})


def test_wrong_client_secret_is_refused(client, upstream, qf_page, settings, caplog):
    callback = login_at_provider(client, qf_page.url + "connexion/")
    qf = dict(settings.WAGTAIL_QF)
    qf["FRANCECONNECT"] = {**qf["FRANCECONNECT"], "CLIENT_SECRET": "not-the-secret"}
    settings.WAGTAIL_QF = qf
    response = client.get(callback)
    assert response.status_code == 400
    assert "code=token" in caplog.text
    assert "not-the-secret" not in caplog.text
