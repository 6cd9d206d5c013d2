"""Webhooks to the editors: one signed POST per new dossier, for every active token
with a webhook URL whose communes include the dossier's page.

Editors check the signature with :func:`verify_signature` (see README,
« API for software editors »).
"""

import logging

from django.core.cache import cache

from .signing import sign, verify_signature  # noqa: F401  (the editors' helper lives here too)
from .tasks import deliver_webhook

logger = logging.getLogger("wagtail_qf.api.webhooks")


# Whether any token has a webhook, remembered so that a transmission on a site
# without webhooks (most of them) costs no query; forgotten when a token changes
# (other processes see it within a minute with a per-process cache).
ANY_WEBHOOK_KEY = "wagtail_qf:editors:any-webhook"
ANY_WEBHOOK_SECONDS = 60


def any_webhook() -> bool:
    from ..models import EditorToken

    return cache.get_or_set(
        ANY_WEBHOOK_KEY,
        lambda: EditorToken.objects.active().exclude(webhook_url="").exists(),
        ANY_WEBHOOK_SECONDS,
    )


def forget_any_webhook(**kwargs):
    cache.delete(ANY_WEBHOOK_KEY)


def enqueue_webhooks(sender, submission, page, **kwargs):
    from ..models import EditorToken

    if not any_webhook():
        return
    tokens = EditorToken.objects.for_page(page).exclude(webhook_url="").values_list("pk", flat=True)
    for token_id in tokens:
        try:
            deliver_webhook.enqueue(token_id, submission.pk)
        except Exception:  # noqa: BLE001  (a webhook never breaks a transmission)
            logger.exception("webhook could not be enqueued page=%s", page.pk)
