"""Delivery of the editors' webhooks on django-tasks.

django-tasks has no automatic retry: a failed delivery is re-enqueued with
``run_after`` (exponential backoff) when the backend can defer tasks (database
backend). A backend that cannot (immediate, in demos) runs the task inside the
citizen's request: one attempt only, so that a dead endpoint never holds it.
"""

import datetime
import json
import logging
import time
import uuid

import httpx
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail.admin.utils import get_admin_base_url

from .signing import EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

logger = logging.getLogger("wagtail_qf.api.webhooks")

MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 60  # 1, 2, 4 minutes with a deferring backend
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
EVENT = "dossier.created"


def dossier_api_url(submission) -> str:
    path = reverse("wagtail_qf:api_dossier", args=[submission.reference])
    try:
        site = submission.page.get_site()
    except Exception:  # noqa: BLE001  (no site: the admin's base URL)
        site = None
    base = site.root_url if site is not None else get_admin_base_url()
    return (base or "").rstrip("/") + path


def delivery_id(token, submission) -> str:
    """The delivery's id: the same on every retry, so that the editor can drop replays."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:wagtail-qf:{EVENT}:{token.pk}:{submission.reference}"))


def payload(submission, event_id: str) -> dict:
    """What the webhook says: no personal data (the editor fetches the dossier with its token)."""
    page = submission.page.specific
    return {
        "event": EVENT,
        "event_id": event_id,
        "reference": submission.reference,
        "page_id": submission.page_id,
        "commune_cog": getattr(page, "commune_cog", ""),
        "submitted_at": submission.submitted_at.isoformat(),
        "url": dossier_api_url(submission),
    }


def post(token, body: str, event_id: str) -> bool:
    """One attempt; True when the editor answered 2xx."""
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "wagtail-qf-webhook/1",
        EVENT_ID_HEADER: event_id,  # also in the signed body
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(token.webhook_secret, timestamp, body),
    }
    try:
        response = httpx.post(
            token.webhook_url, content=body.encode(), headers=headers, timeout=TIMEOUT, follow_redirects=False
        )
    except httpx.HTTPError as exc:
        logger.warning("webhook failed token=%s error=%s", token.token_prefix, type(exc).__name__)
        return False
    if 200 <= response.status_code < 300:
        return True
    logger.warning("webhook failed token=%s status=%s", token.token_prefix, response.status_code)
    return False


@task()
def deliver_webhook(token_id: int, submission_id: int, attempt: int = 1):
    from ..models import EditorToken, Submission

    token = EditorToken.objects.active().filter(pk=token_id).exclude(webhook_url="").first()
    submission = Submission.objects.select_related("page").filter(pk=submission_id).first()
    if token is None or submission is None:
        return False
    delivery = delivery_id(token, submission)
    body = json.dumps(payload(submission, delivery), separators=(",", ":"), ensure_ascii=False)
    if post(token, body, delivery):
        logger.info("webhook delivered token=%s attempt=%s", token.token_prefix, attempt)
        return True
    if attempt >= MAX_ATTEMPTS or not deliver_webhook.get_backend().supports_defer:
        logger.error("webhook abandoned token=%s attempts=%s", token.token_prefix, attempt)
        return False
    delay = datetime.timedelta(seconds=BACKOFF_SECONDS * 2 ** (attempt - 1))
    deliver_webhook.using(run_after=timezone.now() + delay).enqueue(token_id, submission_id, attempt + 1)
    return False
