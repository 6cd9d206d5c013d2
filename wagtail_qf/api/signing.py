"""Webhook signatures per the Standard Webhooks specification (www.standardwebhooks.com).

Each webhook carries ``webhook-id`` (the delivery's id: the same on every retry, so
that a receiver drops what it has seen), ``webhook-timestamp`` (Unix seconds) and
``webhook-signature`` (``v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">``),
signed with the token's secret in the ``whsec_<base64>`` form. Editors verify with
any Standard Webhooks library: ``standardwebhooks.Webhook(secret).verify(body, headers)``.
"""

import datetime

from standardwebhooks.webhooks import Webhook

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"


def signed_headers(
    secret: str, message_id: str, body: str, now: datetime.datetime | None = None
) -> dict[str, str]:
    """The three Standard Webhooks headers of ``body`` sent now (or at ``now``)."""
    seconds = int((now or datetime.datetime.now(datetime.UTC)).timestamp())
    sent_at = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    return {
        ID_HEADER: message_id,
        TIMESTAMP_HEADER: str(seconds),
        SIGNATURE_HEADER: Webhook(secret).sign(message_id, sent_at, body),
    }
