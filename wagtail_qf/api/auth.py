"""Bearer token authentication and per-token rate limit of the editors' API, as django-ninja's
auth and throttle classes over the ``EditorToken`` model."""

import datetime
import hashlib
import logging

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from ..models import EditorToken
from ..ratelimit import is_limited, seconds_left

logger = logging.getLogger("wagtail_qf.api")

LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def bearer_token(request: HttpRequest) -> str:
    """The token of ``Authorization: Bearer <token>``, or ""."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def authenticate(clear: str) -> EditorToken | None:
    """The active EditorToken whose clear token is ``clear``, or None."""
    token = EditorToken.authenticate(clear)
    if token is not None:
        now = timezone.now()
        # One write a minute at most, not one per request.
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            EditorToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token


def token_is_limited(request: HttpRequest, token: EditorToken) -> bool:
    """Count this request of ``token``; True when it went over ``RATE_LIMITS["api"]``."""
    key = hashlib.sha256(f"editor-token:{token.pk}".encode()).hexdigest()[:32]
    return is_limited(request, "api", key=key)


class EditorTokenAuth(HttpBearer):
    """``Authorization: Bearer qfe_...``: the token an editor was given in the admin.

    ``request.auth`` is then the ``EditorToken``. The header is read by ``bearer_token``
    rather than ninja's parser, which logs a refused header in clear under ``DEBUG``.
    """

    def __call__(self, request: HttpRequest) -> EditorToken | None:
        """The request's token, or None (ninja then answers 401)."""
        return self.authenticate(request, bearer_token(request))

    def authenticate(self, request: HttpRequest, token: str) -> EditorToken | None:
        found = authenticate(token)
        if found is None:
            logger.info("api refused: missing or invalid token")
        return found


class EditorTokenThrottle(BaseThrottle):
    """The per-token rate limit (``WAGTAIL_QF["RATE_LIMITS"]["api"]``), after authentication."""

    def allow_request(self, request: HttpRequest) -> bool:
        """Count the request of ``request.auth``; False once over its limit."""
        if token_is_limited(request, request.auth):
            logger.warning("api rate limited token=%s", request.auth.token_prefix)
            return False
        return True

    def wait(self) -> float:
        """The ``Retry-After`` of a 429: the seconds left of the limit's window."""
        return seconds_left("api")
