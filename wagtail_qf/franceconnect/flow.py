"""The FranceConnect authorization code flow, without a Django ``User``.

``start_login`` → FranceConnect → ``finish_login`` (called by the callback
view) → ``FranceConnectLogin``; ``logout_url`` for the provider's logout.

State, nonce and PKCE verifier are kept under our own session key, not
mozilla-django-oidc's ``oidc_states``, so a site's agent login through the
global ``OIDC_*`` settings and the citizens' login never meet.
"""

import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.crypto import get_random_string
from mozilla_django_oidc.utils import generate_code_challenge

from ..conf import qf_settings
from .backend import FranceConnectBackend
from .errors import FranceConnectError
from .identity import CitizenIdentity
from .metadata import provider_metadata

logger = logging.getLogger("wagtail_qf.franceconnect")

STATES = "wagtail_qf_fc_states"
MAX_STATES = 10
# A login's purpose, in its ``return_to``: the follow-up page (« Suivre ma demande ») asks only
# ``openid`` and needs only the id_token's ``sub``; no userinfo, no identity.
FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class FranceConnectLogin:
    identity: CitizenIdentity | None  # None for a follow-up login
    access_token: str
    id_token: str
    return_to: dict = field(default_factory=dict)
    sub: str = ""


def _callback_uri(request) -> str:
    return request.build_absolute_uri(reverse("wagtail_qf:franceconnect_callback"))


def start_login(request, *, scopes: list[str], return_to: dict) -> HttpResponseRedirect:
    fc = qf_settings.FRANCECONNECT
    endpoint = provider_metadata()["authorization_endpoint"]
    state = get_random_string(32)
    nonce = get_random_string(32)
    params = {
        "response_type": "code",
        "client_id": fc["CLIENT_ID"],
        "redirect_uri": _callback_uri(request),
        "scope": " ".join(scopes),
        "state": state,
        "nonce": nonce,
        "acr_values": fc["ACR_VALUES"],
    }
    verifier = None
    if fc["USE_PKCE"]:
        verifier = get_random_string(64)
        params["code_challenge"] = generate_code_challenge(verifier, "S256")
        params["code_challenge_method"] = "S256"

    states = dict(request.session.get(STATES) or {})
    # Keep the newest few pending logins (several tabs), drop the oldest.
    for old in sorted(states, key=lambda s: states[s]["added_on"])[: max(0, len(states) - MAX_STATES + 1)]:
        del states[old]
    states[state] = {
        "nonce": nonce,
        "code_verifier": verifier,
        "added_on": time.time(),
        "return_to": return_to,
    }
    request.session[STATES] = states
    return HttpResponseRedirect(f"{endpoint}?{urlencode(params)}")


def _pop_state(request) -> dict:
    """Take the pending login named by ``state`` out of the session: single use.

    Nothing else is touched, and an unknown state writes nothing (no session is
    created for a forged callback).
    """
    state = request.GET.get("state", "")
    states = dict(request.session.get(STATES) or {})
    entry = states.pop(state, None) if state else None
    if entry is None:
        raise FranceConnectError("state")
    request.session[STATES] = states
    if time.time() - entry["added_on"] > qf_settings.FRANCECONNECT["STATE_MAX_AGE"]:
        raise FranceConnectError("state", entry.get("return_to"))
    return entry


def finish_login(request) -> FranceConnectLogin:
    entry = _pop_state(request)
    return_to = entry.get("return_to") or {}
    error = request.GET.get("error")
    if error:
        raise FranceConnectError("access_denied" if error == "access_denied" else "provider_error", return_to)
    code = request.GET.get("code")
    if not code:
        raise FranceConnectError("provider_error", return_to)
    try:
        backend = FranceConnectBackend()
        payload = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": _callback_uri(request),
            "client_id": backend.OIDC_RP_CLIENT_ID,
            "client_secret": backend.OIDC_RP_CLIENT_SECRET,
        }
        if entry.get("code_verifier"):
            payload["code_verifier"] = entry["code_verifier"]
        tokens = backend.get_token(payload)
        id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
        if not id_token or not access_token:
            raise FranceConnectError("token")
        id_claims = backend.verify_token(id_token, nonce=entry["nonce"])
        if not id_claims.get("sub"):
            raise FranceConnectError("token")
        following_up = return_to.get("purpose") == FOLLOW_UP
        userinfo = None if following_up else backend.get_userinfo(access_token, id_token, id_claims)
    except FranceConnectError as exc:
        exc.return_to = return_to
        raise
    return FranceConnectLogin(
        identity=None if userinfo is None else CitizenIdentity.from_claims(userinfo),
        access_token=access_token,
        id_token=id_token,
        return_to=return_to,
        sub=str(id_claims["sub"]),
    )


def logout_url(request, *, id_token: str, state: str) -> str | None:
    """FranceConnect's end-session URL, or None when the provider cannot be reached."""
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except FranceConnectError:
        logger.warning("franceconnect logout: provider metadata unavailable")
        return None
    if not endpoint:
        return None
    params = {
        "id_token_hint": id_token,
        "state": state,
        "post_logout_redirect_uri": request.build_absolute_uri(
            reverse("wagtail_qf:franceconnect_logout_callback")
        ),
    }
    return f"{endpoint}?{urlencode(params)}"
