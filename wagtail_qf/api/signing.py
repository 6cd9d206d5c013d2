"""HMAC-SHA256 signature of the webhooks, and its verification (for editors).

Signed text: ``f"{timestamp}.{body}"`` (the raw body, as bytes); headers
``X-QF-Timestamp: <unix seconds>`` and ``X-QF-Signature: sha256=<hex digest>``.
The body carries the delivery's ``event_id``, the same on every retry, repeated in
``X-QF-Event-Id``: a receiver that has seen it drops the request (a replay).
"""

import hashlib
import hmac
import json
import time

SIGNATURE_HEADER = "X-QF-Signature"
TIMESTAMP_HEADER = "X-QF-Timestamp"
EVENT_ID_HEADER = "X-QF-Event-Id"


def _bytes(value) -> bytes:
    return bytes(value) if isinstance(value, (bytes, bytearray)) else str(value).encode()


def sign(secret: str, timestamp, body) -> str:
    """The ``X-QF-Signature`` header of ``body`` sent at ``timestamp``."""
    message = _bytes(timestamp) + b"." + _bytes(body)
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str, timestamp, body, header, tolerance: int = 300, now=None, event_id=None
) -> bool:
    """True when ``header`` signs ``body`` at ``timestamp`` and the timestamp is recent.

    ``timestamp`` and ``header`` are the ``X-QF-Timestamp`` and ``X-QF-Signature``
    headers, ``body`` the raw request body (bytes or str, before any JSON parsing);
    ``tolerance`` is the accepted age in seconds (replays of older requests fail).
    With ``event_id`` (the ``X-QF-Event-Id`` header), also True only when it is the
    signed body's ``event_id``: the header can then be trusted to drop replays.
    Whatever the input (non-ASCII, undecodable bytes...), the answer is True or False.
    """
    try:
        stamp = _bytes(timestamp)
        signature = _bytes(header)
        body = _bytes(body)
    except (TypeError, ValueError):
        return False
    if not (stamp.isdigit() and len(stamp) <= 12):  # ASCII digits: the very text that was signed
        return False
    now = time.time() if now is None else now
    if abs(now - int(stamp)) > tolerance:
        return False
    if not hmac.compare_digest(sign(secret, stamp, body).encode(), signature):
        return False
    return event_id is None or _event_id(body) == _bytes(event_id).decode(errors="replace")


def _event_id(body) -> str | None:
    try:
        value = json.loads(body).get("event_id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
