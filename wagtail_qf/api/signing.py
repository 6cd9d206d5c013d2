"""HMAC-SHA256 signature of the webhooks, and its verification (for editors).

Signed text: ``f"{timestamp}.{body}"``; headers ``X-QF-Timestamp: <unix seconds>``
and ``X-QF-Signature: sha256=<hex digest>``.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-QF-Signature"
TIMESTAMP_HEADER = "X-QF-Timestamp"


def _text(value) -> str:
    return value.decode() if isinstance(value, (bytes, bytearray)) else str(value)


def sign(secret: str, timestamp, body) -> str:
    """The ``X-QF-Signature`` header of ``body`` sent at ``timestamp``."""
    message = f"{_text(timestamp)}.{_text(body)}".encode()
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_signature(secret: str, timestamp, body, header: str, tolerance: int = 300, now=None) -> bool:
    """True when ``header`` signs ``body`` at ``timestamp`` and the timestamp is recent.

    ``timestamp`` and ``header`` are the ``X-QF-Timestamp`` and ``X-QF-Signature``
    headers, ``body`` the raw request body (bytes or str, before any JSON parsing);
    ``tolerance`` is the accepted age in seconds (replays of older requests fail).
    """
    try:
        sent_at = int(_text(timestamp))
    except (TypeError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - sent_at) > tolerance:
        return False
    if not isinstance(header, str) or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(sign(secret, sent_at, body), header)
