"""API Particulier v3 answers, faked at the httpx transport with respx.

As strict as the real API, before any answer it is told to give: the FranceConnect
route wants a bearer token FranceConnect issued to this service, the route without
FranceConnect the API token of the settings (401 otherwise), and both a ``recipient``
among the communes' SIRETs (422 otherwise, the answer documented for a missing one).
"""

import httpx

from . import franceconnect

BASE_URL = "https://particulier.test"
FC_PATH = "/v3/dss/quotient_familial/france_connect"
IDENTITY_PATH = "/v3/dss/quotient_familial/identite"
API_TOKENS = {"test-api-particulier-token"}  # tests.settings' API_PARTICULIER.TOKEN
RECIPIENTS = {"21350051800013", "21350051800018", "21350024500013", "24350013900189"}  # the tests' communes


def person(nom, prenoms, date, sexe, nom_usage=None):
    return {
        "nom_naissance": nom,
        "nom_usage": nom_usage,
        "prenoms": prenoms,
        "date_naissance": date,
        "sexe": sexe,
    }


def answer(
    *, allocataires, enfants, fournisseur="CNAF", valeur=1234, annee=2026, mois=11, adresse=None, drop=()
):
    data = {
        "allocataires": allocataires,
        "enfants": enfants,
        "adresse": adresse
        or {
            "destinataire": "Monsieur DUPONT PAUL",
            "complement_information": None,
            "complement_information_geographique": None,
            "numero_libelle_voie": "1 RUE DE LA MAIRIE",
            "lieu_dit": None,
            "code_postal_ville": "35510 CESSON SEVIGNE",
            "pays": "FRANCE",
        },
        "quotient_familial": {
            "fournisseur": fournisseur,
            "valeur": valeur,
            "annee": annee,
            "mois": mois,
            "annee_calcul": annee,
            "mois_calcul": mois,
        },
    }
    for key in drop:
        data.pop(key)
    return {"data": data, "links": {}, "meta": {}}


DUPONT = answer(
    allocataires=[
        person("DUPONT", "PAUL LOUIS", "1980-06-15", "M"),
        person("DUPONT", "MARIE", "1982-02-01", "F", nom_usage="MARTIN"),
    ],
    enfants=[
        person("DUPONT", "JEAN", "2012-03-04", "M"),
        person("DUPONT", "LUCIE", "2014-09-21", "F"),
        person("DUPONT", "LEA", "2018-01-30", "F"),
    ],
)
DUBOIS = answer(
    allocataires=[person("DUBOIS", "ANGELA CLAIRE LOUISE", "1962-08-24", "F")], enfants=[], valeur=2550
)
PLACARD = answer(
    allocataires=[person("PLACARD", "ELSA", "1985-04-12", "F")],
    enfants=[
        person("PLACARD", "TOM", "2010-01-01", "M"),
        person("PLACARD", "ZOE", "2013-05-05", "F"),
        person("PLACARD", "LUC", "2016-07-07", "M"),
    ],
    fournisseur="MSA",
    valeur=687,
)


def error_body(code, title="Erreur", detail="Détail de l'erreur"):
    return {
        "errors": [
            {"code": code, "title": title, "detail": detail, "source": None, "meta": {"provider": "CNAF"}}
        ]
    }


def api_token(token):
    """An API Particulier token the fake accepts (the route without FranceConnect)."""
    API_TOKENS.add(token)
    return token


class AnyToken:
    """Every non-empty token: for a FranceConnect this fake cannot ask (the independent provider)."""

    def __contains__(self, token):
        return bool(token)


def refusal(request, path=FC_PATH, fc_tokens=None):
    """The answer of the real API to a request it refuses before looking for data, else None.

    ``fc_tokens``: the FranceConnect tokens accepted; by default those the FranceConnect fake
    issued to this service."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if path == FC_PATH:
        if scheme != "Bearer" or not token:
            return httpx.Response(401, json=error_body("50001", "Jeton FranceConnect malformé"))
        if (
            fc_tokens is not None
            and token not in fc_tokens
            or (fc_tokens is None and franceconnect.ISSUED.get(token) != franceconnect.CLIENT_ID)
        ):
            return httpx.Response(401, json=error_body("50002", "Jeton FranceConnect inconnu ou expiré"))
    elif scheme != "Bearer" or token not in API_TOKENS:
        return httpx.Response(401, json=error_body("00101", "Jeton invalide"))
    recipient = request.url.params.get("recipient")
    if not recipient or recipient not in RECIPIENTS:
        return httpx.Response(
            422, json=error_body("00203", "Entité non traitable", "Le paramètre recipient est obligatoire")
        )
    return None


def strict(answer, path=FC_PATH, fc_tokens=None):
    """A respx side effect: ``answer`` (a Response, or a function of the request) once the request passes."""

    def respond(request):
        refused = refusal(request, path, fc_tokens)
        if refused is not None:
            return refused
        return answer(request) if callable(answer) else answer

    return respond


def route(respx_mock, path=FC_PATH):
    return respx_mock.get(f"{BASE_URL}{path}")


def particulier_ok(respx_mock, body=DUPONT, headers=None, path=FC_PATH, fc_tokens=None):
    return route(respx_mock, path).mock(
        side_effect=strict(httpx.Response(200, json=body, headers=headers or {}), path, fc_tokens)
    )


def particulier_error(respx_mock, status, code, headers=None, path=FC_PATH):
    return route(respx_mock, path).mock(
        side_effect=strict(httpx.Response(status, json=error_body(code), headers=headers or {}), path)
    )
