"""Per-client rate limits of the login and transmission steps.

A fixed window counter in Django's cache (shared by all workers when the cache
is). Limits come from ``WAGTAIL_QF["RATE_LIMITS"]``: ``{"login": (20, 60)}``
means 20 requests per 60 seconds per client address (per /64 network for IPv6). Behind a
reverse proxy the client address comes from ``X-Forwarded-For``, believed only as far as the
proxies listed in ``WAGTAIL_QF["TRUSTED_PROXIES"]``.
"""

import hashlib
import ipaddress
import math
import time
from functools import lru_cache

from django.core.cache import cache

from .conf import DEFAULTS, qf_settings


def proxy_network(entry) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """An entry of ``WAGTAIL_QF["TRUSTED_PROXIES"]`` as a network; None when it is not one
    (a system check reports it)."""
    try:
        return ipaddress.ip_network(str(entry).strip(), strict=False)
    except ValueError:
        return None


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple) -> tuple:
    return tuple(network for network in map(proxy_network, proxies) if network is not None)


def _address(text: str):
    """``text`` as an address, without the port some proxies write (``203.0.113.7:4711``,
    ``[2001:db8::1]:4711``): a new one with each connection, never a new client."""
    host, _, port = text.rpartition(":")
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif host.count(".") == 3 and port.isdigit():
        text = host
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address  # ::ffff:10.0.0.1 is 10.0.0.1


def client_address(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or, when that is a trusted proxy, the
    right-most ``X-Forwarded-For`` address that is not (the left ones are the client's
    to write, so never believed)."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks(tuple(qf_settings.TRUSTED_PROXIES or ()))

    def is_proxy(address) -> bool:
        return address is not None and any(address in network for network in networks)

    if not is_proxy(_address(remote)):
        return remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = hop.strip()
        address = _address(hop)
        if not is_proxy(address):  # written by a trusted proxy: the client
            return str(address) if address else hop or remote
    return remote


def client_key(request) -> str:
    """The client's bucket: its address, or its IPv6 /64 network (one subscriber's, whose
    addresses are its own to change). Hashed: the cache holds no personal data in clear."""
    client = client_address(request)
    address = _address(client)
    if address is not None and address.version == 6:
        client = str(ipaddress.ip_network(f"{address}/64", strict=False))
    return hashlib.sha256(client.encode()).hexdigest()[:32]


def is_limited(request, action: str, key: str | None = None) -> bool:
    """Count this request; True when the client went over the limit.

    ``key`` replaces the client address (e.g. a hashed API token).
    """
    limit, window = _limit(action)
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


def seconds_left(action: str) -> int:
    """Seconds until the current window of ``action`` ends and its count starts again (the
    ``Retry-After`` of a refused request)."""
    _count, window = _limit(action)
    return max(1, math.ceil(window - time.time() % window))


def _limit(action: str) -> tuple[int, int]:
    return qf_settings.RATE_LIMITS.get(action) or DEFAULTS["RATE_LIMITS"][action]
