"""Webhooks to the editors: one signed POST per new dossier, for every active token
with a webhook URL whose communes include the dossier's page.

Editors check the signature with :func:`verify_signature` (see README,
« API for software editors »).
"""

import logging

from django.dispatch import receiver

from ..signals import submission_created
from .signing import sign, verify_signature  # noqa: F401  (the editors' helper lives here too)
from .tasks import deliver_webhook

logger = logging.getLogger("wagtail_qf.api.webhooks")


@receiver(submission_created, dispatch_uid="wagtail_qf.api.webhooks")
def enqueue_webhooks(sender, submission, page, **kwargs):
    from ..models import EditorToken

    tokens = EditorToken.objects.for_page(page).exclude(webhook_url="").values_list("pk", flat=True)
    for token_id in tokens:
        try:
            deliver_webhook.enqueue(token_id, submission.pk)
        except Exception:  # noqa: BLE001  (a webhook never breaks a transmission)
            logger.exception("webhook could not be enqueued page=%s", page.pk)
