"""Bearer token authentication and per-token rate limit of the editors' API."""

import datetime
import hashlib

from django.utils import timezone

from ..models import EditorToken
from ..ratelimit import is_limited

LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def bearer_token(request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def authenticate(request):
    """The active EditorToken of the request, or None."""
    token = EditorToken.authenticate(bearer_token(request))
    if token is not None:
        now = timezone.now()
        # One write a minute at most, not one per request.
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            EditorToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token


def token_is_limited(request, token) -> bool:
    key = hashlib.sha256(f"editor-token:{token.pk}".encode()).hexdigest()[:32]
    return is_limited(request, "api", key=key)
