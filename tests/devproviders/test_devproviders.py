"""The development providers: FranceConnect-like provider and API Particulier fake."""

from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.test import override_settings

from example_site.devproviders import keys
from example_site.devproviders.families import BY_KEY
from wagtail_qf.models import Submission

from ..fakes.devproviders import SETTINGS, bridge

pytestmark = pytest.mark.django_db

DISCOVERY = "/dev/franceconnect/api/v2/.well-known/openid-configuration"
API = "/dev/api-particulier/v3/dss/quotient_familial"


@pytest.fixture
def dev(settings):
    with override_settings(DEBUG=True, DEV_PROVIDERS=True, WAGTAIL_QF=SETTINGS):
        yield


def test_off_without_debug(client):
    with override_settings(DEBUG=False, DEV_PROVIDERS=True, WAGTAIL_QF=SETTINGS):
        assert client.get(DISCOVERY).status_code == 404
    with override_settings(DEBUG=True, DEV_PROVIDERS=False, WAGTAIL_QF=SETTINGS):
        assert client.get(DISCOVERY).status_code == 404


def test_discovery(client, dev):
    data = client.get(DISCOVERY).json()
    assert data["issuer"] == "http://testserver/dev/franceconnect/api/v2"
    assert data["acr_values_supported"] == ["eidas1"]
    assert "ES256" in data["id_token_signing_alg_values_supported"]


def journey(client, page, identity, respx_mock):
    """Start page → provider's identity choice → callback; return the callback response."""
    bridge(respx_mock)
    response = client.get(page.url + "connexion/")
    authorize = response["Location"]
    assert authorize.startswith("http://testserver/dev/franceconnect/api/v2/authorize?")
    chooser = client.get(authorize)
    assert chooser.status_code == 200
    assert "Choisissez une identité de test" in chooser.content.decode()
    params = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    back = client.post(authorize, {**params, "identity": identity, "login": ""})
    callback = back["Location"]
    assert callback.startswith("http://testserver/qf/franceconnect/callback/?code=")
    return client.get(callback), callback


def test_full_journey_in_process(client, dev, respx_mock, qf_page):
    response, _callback = journey(client, qf_page, "sans_nom_dusage", respx_mock)
    assert response["Location"] == qf_page.url + "consentement/"
    quotient = client.get(qf_page.url + "quotient/")
    html = quotient.content.decode()
    assert "Paul Louis DUPONT" in client.get(qf_page.url + "consentement/").content.decode()
    assert "Jean DUPONT" in html and "Lucie DUPONT" in html
    form = quotient.context["form"]
    keys_ = [key for key, _ in form.fields["children"].choices]
    done = client.post(
        qf_page.url + "quotient/",
        {"form_token": form.initial["form_token"], "children": keys_[1:], "confirm": "on"},
    )
    assert done.status_code == 302
    assert Submission.objects.get().family_name == "DUPONT"

    logout = client.post(qf_page.url + "deconnexion/")
    end = client.get(logout["Location"])
    assert end["Location"].startswith("http://testserver/qf/franceconnect/logout/?state=")
    assert client.get(end["Location"])["Location"] == qf_page.url + "?deconnexion=1"


def test_replayed_code_is_refused(client, dev, respx_mock, qf_page):
    response, callback = journey(client, qf_page, "test", respx_mock)
    assert response.status_code == 302
    # Same code again, with a state the client still knows: the provider refuses the code.
    client.get(qf_page.url + "connexion/")
    state = list(client.session["wagtail_qf_fc_states"])[-1]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    replay = client.get(f"/qf/franceconnect/callback/?code={code}&state={state}")
    assert replay.status_code == 400


def test_cancel_returns_access_denied(client, dev, respx_mock, qf_page):
    bridge(respx_mock)
    authorize = client.get(qf_page.url + "connexion/")["Location"]
    params = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    back = client.post(authorize, {**params, "cancel": ""})
    assert "error=access_denied" in back["Location"]
    page = client.get(back["Location"])
    assert page.status_code == 400
    assert "Vous avez annulé la connexion" in page.content.decode()


