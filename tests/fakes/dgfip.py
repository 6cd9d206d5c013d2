"""The DGFiP gateway, faked at the httpx transport with respx."""

import json

import httpx

GATEWAY = "https://dgfip-gateway.test"
BASE_URL = f"{GATEWAY}/impotparticulier/1.0"
TOKEN_URL = f"{GATEWAY}/token"
CLIENT_ID, CLIENT_SECRET = "consumer-key", "consumer-SECRET-789"
ID_TELESERVICE = "TELESERVICE-QF-35051"
MEDIA_TYPE = "application/prs.dgfip.part.situations.ir.assiettes.v1+json"
SETTINGS = {
    "BASE_URL": BASE_URL,
    "TOKEN_URL": TOKEN_URL,
    "CLIENT_ID": CLIENT_ID,
    "CLIENT_SECRET": CLIENT_SECRET,
    "ID_TELESERVICE": ID_TELESERVICE,
    "BACKOFF_SECONDS": 0,
}

# The reference's synthetic answer (shared/reference/impot-particulier/
# situations-ir-assiettes.example.json, built from the OpenAPI schema).
EXAMPLE = {
    "rfr": 36705,
    "sitFam": "M",
    "nbPart": 2.5,
    "pac": {
        "nbPac": 1,
        "nbPacF": 1,
        "nbPacG": 0,
        "nbPacH": 0,
        "nbPacI": 0,
        "nbPacJ": 0,
        "nbPacN": 0,
        "nbPacP": 0,
        "nbPacR": 0,
    },
    "nmNaiDec1": "DUPONT",
    "nmUsaDec1": "DUPONT",
    "prnmDec1": "JEAN MARTIN",
    "dateNaisDec1": {"jour": "19", "mois": "01", "annee": "1980"},
    "nmNaiDec2": "DURAND",
    "nmUsaDec2": "DUPONT",
    "prnmDec2": "MARIE",
    "dateNaisDec2": {"jour": "02", "mois": "03", "annee": "1982"},
    "aft": "BAT 3 APT 93 10 RUE DU CENTRE 93160 NOISY LE GRAND",
    "aftDetail": {
        "complementAdresse": "BAT 3 APT 93",
        "voie": "10 RUE DU CENTRE",
        "commune": None,
        "codePostal": "93160 NOISY LE GRAND",
    },
    "sitParIso": None,
}


def situation_url(year):
    return f"{BASE_URL}/situations/ir/assiettes/annrev/{year}"


def token_answer(token="gateway-token-1", expires_in=3600):
    return httpx.Response(
        200,
        json={
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": expires_in,
            "scope": "RessourceIR",
        },
    )


def token_route(respx_mock, **kwargs):
    return respx_mock.post(TOKEN_URL).mock(return_value=token_answer(**kwargs))


def situation_answer(status=200, body=None):
    if status == 200:
        content = json.dumps(EXAMPLE if body is None else body).encode()
        return httpx.Response(200, content=content, headers={"Content-Type": MEDIA_TYPE})
    if status == 204:
        return httpx.Response(204)
    return httpx.Response(status, json={"erreur": {"message": "Erreur"}})


def situation_route(respx_mock, year, status=200, body=None):
    return respx_mock.get(situation_url(year)).mock(return_value=situation_answer(status, body))
