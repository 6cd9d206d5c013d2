"""API Particulier v3 crèche (EAJE) participation, FranceConnect mode: contract, answer, errors."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.core import signing
from django.test import Client, override_settings

from example_site.devproviders.franceconnect import ACCESS_SALT
from wagtail_qf.particulier import errors
from wagtail_qf.particulier.client import ParticulierClient, get_client
from wagtail_qf.particulier.eaje import EAJE_PATH, EAJEParameters, EAJEResult, NoEAJEFile

from ..fakes import particulier as api
from ..fakes.devproviders import SETTINGS, bridge

FC_TOKEN = "fc-access-token-SECRET-123"
SIRET = "21350051800013"

# The OpenAPI's answer shape (participation_familiale_eaje/france_connect, 200).
ANSWER = {
    "data": {
        "allocataires": [
            {
                **api.person("JACQUES", "JEAN-PIERRE THOMAS", "2000-01-20", "M", "DUPONT"),
                "code_cog_insee_commune_naissance": "75113",
            }
        ],
        "enfants": [
            {
                **api.person("DUPONT", "JEAN-PIERRE THOMAS JUNIOR", "2020-01-20", "M"),
                "code_cog_insee_commune_naissance": None,
            }
        ],
        "adresse": {
            "destinataire": "Monsieur JEAN JACQUES",
            "complement_information": None,
            "complement_information_geographique": None,
            "numero_libelle_voie": "1 RUE DE LA GARE",
            "lieu_dit": None,
            "code_postal_ville": "75002",
            "pays": "FRANCE",
        },
        "parametres_calcul_participation_familiale": {
            "nombre_enfants_a_charge": 2,
            "nombre_enfants_beneficiaire_aeeh": 3,
            "base_ressources_annuelles": {"valeur": 40923, "annee_calcul": 2023},
        },
    },
    "links": {},
    "meta": {},
}


@pytest.fixture
def client():
    return ParticulierClient(api.BASE_URL, "api-token", max_retries=2, backoff=0)


def route(respx_mock):
    return respx_mock.get(f"{api.BASE_URL}{EAJE_PATH}")


def fetch(client):
    return client.fetch_eaje_with_franceconnect(FC_TOKEN, recipient=SIRET)


def test_request_contract(client, respx_mock):
    called = route(respx_mock).mock(return_value=httpx.Response(200, json=ANSWER))
    fetch(client)
    request = called.calls.last.request
    assert request.url.path == "/v3/dss/participation_familiale_eaje/france_connect"
    assert parse_qs(urlsplit(str(request.url)).query) == {"recipient": [SIRET]}
    assert request.headers["Authorization"] == f"Bearer {FC_TOKEN}"


def test_answer(client, respx_mock):
    route(respx_mock).mock(
        return_value=httpx.Response(200, json=ANSWER, headers={"X-Response-Cached": "true"})
    )
    result = fetch(client)
    assert result.parametres == EAJEParameters(
        nombre_enfants_a_charge=2,
        nombre_enfants_beneficiaire_aeeh=3,
        ressources_annuelles=40923,
        annee_calcul=2023,
    )
    assert result.allocataires[0].nom_usage == "DUPONT" and result.enfants[0].prenoms.endswith("JUNIOR")
    assert result.adresse.numero_libelle_voie == "1 RUE DE LA GARE" and result.cached
    assert EAJEResult.from_session(result.to_session()) == result


@pytest.mark.parametrize("missing", ["allocataires", "enfants", "adresse"])
def test_a_missing_key_is_none(client, respx_mock, missing):
    body = {**ANSWER, "data": {k: v for k, v in ANSWER["data"].items() if k != missing}}
    route(respx_mock).mock(return_value=httpx.Response(200, json=body))
    assert getattr(fetch(client), missing) is None


# (status, code, error class, retried?, words of the citizen's message)
TABLE = [
    (401, "00101", errors.InvalidApiToken, False, "n'est pas autorisé"),
    (401, "00103", errors.InvalidApiToken, False, "n'est pas autorisé"),
    (401, "00105", errors.InvalidApiToken, False, "n'est pas autorisé"),
    (401, "50002", errors.FranceConnectTokenError, False, "FranceConnect a expiré"),
    (403, "00100", errors.Forbidden, False, "n'est pas autorisé"),
    (404, "37003", NoEAJEFile, False, "ne connaissent pas"),
    (409, "00015", errors.Conflict, True, "déjà en cours"),
    (422, "00203", errors.ServiceMisconfigured, False, "n'est pas autorisé"),
    (429, "00429", errors.RateLimited, True, "trop de demandes"),
    (502, "37999", errors.ProviderError, True, "indisponible"),
]


@pytest.mark.parametrize("status, code, cls, retried, words", TABLE)
def test_error_table(client, respx_mock, status, code, cls, retried, words):
    called = route(respx_mock).mock(
        return_value=httpx.Response(status, json=api.error_body(code), headers={"RateLimit-Reset": "0"})
    )
    with pytest.raises(cls) as excinfo:
        fetch(client)
    assert type(excinfo.value) is cls
    assert excinfo.value.code == code and excinfo.value.status == status
    assert called.call_count == (3 if retried else 1)
    assert words in str(excinfo.value.user_message)


def test_no_file_points_to_the_town_hall_for_the_crèche(client, respx_mock):
    route(respx_mock).mock(return_value=httpx.Response(404, json=api.error_body("37003")))
    with pytest.raises(errors.NotFound) as excinfo:  # still a NotFound for the journey
        fetch(client)
    assert "justificatifs" in str(excinfo.value.next_step)
    assert "quotient familial" not in str(excinfo.value.next_step)


def test_timeouts_are_retried(client, respx_mock):
    called = route(respx_mock).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(errors.Timeout):
        fetch(client)
    assert called.call_count == 3


@pytest.mark.parametrize(
    "data",
    [
        {"parametres_calcul_participation_familiale": {"nombre_enfants_a_charge": 2}},
        {
            "parametres_calcul_participation_familiale": {
                "nombre_enfants_a_charge": "2",
                "nombre_enfants_beneficiaire_aeeh": 0,
                "base_ressources_annuelles": {"valeur": 1, "annee_calcul": 2023},
            }
        },
        {
            "parametres_calcul_participation_familiale": {
                "nombre_enfants_a_charge": 2,
                "nombre_enfants_beneficiaire_aeeh": 0,
                "base_ressources_annuelles": 40923,
            }
        },
        {"parametres_calcul_participation_familiale": []},
        {"enfants": {"nom": "x"}},
    ],
)
def test_malformed_answers(client, respx_mock, data):
    called = route(respx_mock).mock(return_value=httpx.Response(200, json={"data": data}))
    with pytest.raises(errors.MalformedAnswer):
        fetch(client)
    assert called.call_count == 1


def test_unreadable_answer(client, respx_mock):
    route(respx_mock).mock(return_value=httpx.Response(200, content=b'{"data": {'))
    with pytest.raises(errors.MalformedAnswer):
        fetch(client)


# -- the development API Particulier's crèche endpoint (Django test client) -------------------
DEV_PATH = "/dev/api-particulier/v3/dss/participation_familiale_eaje/france_connect"


@pytest.fixture
def web():
    """Django's test client (``client`` is the API Particulier client in this module)."""
    return Client()


