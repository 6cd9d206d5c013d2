"""Token exchange and verification, on mozilla-django-oidc's backend.

What changes from the library, and why:
- settings come from ``WAGTAIL_QF["FRANCECONNECT"]`` and the discovery
  document, never from the global ``OIDC_*`` settings a site may use for its
  agents' login;
- HTTP goes through httpx (pooled, timeouts), the JWKS is cached;
- ``iss``, ``aud``, ``exp`` (with leeway) and ``acr`` are checked on the
  id_token, and ``iss``/``aud`` on the JWT userinfo, which the library skips;
- nothing here logs a user in: the caller gets claims, not a ``User``.
"""

import logging
from typing import Any

import httpx
import jwt
from django.core.exceptions import SuspiciousOperation
from django.utils.encoding import smart_str
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ..conf import qf_settings
from . import metadata
from .errors import FranceConnectError

logger = logging.getLogger("wagtail_qf.franceconnect")


class FranceConnectBackend(OIDCAuthenticationBackend):
    def __init__(self):
        self.fc = qf_settings.FRANCECONNECT
        self.metadata = metadata.provider_metadata()
        super().__init__()

    def get_settings(self, attr, *args) -> Any:
        values = {
            "OIDC_OP_TOKEN_ENDPOINT": self.metadata["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": self.metadata["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": self.metadata["jwks_uri"],
            "OIDC_RP_CLIENT_ID": self.fc["CLIENT_ID"],
            "OIDC_RP_CLIENT_SECRET": self.fc["CLIENT_SECRET"],
            "OIDC_RP_SIGN_ALGO": self.fc["SIGN_ALGO"],
            "OIDC_RP_IDP_SIGN_KEY": None,
            "OIDC_ALLOW_UNSECURED_JWT": False,
            "OIDC_USE_NONCE": True,
            "OIDC_VERIFY_KID": True,
        }
        if attr in values:
            return values[attr]
        return args[0] if args else None

    # -- HTTP ----------------------------------------------------------------
    def get_token(self, payload) -> dict:
        try:
            response = metadata.http().post(self.OIDC_OP_TOKEN_ENDPOINT, data=payload)
        except httpx.HTTPError as exc:
            raise FranceConnectError("provider_unavailable") from exc
        if response.status_code != 200:
            logger.warning("franceconnect token endpoint status=%s", response.status_code)
            raise FranceConnectError("provider_unavailable" if response.status_code >= 500 else "token")
        try:
            tokens = response.json()
        except ValueError as exc:
            raise FranceConnectError("token") from exc
        if not isinstance(tokens, dict):
            raise FranceConnectError("token")
        return tokens

    def retrieve_matching_jwk(self, token) -> jwt.PyJWK:
        header = jwt.get_unverified_header(token)
        for refresh in (False, True):
            keys = metadata.jwks(refresh=refresh).get("keys")
            for jwk in keys if isinstance(keys, list) else []:
                if not isinstance(jwk, dict) or jwk.get("kid") != smart_str(header.get("kid")):
                    continue
                if "alg" in jwk and jwk["alg"] != smart_str(header.get("alg")):
                    continue
                return jwt.PyJWK(jwk)
        raise FranceConnectError("signature")

    def get_userinfo(self, access_token, id_token, payload) -> dict:
        try:
            response = metadata.http().get(
                self.OIDC_OP_USER_ENDPOINT, headers={"Authorization": f"Bearer {access_token}"}
            )
        except httpx.HTTPError as exc:
            raise FranceConnectError("provider_unavailable") from exc
        if response.status_code != 200:
            raise FranceConnectError("userinfo")
        content_type = response.headers.get("content-type", "").lower()
        if content_type.startswith("application/jwt"):
            claims = self.verify_token(response.text.strip(), userinfo=True)
        elif self.fc["ALLOW_JSON_USERINFO"]:
            try:
                claims = response.json()
            except ValueError as exc:
                raise FranceConnectError("userinfo") from exc
        else:
            raise FranceConnectError("userinfo")
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            raise FranceConnectError("userinfo")
        return claims

    # -- verification --------------------------------------------------------
    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise FranceConnectError("signature")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                options={"verify_aud": False},
                leeway=self.fc["LEEWAY"],
            )
        except jwt.ExpiredSignatureError as exc:
            raise FranceConnectError("expired") from exc
        except jwt.InvalidTokenError as exc:
            raise FranceConnectError("signature") from exc

    def verify_token(self, token, nonce=None, userinfo=False, **kwargs) -> dict:
        """Signature, then the claims the library does not check."""
        try:
            claims = self.get_payload_data(token, self.retrieve_matching_jwk(token))
        # PyJWTError: a bad token, or a key the provider published malformed.
        except (jwt.PyJWTError, SuspiciousOperation, ValueError) as exc:
            raise FranceConnectError("signature") from exc
        if claims.get("iss") != self.metadata["issuer"]:
            raise FranceConnectError("issuer")
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise FranceConnectError("audience")
        if userinfo:
            return claims
        if "exp" not in claims:
            raise FranceConnectError("expired")
        if not nonce or claims.get("nonce") != nonce:
            raise FranceConnectError("nonce")
        if claims.get("acr") != self.fc["ACR_VALUES"]:
            raise FranceConnectError("acr")
        return claims
