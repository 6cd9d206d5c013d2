"""A FranceConnect v2-like OpenID provider, for the demo and the tests.

Stateless: codes and access tokens are signed with Django's signing; a code is
single use through the cache.
"""

import base64
import hashlib
import time
from urllib.parse import urlencode

from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wagtail_qf.conf import qf_settings
from wagtail_qf.dgfip.types import SCOPES as DGFIP_SCOPES
from wagtail_qf.dgfip.types import YEAR_SCOPES as DGFIP_YEAR_SCOPES

from . import keys
from .families import BY_KEY, IDENTITIES
from .guard import dev_only

CODE_SALT = "devproviders.franceconnect.code"
ACCESS_SALT = "devproviders.franceconnect.access"
TOKEN_LIFETIME = 60
IDENTITY_CLAIMS = (
    "given_name",
    "given_name_array",
    "family_name",
    "birthdate",
    "gender",
    "birthplace",
    "birthcountry",
    "preferred_username",
)


def issuer(request) -> str:
    return request.build_absolute_uri("/dev/franceconnect/api/v2")


def _pairwise_sub(identity_key: str, client_id: str) -> str:
    return hashlib.sha256(f"{identity_key}:{client_id}".encode()).hexdigest()


@dev_only
@require_GET
def discovery(request):
    base = issuer(request)
    return JsonResponse(
        {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "end_session_endpoint": f"{base}/session/end",
            "jwks_uri": f"{base}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["ES256", "RS256"],
            "userinfo_signing_alg_values_supported": ["ES256", "RS256"],
            "acr_values_supported": ["eidas1"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "scopes_supported": [
                "openid",
                *IDENTITY_CLAIMS,
                "email",
                "cnaf_quotient_familial",
                "cnaf_allocataires",
                "cnaf_enfants",
                "cnaf_adresse",
                *DGFIP_SCOPES.values(),
                *DGFIP_YEAR_SCOPES,
            ],
        }
    )


@dev_only
@require_GET
def jwks(request):
    return JsonResponse({"keys": [keys.public_jwk()]})


def _authorize_errors(params) -> list[str]:
    fc = qf_settings.FRANCECONNECT
    errors = []
    if params.get("client_id") != fc["CLIENT_ID"]:
        errors.append("client_id inconnu")
    if params.get("response_type") != "code":
        errors.append("response_type doit valoir code")
    if "openid" not in params.get("scope", "").split():
        errors.append("le scope doit contenir openid")
    if not params.get("redirect_uri", "").startswith(("http://", "https://")):
        errors.append("redirect_uri invalide")
    if not params.get("state"):
        errors.append("state manquant")
    if len(params.get("nonce", "")) < 22:
        errors.append("nonce manquant ou trop court (22 caractères au moins)")
    if params.get("acr_values") != "eidas1":
        errors.append("acr_values doit valoir eidas1")
    if params.get("code_challenge") and params.get("code_challenge_method") != "S256":
        errors.append("code_challenge_method doit valoir S256 (seule méthode PKCE de FranceConnect)")
    return errors


@dev_only
@require_http_methods(["GET", "POST"])
def authorize(request):
    params = request.GET if request.method == "GET" else request.POST
    params = {
        name: params.get(name, "")
        for name in (
            "client_id",
            "response_type",
            "scope",
            "redirect_uri",
            "state",
            "nonce",
            "acr_values",
            "code_challenge",
            "code_challenge_method",
        )
    }
    errors = _authorize_errors(params)
    if errors:
        return render(request, "devproviders/authorize_error.html", {"errors": errors}, status=400)
    back = params["redirect_uri"]
    if request.method == "POST":
        if "cancel" in request.POST:
            query = {"error": "access_denied", "error_description": "User canceled", "state": params["state"]}
            return HttpResponseRedirect(f"{back}?{urlencode(query)}")
        identity = BY_KEY.get(request.POST.get("identity", ""))
        if identity is not None:
            code = signing.dumps({**params, "identity": identity.key}, salt=CODE_SALT)
            return HttpResponseRedirect(f"{back}?{urlencode({'code': code, 'state': params['state']})}")
    return render(request, "devproviders/authorize.html", {"params": params, "groups": identity_groups()})


def typed_identity(identity) -> str:
    """What to type in « Continuer sans FranceConnect » to meet the same family or error."""
    claims = identity.claims
    year, month, day = claims["birthdate"].split("-")
    born = "née" if claims["gender"] == "female" else "né"
    return f"{claims['family_name']} {claims['given_name']}, {born} le {day}/{month}/{year}"


def identity_groups() -> list[tuple[str, list]]:
    """The test identities in the order a developer looks for them: the families of the
    reference, then one identity per API Particulier error, then the tax gateway's errors."""
    groups = {"families": [], "particulier": [], "impots": []}
    for identity in IDENTITIES:
        if identity.key.startswith("impots_"):
            group = "impots"
        elif identity.error or identity.behaviour:
            group = "particulier"
        else:
            group = "families"
        groups[group].append((identity, typed_identity(identity)))
    return [
        ("Familles de test (données de l'API Particulier en bac à sable)", groups["families"]),
        ("Erreurs de l'API Particulier (quotient familial, crèche)", groups["particulier"]),
        (
            "Erreurs de l'API Impôt particulier (famille de la CAF, données fiscales en erreur)",
            groups["impots"],
        ),
    ]


def _token_error(error, status=400):
    return JsonResponse({"error": error}, status=status)


def _pkce_ok(grant, verifier) -> bool:
    if not grant.get("code_challenge"):
        return True
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == grant["code_challenge"]


@csrf_exempt
@dev_only
@require_POST
def token(request):
    fc = qf_settings.FRANCECONNECT
    form = request.POST
    if form.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type")
    if form.get("client_id") != fc["CLIENT_ID"] or form.get("client_secret") != fc["CLIENT_SECRET"]:
        return _token_error("invalid_client", 401)
    try:
        grant = signing.loads(form.get("code", ""), salt=CODE_SALT, max_age=TOKEN_LIFETIME)
    except signing.BadSignature:
        return _token_error("invalid_grant")
    code_id = hashlib.sha256(form["code"].encode()).hexdigest()
    if not cache.add(f"devproviders:code:{code_id}", 1, TOKEN_LIFETIME * 2):
        return _token_error("invalid_grant")  # replayed code
    if grant["redirect_uri"] != form.get("redirect_uri") or grant["client_id"] != form["client_id"]:
        return _token_error("invalid_grant")
    if not _pkce_ok(grant, form.get("code_verifier", "")):
        return _token_error("invalid_grant")
    now = int(time.time())
    sub = _pairwise_sub(grant["identity"], grant["client_id"])
    id_token = keys.sign(
        {
            "iss": issuer(request),
            "aud": grant["client_id"],
            "sub": sub,
            "iat": now,
            "exp": now + TOKEN_LIFETIME,
            "nonce": grant["nonce"],
            "acr": "eidas1",
            "amr": ["pwd"],
        }
    )
    access_token = signing.dumps(
        {
            "identity": grant["identity"],
            "scopes": grant["scope"].split(),
            "client_id": grant["client_id"],
            "sub": sub,
        },
        salt=ACCESS_SALT,
    )
    return JsonResponse(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME,
            "id_token": id_token,
            "scope": grant["scope"],
        }
    )


