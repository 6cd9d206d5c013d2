"""API Particulier v3 fake, crèche participation: ``/v3/dss/participation_familiale_eaje/france_connect``.

Per the OpenAPI: ``recipient`` (SIRET) required (422 00203), the FranceConnect
token as Bearer (401), 404 37003 « Dossier allocataire inexistant », the family
and ``parametres_calcul_participation_familiale``. The OpenAPI does not say which
FranceConnect scopes the endpoint needs: every key is answered.
"""

import datetime
import re
import time

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from .families import BY_KEY, address
from .franceconnect import read_access_token
from .guard import dev_only
from .particulier import SLOW_SECONDS, _rate_headers, error

NOT_FOUND = {"23003", "10003"}  # the QF's "unknown family" codes; EAJE answers 37003


def tax_parts(adults: int, children: int) -> float:
    """Number of parts of a household: 1 per adult, 0.5 for each of the first two children, 1 after."""
    return max(adults, 1) + 0.5 * min(children, 2) + max(children - 2, 0)


def _eaje_answer(identity, birthplace):
    def with_birthplace(people, first_cog):
        return [
            {**p, "code_cog_insee_commune_naissance": first_cog if i == 0 else None}
            for i, p in enumerate(people)
        ]

    parts = tax_parts(len(identity.allocataires), len(identity.enfants))
    data = {
        "allocataires": with_birthplace(identity.allocataires, birthplace),
        "enfants": with_birthplace(identity.enfants, None),
        "adresse": address(identity),
        "parametres_calcul_participation_familiale": {
            "nombre_enfants_a_charge": len(identity.enfants),
            "nombre_enfants_beneficiaire_aeeh": 0,
            "base_ressources_annuelles": {
                "valeur": round(identity.qf * 12 * parts),
                "annee_calcul": datetime.date.today().year,
            },
        },
    }
    response = JsonResponse({"data": data, "links": {}, "meta": {}})
    response["X-Response-Cached"] = "false"
    return _rate_headers(response)


@dev_only
@require_GET
def eaje_france_connect(request):
    grant = read_access_token(request)
    if grant is None:
        return error(401, "50002")
    if not re.fullmatch(r"\d{14}", request.GET.get("recipient", "")):
        return error(422, "00203")
    identity = BY_KEY.get(grant["identity"])
    if identity is None:
        return error(404, "37003")
    if identity.error:
        if identity.error[1] in NOT_FOUND:
            return error(404, "37003")
        return error(*identity.error)
    if identity.behaviour == "malformed":
        return HttpResponse(
            '{"data": {"parametres_calcul_participation_familiale": ', content_type="application/json"
        )
    if identity.behaviour == "slow":
        time.sleep(SLOW_SECONDS)
    return _eaje_answer(identity, identity.claims.get("birthplace"))
