"""The development DGFiP gateway answers per the reference: both tokens, scopes, years, errors."""

import base64
import datetime
import json
import time

import pytest
from django.core import signing
from django.test import override_settings

from example_site.devproviders import dgfip as dev
from example_site.devproviders.franceconnect import ACCESS_SALT
from wagtail_qf.dgfip import errors
from wagtail_qf.dgfip.client import get_client
from wagtail_qf.dgfip.types import SCOPES
from wagtail_qf.dgfip.years import YearChoice

from ..fakes.devproviders import BASE, SETTINGS, bridge

pytestmark = pytest.mark.django_db

N = datetime.date.today().year
ALL_SCOPES = [*SCOPES.values(), "dgfip_annee_n_moins_1", "dgfip_annee_n_moins_2"]
DGFIP = {
    "BASE_URL": f"{BASE}/dev/dgfip/impotparticulier/1.0",
    "TOKEN_URL": f"{BASE}/dev/dgfip/token",
    "CLIENT_ID": "dgfip-key",
    "CLIENT_SECRET": "dgfip-secret",
    "ID_TELESERVICE": "QF-DEMO",
    "BACKOFF_SECONDS": 0,
    "MAX_RETRIES": 1,
}
TOKEN = "/dev/dgfip/token"
UUID = "7d3c6b1e-2f4a-4c8e-9b1d-0a2b3c4d5e6f"


@pytest.fixture
def dev_on():
    with override_settings(DEBUG=True, DEV_PROVIDERS=True, WAGTAIL_QF={**SETTINGS, "DGFIP": DGFIP}):
        yield


def fc_token(identity, scopes=ALL_SCOPES):
    """An access token of the development FranceConnect for this identity and these scopes."""
    return signing.dumps(
        {"identity": identity, "scopes": list(scopes), "client_id": "test-client-id", "sub": "sub"},
        salt=ACCESS_SALT,
    )


def basic(client_id="dgfip-key", secret="dgfip-secret"):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def gateway_token(client):
    response = client.post(
        TOKEN,
        {"grant_type": "client_credentials", "scope": "RessourceIR"},
        headers={"Authorization": basic()},
    )
    return response.json()["access_token"]


def situation(client, year, fc, gateway=None, **headers):
    values = {
        "Authorization": f"Bearer {gateway or gateway_token(client)}",
        "X-FranceConnect-OAuth": fc,
        "X-Correlation-ID": UUID,
        "ID_Teleservice": "QF-DEMO",
        **headers,
    }
    return client.get(
        f"/dev/dgfip/impotparticulier/1.0/situations/ir/assiettes/annrev/{year}",
        headers={k: v for k, v in values.items() if v is not None},
    )


LAST_YEAR_OR_BEFORE = YearChoice(N - 1, fallback=True)


def fetch(respx_mock, identity, scopes=ALL_SCOPES, choice=LAST_YEAR_OR_BEFORE):
    """The real client, talking to the development gateway in-process."""
    bridge(respx_mock)
    return get_client().fetch_situation(fc_token(identity, scopes), choice)


def test_off_without_debug(client):
    with override_settings(DEBUG=False, DEV_PROVIDERS=True, WAGTAIL_QF={**SETTINGS, "DGFIP": DGFIP}):
        assert client.post(TOKEN, headers={"Authorization": basic()}).status_code == 404


# -- token endpoint ---------------------------------------------------------------------------
def test_token_by_client_credentials(client, dev_on):
    response = client.post(
        TOKEN,
        {"grant_type": "client_credentials", "scope": "RessourceIR"},
        headers={"Authorization": basic()},
    )
    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer" and response.json()["expires_in"] == 3600


@pytest.mark.parametrize(
    "form, authorization, status",
    [
        ({"grant_type": "client_credentials", "scope": "RessourceIR"}, basic(secret="wrong"), 401),
        ({"grant_type": "client_credentials", "scope": "RessourceIR"}, None, 401),
        ({"grant_type": "password", "scope": "RessourceIR"}, basic(), 400),
        ({"grant_type": "client_credentials", "scope": "RessourceIFI"}, basic(), 400),
    ],
)
def test_token_refusals(client, dev_on, form, authorization, status):
    headers = {"Authorization": authorization} if authorization else {}
    assert client.post(TOKEN, form, headers=headers).status_code == status


# -- the resource, through the real client -----------------------------------------------------
def test_household_with_an_avis(dev_on, respx_mock):
    result = fetch(respx_mock, "sans_nom_dusage")
    assert result.annee_revenus == N - 1 and not result.fallback
    assert result.rfr == 52300 and result.nb_parts == 4.0 and result.situation_famille == "M"
    assert result.personnes_a_charge == 3 and result.personnes_a_charge_detail["F"] == 3
    assert result.adresse.lines() == ["BAT 3 APT 93", "1 RUE DE LA MAIRIE", "35510 CESSON SEVIGNE"]


