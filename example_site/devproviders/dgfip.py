"""A development DGFiP gateway: token endpoint and ``situations/ir/assiettes/annrev/{annrev}``.

Per ``shared/reference/impot-particulier/``: client credentials (HTTP Basic,
``scope=RessourceIR``) give a gateway token; the resource wants it as Bearer,
the citizen's FranceConnect access token raw in ``X-FranceConnect-OAuth``, a
UUID ``X-Correlation-ID`` and the ``ID_Teleservice`` of the settings. Fields are
filtered by the ``dgfip_*`` scopes of the FranceConnect token, years by its
year scopes. Households are keyed by the development FranceConnect's identities;
an identity without a household has no avis. Inferred, not documented: the
error body ``{"erreur": {"message": ...}}``, that a year scope ``n_moins_k``
counts back from the current calendar year, that a missing or other
``ID_Teleservice`` is refused with a 403. Django's development server (and its
live test server) drops request headers whose name holds "_": ``ID_Teleservice``
reaches this gateway only through the test client, so the demo sets none.
"""

import base64
import datetime
import json
import re
import time
from dataclasses import dataclass, field

from django.core import signing
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from wagtail_qf.conf import qf_settings

from .franceconnect import ACCESS_SALT, TOKEN_LIFETIME
from .guard import dev_only

GATEWAY_SALT = "devproviders.dgfip.gateway"
GATEWAY_SCOPE = "RessourceIR"
GATEWAY_TOKEN_LIFETIME = 3600
MEDIA_TYPE = "application/prs.dgfip.part.situations.ir.assiettes.v1+json"
SLOW_SECONDS = 12
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

# Income years a year scope opens, counted back from the current year.
YEAR_SCOPES = {
    "dgfip_annee_n_moins_1": {1},
    "dgfip_annee_n_moins_2": {2},
    "dgfip_annee_n_moins_3": {3},
    "dgfip_annee_n_moins_2_si_indispo_n_moins_1": {1, 2},
}
# FranceConnect scope of each answer field (pac's keys are filtered one by one).
FIELD_SCOPES = {
    "rfr": "dgfip_rfr",
    "nbPart": "dgfip_nbpart",
    "sitFam": "dgfip_sitfam",
    "sitParIso": "dgfip_pariso",
    "aft": "dgfip_aft",
    "aftDetail": "dgfip_aft",
    "mntRevbareme": "dgfip_mntRevbareme",
    **{
        f"{name}Dec{n}": f"dgfip_{name}Dec{n}"
        for name in ("nmNai", "nmUsa", "prnm", "dateNais")
        for n in (1, 2)
    },
}


@dataclass(frozen=True)
class Household:
    """One tax household: its avis (the same each year but for the RFR) and the years it has."""

    avis: dict = field(default_factory=dict)
    # Years back from the current year that have an avis (1: last year's income).
    years: tuple = (1, 2)
    # HTTP status answered instead of the avis, or "malformed" / "slow".
    error: int | None = None
    behaviour: str = ""
    # FranceConnect's own DGFiP-like mock sends numbers as strings.
    numbers_as_strings: bool = False


def _declarant(n, nom, prenoms, date, nom_usage=None):
    year, month, day = date.split("-")
    return {
        f"nmNaiDec{n}": nom,
        f"nmUsaDec{n}": nom_usage or nom,
        f"prnmDec{n}": prenoms,
        f"dateNaisDec{n}": {"jour": day, "mois": month, "annee": year},
    }