def test_token_endpoint_checks_client_secret_and_pkce(client, dev, respx_mock, qf_page):
    bridge(respx_mock)
    authorize = client.get(qf_page.url + "connexion/")["Location"]
    params = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    code = parse_qs(urlsplit(client.post(authorize, {**params, "identity": "test"})["Location"]).query)[
        "code"
    ][0]
    token_url = "/dev/franceconnect/api/v2/token"
    base = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": "test-client-id",
        "redirect_uri": params["redirect_uri"],
    }
    assert client.post(token_url, {**base, "client_secret": "wrong"}).status_code == 401
    bad_pkce = client.post(
        token_url, {**base, "client_secret": "test-client-secret", "code_verifier": "x" * 64}
    )
    assert bad_pkce.status_code == 400


@pytest.mark.parametrize(
    "identity, text",
    [
        ("inconnu", "ne connaissent pas de dossier"),
        ("inconnu_msa", "ne connaissent pas de dossier"),
        ("indisponible", "momentanément indisponible"),
        ("trop_de_requetes", "trop de demandes"),
        ("erreur_fournisseur", "momentanément indisponible"),
        ("jeton_refuse", "Reconnectez-vous"),
        ("reponse_illisible", "incomplète ou illisible"),
        ("interdit", "pas autorisé"),
        ("en_cours", "déjà en cours"),
        ("identite_invalide", "identité transmises"),
    ],
)
def test_error_identities_show_their_error_page(client, dev, respx_mock, qf_page, identity, text):
    journey(client, qf_page, identity, respx_mock)
    html = client.get(qf_page.url + "quotient/").content.decode()
    assert text in html
    assert Submission.objects.count() == 0


def test_api_answer_follows_scopes(client, dev, respx_mock, make_qf_page):
    page = make_qf_page(collect_children=False, collect_address=True)
    journey(client, page, "sans_nom_dusage", respx_mock)
    result = client.session["wagtail_qf"]["pages"][str(page.pk)]["result"]
    assert result["enfants"] is None  # cnaf_enfants was not requested
    assert result["adresse"]["code_postal_ville"] == "35510 CESSON SEVIGNE"


def test_api_fake_errors_and_identity_mode(client, dev):
    assert client.get(f"{API}/france_connect?recipient=21350051800013").status_code == 401
    auth = {"Authorization": "Bearer test-api-particulier-token"}
    missing = client.get(f"{API}/identite?recipient=21350051800013", headers=auth)
    assert missing.status_code == 422 and missing.json()["errors"][0]["code"] == "00366"
    query = (
        "recipient=21350051800013&nomNaissance=Dupont&prenoms[]=Paul&prenoms[]=Louis"
        "&sexeEtatCivil=M&codeCogInseePaysNaissance=99100&anneeDateNaissance=1980"
    )
    found = client.get(f"{API}/identite?{query}", headers=auth)
    assert found.status_code == 200
    assert found.json()["data"]["quotient_familial"]["fournisseur"] == "CNAF"
    unknown = client.get(f"{API}/identite?{query.replace('Dupont', 'Durand')}", headers=auth)
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["code"] == "23003"
    bad_token = client.get(f"{API}/identite?{query}", headers={"Authorization": "Bearer x"})
    assert bad_token.status_code == 401
    assert (
        client.get(f"{API}/identite?{query.replace('recipient=21350051800013&', '')}", headers=auth).json()[
            "errors"
        ][0]["code"]
        == "00203"
    )


def test_id_token_is_es256_and_verifiable_with_jwks(client, dev):
    token = keys.sign({"aud": "test-client-id", "sub": "x"})
    jwk = client.get("/dev/franceconnect/api/v2/jwks").json()["keys"][0]
    assert jwt.get_unverified_header(token)["alg"] == "ES256"
    assert jwt.decode(token, jwt.PyJWK(jwk), algorithms=["ES256"], audience="test-client-id")["sub"] == "x"


def test_every_identity_has_a_label_and_claims():
    for identity in BY_KEY.values():
        assert identity.label and identity.claims["family_name"]