def test_fields_follow_the_franceconnect_scopes(dev_on, respx_mock):
    result = fetch(respx_mock, "sans_nom_dusage", ["dgfip_rfr", "dgfip_annee_n_moins_1"])
    assert result.rfr == 52300
    assert result.nb_parts is result.situation_famille is result.personnes_a_charge is result.adresse is None


def test_not_taxed_yet_for_last_year_falls_back(dev_on, respx_mock):
    result = fetch(respx_mock, "avec_nom_dusage")
    assert result.fallback and result.annee_revenus == N - 2 and result.rfr == 31800 - 600


def test_household_without_an_avis(dev_on, respx_mock):
    with pytest.raises(errors.NoAvis):
        fetch(respx_mock, "test_FABIEN")


def test_numbers_as_strings(dev_on, respx_mock, client):
    body = situation(client, N - 1, fc_token("test_ELSA")).json()
    assert body["rfr"] == "24150" and body["nbPart"] == "3.0"
    assert fetch(respx_mock, "test_ELSA").rfr == 24150


@pytest.mark.parametrize(
    "identity, cls",
    [
        ("impots_sans_contenu", errors.NoAvis),
        ("impots_plus_de_resultat", errors.NoAvis),
        ("impots_requete_invalide", errors.BadRequest),
        ("impots_acces_refuse", errors.AccessRefused),
        ("impots_trop_de_requetes", errors.RateLimited),
        ("impots_erreur_serveur", errors.ProviderError),
        ("impots_indisponible", errors.ProviderError),
        ("impots_reponse_illisible", errors.MalformedAnswer),
    ],
)
def test_one_identity_per_error(dev_on, respx_mock, identity, cls):
    with pytest.raises(cls):
        fetch(respx_mock, identity)


def test_the_slow_identity_waits_beyond_the_read_timeout(dev_on, client, monkeypatch):
    waits = []
    monkeypatch.setattr(dev.time, "sleep", waits.append)
    assert situation(client, N - 1, fc_token("impots_lent")).status_code == 200
    assert waits == [dev.SLOW_SECONDS]


# -- what the gateway checks (Django test client) ---------------------------------------------
def test_answer_media_type(dev_on, client):
    response = situation(client, N - 1, fc_token("test"))
    assert response["Content-Type"] == dev.MEDIA_TYPE
    assert json.loads(response.content)["sitFam"] == "C"


def test_gateway_token_is_required(dev_on, client):
    response = situation(client, N - 1, fc_token("test"), gateway="forged")
    assert response.status_code == 401 and "erreur" in response.json()


def test_franceconnect_token_is_raw_and_valid(dev_on, client):
    assert situation(client, N - 1, "Bearer " + fc_token("test")).status_code == 403
    assert situation(client, N - 1, None).status_code == 403


def test_an_expired_franceconnect_token_is_refused(dev_on, client, monkeypatch):
    token, gateway = fc_token("test"), gateway_token(client)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 61)  # FranceConnect tokens live 60 s
    assert situation(client, N - 1, token, gateway=gateway).status_code == 403


def test_the_year_must_be_granted(dev_on, client):
    only_last_year = fc_token("test", ["dgfip_rfr", "dgfip_annee_n_moins_1"])
    assert situation(client, N - 1, only_last_year).status_code == 200
    assert situation(client, N - 2, only_last_year).status_code == 403
    either = fc_token("test", ["dgfip_rfr", "dgfip_annee_n_moins_2_si_indispo_n_moins_1"])
    assert situation(client, N - 2, either).status_code == 200
    assert situation(client, N - 3, either).status_code == 403


def test_correlation_id_and_teleservice(dev_on, client):
    fc = fc_token("test")
    assert situation(client, N - 1, fc, **{"X-Correlation-ID": None}).status_code == 400
    assert situation(client, N - 1, fc, **{"X-Correlation-ID": "abc"}).status_code == 400
    assert situation(client, N - 1, fc, ID_Teleservice="OTHER").status_code == 403


def test_development_franceconnect_offers_the_dgfip_scopes(dev_on, client):
    supported = client.get("/dev/franceconnect/api/v2/.well-known/openid-configuration").json()[
        "scopes_supported"
    ]
    assert {"dgfip_rfr", "dgfip_nbpart", "dgfip_aft", "dgfip_annee_n_moins_1"} <= set(supported)
