"""The provider's discovery document and keys, fetched with httpx and cached.

Configuration comes from the discovery URL only, so sandbox and production
differ by one setting. The JWKS is refetched once when a token names an
unknown ``kid`` (key rotation).
"""

import hashlib
import logging
from functools import lru_cache

import httpx
from django.core.cache import cache

from .. import http as qf_http
from ..conf import qf_settings
from .errors import FranceConnectError

logger = logging.getLogger("wagtail_qf.franceconnect")

REQUIRED = ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


@lru_cache(maxsize=4)
def _client(connect: float, read: float) -> httpx.Client:
    return qf_http.client("FRANCECONNECT", timeout=httpx.Timeout(read, connect=connect))


def http() -> httpx.Client:
    """One pooled client per process (per timeout setting)."""
    timeout = qf_http.timeout_for("FRANCECONNECT")
    return _client(timeout.connect, timeout.read)


def _cache_key(kind: str, url: str) -> str:
    return f"wagtail_qf:fc:{kind}:{hashlib.sha256(url.encode()).hexdigest()[:24]}"


def _get_json(url: str) -> dict:
    try:
        response = http().get(url)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        _unusable(url, exc)
        raise FranceConnectError("provider_unavailable") from exc
    if not isinstance(data, dict):
        _unusable(url, TypeError("not a JSON object"))
        raise FranceConnectError("provider_unavailable")
    return data


def _unusable(url: str, exc: Exception) -> None:
    """What a webmaster needs to mend ``DISCOVERY_URL`` (a typo, no route to it): the address
    (a setting, or the provider's keys' address; no personal data) and the kind of failure."""
    status = exc.response.status_code if isinstance(exc, httpx.HTTPStatusError) else ""
    logger.warning("franceconnect metadata unusable url=%s error=%s %s", url, type(exc).__name__, status)


def provider_metadata() -> dict:
    """The provider's discovery document (cached); FranceConnectError when unusable."""
    url = qf_settings.FRANCECONNECT["DISCOVERY_URL"]
    key = _cache_key("discovery", url)
    metadata = cache.get(key)
    if metadata is None:
        metadata = _get_json(url)
        if any(not metadata.get(name) for name in REQUIRED):
            raise FranceConnectError("provider_unavailable")
        cache.set(key, metadata, qf_settings.FRANCECONNECT["METADATA_CACHE_SECONDS"])
    return metadata


def jwks(refresh: bool = False) -> dict:
    """The provider's public keys (cached; ``refresh`` fetches them again, after a key rotation)."""
    url = provider_metadata()["jwks_uri"]
    key = _cache_key("jwks", url)
    keys = None if refresh else cache.get(key)
    if keys is None:
        keys = _get_json(url)
        cache.set(key, keys, qf_settings.FRANCECONNECT["METADATA_CACHE_SECONDS"])
    return keys