@pytest.fixture
def dev_on(db):
    with override_settings(DEBUG=True, DEV_PROVIDERS=True, WAGTAIL_QF=SETTINGS):
        yield


def dev_token(identity):
    return signing.dumps(
        {"identity": identity, "scopes": ["openid"], "client_id": "test-client-id", "sub": "sub"},
        salt=ACCESS_SALT,
    )


def dev_get(web, identity, recipient=SIRET):
    return web.get(
        DEV_PATH,
        {"recipient": recipient} if recipient else {},
        headers={"Authorization": f"Bearer {dev_token(identity)}"},
    )


def test_dev_fake_answers_the_openapi_shape(web, dev_on):
    body = dev_get(web, "sans_nom_dusage").json()
    assert set(body) == {"data", "links", "meta"}
    data = body["data"]
    assert set(data) == {"allocataires", "enfants", "adresse", "parametres_calcul_participation_familiale"}
    parameters = data["parametres_calcul_participation_familiale"]
    assert parameters["nombre_enfants_a_charge"] == 3
    assert set(parameters["base_ressources_annuelles"]) == {"valeur", "annee_calcul"}
    assert data["allocataires"][0]["code_cog_insee_commune_naissance"] == "35238"
    assert data["allocataires"][1]["code_cog_insee_commune_naissance"] is None


def test_dev_fake_through_the_real_client(dev_on, respx_mock):
    bridge(respx_mock)
    result = get_client().fetch_eaje_with_franceconnect(dev_token("test_FABIEN"), recipient=SIRET)
    assert result.parametres.nombre_enfants_a_charge == 5 and len(result.enfants) == 5
    assert result.parametres.ressources_annuelles == 512 * 12 * 5  # 1 adult + 0.5 + 0.5 + 3 × 1 parts


@pytest.mark.parametrize(
    "identity, recipient, status, code",
    [
        ("inconnu", SIRET, 404, "37003"),
        ("inconnu_msa", SIRET, 404, "37003"),
        ("trop_de_requetes", SIRET, 429, "00429"),
        ("interdit", SIRET, 403, "00100"),
        ("test", None, 422, "00203"),
    ],
)
def test_dev_fake_errors(web, dev_on, identity, recipient, status, code):
    response = dev_get(web, identity, recipient)
    assert response.status_code == status and response.json()["errors"][0]["code"] == code


def test_dev_fake_wants_a_franceconnect_token(web, dev_on):
    response = web.get(DEV_PATH, {"recipient": SIRET}, headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401