def read_access_token(request) -> dict | None:
    """The grant behind a Bearer access token, or None if invalid or expired."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        return signing.loads(header[7:], salt=ACCESS_SALT, max_age=TOKEN_LIFETIME)
    except signing.BadSignature:
        return None


@dev_only
@require_GET
def userinfo(request):
    grant = read_access_token(request)
    if grant is None:
        return JsonResponse({"error": "invalid_token"}, status=401)
    identity = BY_KEY[grant["identity"]]
    claims = {"iss": issuer(request), "aud": grant["client_id"], "sub": grant["sub"]}
    claims.update(
        {
            k: v
            for k, v in identity.claims.items()
            if k in grant["scopes"] or (k == "given_name_array" and "given_name" in grant["scopes"])
        }
    )
    return HttpResponse(keys.sign(claims), content_type="application/jwt")


@dev_only
@require_GET
def session_end(request):
    try:
        keys.verify(
            request.GET.get("id_token_hint", ""),
            qf_settings.FRANCECONNECT["CLIENT_ID"],
            verify_exp=False,  # an expired id_token still names the session to end
        )
    except Exception:  # noqa: BLE001 - any invalid hint is refused the same way
        return HttpResponseBadRequest("id_token_hint invalide")
    back = request.GET.get("post_logout_redirect_uri", "")
    if not back.startswith(("http://", "https://")):
        return HttpResponseBadRequest("post_logout_redirect_uri invalide")
    return HttpResponseRedirect(f"{back}?{urlencode({'state': request.GET.get('state', '')})}")
