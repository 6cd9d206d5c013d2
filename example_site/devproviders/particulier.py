"""An API Particulier v3 fake: ``/v3/dss/quotient_familial/{france_connect,identite}``."""

import datetime
import re
import time
import unicodedata

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from wagtail_qf.conf import qf_settings

from .families import API_ERRORS, BY_KEY, IDENTITIES, address
from .franceconnect import read_access_token
from .guard import dev_only

SCOPES = {
    "allocataires": "cnaf_allocataires",
    "enfants": "cnaf_enfants",
    "adresse": "cnaf_adresse",
    "quotient_familial": "cnaf_quotient_familial",
}
# API Particulier wants the identity on the FranceConnect token (reference README): these scopes,
# or their alias ``identite_pivot``; without them, 401 50003.
IDENTITY_SCOPES = {"family_name", "given_name", "gender", "birthdate", "birthplace", "birthcountry"}
SLOW_SECONDS = 12
RATE_HEADERS = {"RateLimit-Limit": "20", "RateLimit-Remaining": "19"}


def _rate_headers(response):
    """As the real API: RateLimit-Reset is the end of the current minute (Unix timestamp)."""
    for name, value in RATE_HEADERS.items():
        response[name] = value
    response["RateLimit-Reset"] = str((int(time.time()) // 60 + 1) * 60)
    return response


def error(status, code, title=None):
    """API Particulier's error answer, its body as the reference's (``families.API_ERRORS``)."""
    title, detail, source, meta = API_ERRORS[(code, title) if title else code]
    body = {"errors": [{"code": code, "title": title, "detail": detail, "source": source, "meta": meta}]}
    return _rate_headers(JsonResponse(body, status=status))


def _month(request):
    today = datetime.date.today()
    try:
        year = int(request.GET.get("annee") or today.year)
        month = int(request.GET.get("mois") or today.month)
    except ValueError:
        return None
    return (year, month) if 1 <= month <= 12 else None


def _answer(identity, scopes, year, month):
    """The family as API Particulier v3 returns it, keys filtered by scopes."""
    # A QF that varies a little with the month, as a real one would.
    value = identity.qf + (month % 3) * 7
    # « Pour la MSA, le quotient familial est systématiquement recalculé » (the OpenAPI): computed this
    # month, whatever month it applies to; the CAF's here computed in the month it applies to.
    computed = datetime.date.today() if identity.provider == "MSA" else datetime.date(year, month, 1)
    data = {
        "allocataires": identity.allocataires,
        "enfants": identity.enfants,
        "adresse": address(identity),
        "quotient_familial": {
            "fournisseur": identity.provider,
            "valeur": value,
            "annee": year,
            "mois": month,
            "annee_calcul": computed.year,
            "mois_calcul": computed.month,
        },
    }
    data = {key: value for key, value in data.items() if SCOPES[key] in scopes}
    response = JsonResponse({"data": data, "links": {}, "meta": {}})
    response["X-Response-Cached"] = "false"
    return _rate_headers(response)


def _serve(request, identity, scopes):
    if not re.fullmatch(r"\d{14}", request.GET.get("recipient", "")):
        return error(422, "00203")
    month = _month(request)
    if month is None:
        return error(422, "00366")
    if identity.error:
        return error(*identity.error)
    if identity.behaviour == "malformed":
        return HttpResponse('{"data": {"quotient_familial": ', content_type="application/json")
    if identity.behaviour == "slow":
        time.sleep(SLOW_SECONDS)
    return _answer(identity, scopes, *month)


@dev_only
@require_GET
def quotient_france_connect(request):
    grant = read_access_token(request)
    if grant is None:
        return error(401, "50002")
    if not has_identity_scopes(grant):
        return error(401, "50003")
    return _serve(request, BY_KEY[grant["identity"]], grant["scopes"])


def has_identity_scopes(grant) -> bool:
    scopes = set(grant["scopes"])
    return "identite_pivot" in scopes or IDENTITY_SCOPES <= scopes


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).upper().strip()


def _matches(identity, request) -> bool:
    claims = identity.claims
    first_names = [_fold(p) for p in request.GET.getlist("prenoms[]")]
    year, month, day = (claims["birthdate"].split("-") + ["", "", ""])[:3]
    wanted = {"anneeDateNaissance": year, "moisDateNaissance": month, "jourDateNaissance": day}
    for name, value in wanted.items():
        given = request.GET.get(name)
        if given and given.lstrip("0") != value.lstrip("0"):
            return False
    return (
        _fold(request.GET.get("nomNaissance")) == _fold(claims["family_name"])
        and bool(first_names)
        and first_names[0] == _fold(claims["given_name"].split()[0])
    )


@dev_only
@require_GET
def quotient_identite(request):
    header = request.headers.get("Authorization", "")
    if header != f"Bearer {qf_settings.API_PARTICULIER['TOKEN']}" or not header[7:]:
        return error(401, "00101")
    prenoms = request.GET.getlist("prenoms[]")
    if (
        not request.GET.get("nomNaissance")
        or not 1 <= len(prenoms) <= 3
        or not re.fullmatch(r"\d{5}", request.GET.get("codeCogInseePaysNaissance", ""))
    ):
        return error(422, "00366")
    identity = next((i for i in IDENTITIES if _matches(i, request)), None)
    if identity is None:
        return error(404, "23003")
    return _serve(request, identity, list(SCOPES.values()))
