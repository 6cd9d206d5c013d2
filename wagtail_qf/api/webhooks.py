"""Webhooks to the editors: one signed POST per new dossier, for every active token
with a webhook URL whose communes include the dossier's page.

Signed per Standard Webhooks (``signing``): editors verify with a ready-made library
(see README, « API for software editors »).
"""

import logging

from django.core.cache import cache

from .tasks import deliver_webhook

logger = logging.getLogger("wagtail_qf.api.webhooks")


# Whether any token has a webhook, remembered so that a transmission on a site
# without webhooks (most of them) costs no query; forgotten when a token changes
# (other processes see it within a minute with a per-process cache).
ANY_WEBHOOK_KEY = "wagtail_qf:editors:any-webhook"
ANY_WEBHOOK_SECONDS = 60


def any_webhook() -> bool:
    """Whether any active token has a webhook (cached for ``ANY_WEBHOOK_SECONDS``)."""
    from ..models import EditorToken

    return cache.get_or_set(
        ANY_WEBHOOK_KEY,
        lambda: EditorToken.objects.active().exclude(webhook_url="").exists(),
        ANY_WEBHOOK_SECONDS,
    )


def forget_any_webhook(**kwargs) -> None:
    """Receiver of the tokens' changes: ``any_webhook`` is asked again."""
    cache.delete(ANY_WEBHOOK_KEY)


def enqueue_webhooks(sender, submission, page, **kwargs) -> None:
    """Receiver of ``submission_created``: one delivery task per token covering the page."""
    from ..models import EditorToken

    if not any_webhook():
        return
    tokens = EditorToken.objects.for_page(page).exclude(webhook_url="").values_list("pk", flat=True)
    for token_id in tokens:
        try:
            deliver_webhook.enqueue(token_id, submission.pk)
        except Exception:  # noqa: BLE001  (a webhook never breaks a transmission)
            logger.exception("webhook could not be enqueued page=%s", page.pk)
