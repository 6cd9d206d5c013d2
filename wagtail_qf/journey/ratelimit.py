"""Per-client rate limits of the login and transmission steps.

A fixed window counter in Django's cache (shared by all workers when the cache
is). Limits come from ``WAGTAIL_QF["RATE_LIMITS"]``: ``{"login": (20, 60)}``
means 20 requests per 60 seconds per client address.
"""

import hashlib
import time

from django.core.cache import cache

from ..conf import DEFAULTS, qf_settings


def client_key(request) -> str:
    # The address is hashed: the cache holds no personal data in clear.
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def is_limited(request, action: str, key: str | None = None) -> bool:
    """Count this request; True when the client went over the limit.

    ``key`` replaces the client address (e.g. a hashed API token).
    """
    limit, window = qf_settings.RATE_LIMITS.get(action) or DEFAULTS["RATE_LIMITS"][action]
    bucket = int(time.time() // window)
    key = f"wagtail_qf:rl:{action}:{key or client_key(request)}:{bucket}"
    if cache.add(key, 1, timeout=window + 1):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        return False
    return count > limit