def _avis(
    rfr,
    sit_fam,
    parts,
    dependants,
    *declarants,
    voie="1 RUE DE LA MAIRIE",
    ville="35510 CESSON SEVIGNE",
    complement=None,
):
    pac = {f"nbPac{c}": 0 for c in "FGHIJNPR"}
    pac.update(nbPac=dependants, nbPacF=dependants)
    avis = {
        "rfr": rfr,
        "sitFam": sit_fam,
        "nbPart": parts,
        "pac": pac,
        "sitParIso": None,
        "aft": " ".join(p for p in (complement, voie, ville) if p),
        "aftDetail": {"complementAdresse": complement, "voie": voie, "commune": None, "codePostal": ville},
        "mntRevbareme": max(rfr // 10 - 1500, 0),
    }
    for declarant in declarants:
        avis.update(declarant)
    return avis


HOUSEHOLDS = {
    "test": Household(
        _avis(28400, "C", 1.0, 0, _declarant(1, "DUBOIS", "ANGELA CLAIRE LOUISE", "1962-08-24"))
    ),
    "sans_nom_dusage": Household(
        _avis(
            52300,
            "M",
            4.0,
            3,
            _declarant(1, "DUPONT", "PAUL LOUIS", "1980-06-15"),
            _declarant(2, "DUPONT", "MARIE", "1982-02-01", "MARTIN"),
            complement="BAT 3 APT 93",
        )
    ),
    # Not taxed yet for last year's income: only the two years before.
    "avec_nom_dusage": Household(
        _avis(
            31800,
            "C",
            3.0,
            3,
            _declarant(1, "MERCIER", "PIERRE", "1978-11-02", "MERCIER-ROUX"),
            voie="12 AVENUE DES PINS",
            ville="35000 RENNES",
        ),
        years=(2, 3),
    ),
    # test_FABIEN has no household: no avis at all.
    "test_ELSA": Household(
        _avis(
            24150,
            "D",
            3.0,
            3,
            _declarant(1, "PLACARD", "ELSA", "1985-04-12"),
            voie="4 RUE DES LILAS",
            ville="35200 RENNES",
        ),
        numbers_as_strings=True,
    ),
    "test_CINDY": Household(
        _avis(
            19870,
            "V",
            5.0,
            5,
            _declarant(1, "COMMODE", "CINDY", "1988-09-19"),
            voie="LIEU-DIT LA FONTAINE",
            ville="22300 LANNION",
        )
    ),
    # One identity per error of the reference table (for the identity choice of the
    # development FranceConnect).
    "impots_sans_contenu": Household(error=204),
    "impots_plus_de_resultat": Household(error=410),
    "impots_requete_invalide": Household(error=400),
    "impots_acces_refuse": Household(error=403),
    "impots_trop_de_requetes": Household(error=429),
    "impots_erreur_serveur": Household(error=500),
    "impots_indisponible": Household(error=503),
    "impots_reponse_illisible": Household(behaviour="malformed"),
    "impots_lent": Household(_avis(30000, "C", 1.0, 0), behaviour="slow"),
}


def error(status, message):
    return JsonResponse({"erreur": {"message": message}}, status=status)


def _basic_credentials(request):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        client_id, _sep, secret = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return None
    return client_id, secret


@csrf_exempt
@dev_only
@require_POST
def token(request):
    settings = qf_settings.DGFIP
    credentials = _basic_credentials(request)
    if not settings["CLIENT_ID"] or credentials != (settings["CLIENT_ID"], settings["CLIENT_SECRET"]):
        return JsonResponse({"error": "invalid_client"}, status=401)
    if request.POST.get("grant_type") != "client_credentials":
        return JsonResponse({"error": "unsupported_grant_type"}, status=400)
    if request.POST.get("scope", "").split() != [GATEWAY_SCOPE]:
        return JsonResponse({"error": "invalid_scope"}, status=400)
    access_token = signing.dumps({"client_id": credentials[0], "scope": GATEWAY_SCOPE}, salt=GATEWAY_SALT)
    return JsonResponse(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": GATEWAY_TOKEN_LIFETIME,
            "scope": GATEWAY_SCOPE,
        }
    )


def _signed(value, salt, max_age):
    try:
        return signing.loads(value, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def _filtered(avis, scopes, numbers_as_strings):
    body = {key: value for key, value in avis.items() if FIELD_SCOPES.get(key) in scopes}
    pac = {
        key: value
        for key, value in avis.get("pac", {}).items()
        if ("dgfip_pac_nbPac" if key == "nbPac" else "dgfip_pac") in scopes
    }
    if pac:
        body["pac"] = pac
    if numbers_as_strings:
        for key in ("rfr", "nbPart", "mntRevbareme"):
            if body.get(key) is not None:
                body[key] = str(body[key])
        body.get("pac", {}).update({key: str(value) for key, value in body.get("pac", {}).items()})
    return body


def _refusal(request, grant, annrev):
    """Why the request is refused (status, message), or None."""
    if not UUID.fullmatch(request.headers.get("X-Correlation-ID", "")):
        return 400, "X-Correlation-ID manquant ou mal formé (UUID attendu)"
    expected = qf_settings.DGFIP["ID_TELESERVICE"]
    if expected and request.headers.get("ID_Teleservice") != expected:
        return 403, "ID_Teleservice inconnu"
    if grant is None:
        return 403, "jeton FranceConnect invalide ou expiré"
    back = datetime.date.today().year - annrev
    if not any(back in YEAR_SCOPES.get(scope, ()) for scope in grant["scopes"]):
        return 403, "année de revenus non autorisée par les scopes FranceConnect"
    return None


@dev_only
@require_GET
def situation(request, annrev):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not _signed(header[7:], GATEWAY_SALT, GATEWAY_TOKEN_LIFETIME):
        return error(401, "jeton d'accès à la passerelle invalide ou expiré")
    grant = _signed(request.headers.get("X-FranceConnect-OAuth", ""), ACCESS_SALT, TOKEN_LIFETIME)
    refusal = _refusal(request, grant, annrev)
    if refusal:
        return error(*refusal)
    household = HOUSEHOLDS.get(grant["identity"])
    if household is None:
        return error(404, "aucun avis pour ces paramètres")
    if household.error == 204:
        return HttpResponse(status=204)
    if household.error:
        return error(household.error, "erreur simulée")
    if household.behaviour == "malformed":
        return HttpResponse('{"rfr": ', content_type=MEDIA_TYPE)
    if household.behaviour == "slow":
        time.sleep(SLOW_SECONDS)
    back = datetime.date.today().year - annrev
    if back not in household.years:
        return error(404, "aucun avis pour ces paramètres")
    # A slightly different RFR each year, as a real household would have.
    avis = {**household.avis, "rfr": household.avis["rfr"] - (back - 1) * 600}
    body = _filtered(avis, set(grant["scopes"]), household.numbers_as_strings)
    return HttpResponse(json.dumps(body), content_type=MEDIA_TYPE)
