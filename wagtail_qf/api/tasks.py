"""Delivery of the editors' webhooks on django-tasks.

django-tasks has no automatic retry: a failed delivery is re-enqueued with
``run_after`` (``upstream.backoff_delay``: exponential, jittered, capped, at least
the editor's ``Retry-After``) when the backend can defer tasks (database backend).
A backend that cannot (immediate, in demos) runs the task inside the citizen's
request: one attempt only, so that a dead endpoint never holds it. Each request is
signed per Standard Webhooks (``signing``).

Each delivery is about one event of one dossier; its id (``webhook-id``, and
``event_id`` in the body) is chosen when it is enqueued and kept on every retry.
"""

import datetime
import json
import logging
import uuid

import httpx
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail.admin.utils import get_admin_base_url

from .. import http
from ..upstream import backoff_delay, retry_after
from .signing import signed_headers

logger = logging.getLogger("wagtail_qf.api.webhooks")

MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 60  # about 1, 2, 4 minutes with a deferring backend
MAX_DELAY_SECONDS = 3600  # the longest wait before a retry, whatever the editor asks
# Events sent from here; the domain names its own (``dossiers.history.announce``); all of them
# are listed in the README, « API for software editors ».
EVENT = "dossier.created"
STATUS_CHANGED = "dossier.status_changed"


def dossier_api_url(submission) -> str:
    """The API address of the dossier, on its page's site."""
    path = reverse("wagtail_qf:api_dossier", args=[submission.reference])
    try:
        site = submission.page.get_site()
    except Exception:  # noqa: BLE001  (no site: the admin's base URL)
        site = None
    base = site.root_url if site is not None else get_admin_base_url()
    return (base or "").rstrip("/") + path


def delivery_id(token, submission) -> str:
    """The id of a ``dossier.created`` delivery enqueued without one (a task of an earlier version)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:wagtail-qf:{EVENT}:{token.pk}:{submission.reference}"))


def payload(submission, event_id: str, event: str = EVENT, details: dict | None = None) -> dict:
    """What the webhook says: no personal data (the editor fetches the dossier with its token);
    ``details``: the event's own fields, as they were when it happened (``status``…)."""
    page = submission.page.specific
    return {
        "event": event,
        "event_id": event_id,
        "reference": submission.reference,
        "page_id": submission.page_id,
        "commune_cog": getattr(page, "commune_cog", ""),
        "submitted_at": submission.submitted_at.isoformat(),
        "url": dossier_api_url(submission),
        **(details or {}),
    }


def post(token, body: str, event_id: str) -> tuple[bool, float]:
    """One attempt: whether the editor answered 2xx, and the seconds it asked to wait (``Retry-After``).

    Only the status line and headers are read, never the body: a huge, endless or undecodable answer
    neither holds the worker nor turns a delivery into a failure."""
    headers = {"Content-Type": "application/json", **signed_headers(token.webhook_secret, event_id, body)}
    try:
        with http.client("WEBHOOKS") as web:
            with web.stream("POST", token.webhook_url, content=body.encode(), headers=headers) as response:
                status, asked_wait = response.status_code, retry_after(response.headers)
    except httpx.HTTPError as exc:
        logger.warning("webhook failed token=%s error=%s", token.token_prefix, type(exc).__name__)
        return False, 0.0
    if 200 <= status < 300:
        return True, 0.0
    logger.warning("webhook failed token=%s status=%s", token.token_prefix, status)
    return False, asked_wait


@task()
def deliver_webhook(
    token_id: int,
    submission_id: int,
    attempt: int = 1,
    event: str = EVENT,
    event_id: str = "",
    details: dict | None = None,
) -> bool:
    """Deliver one webhook; a failed attempt is enqueued again (``MAX_ATTEMPTS`` in all), same
    event, same id."""
    from ..models import EditorToken, Submission

    submission = Submission.objects.select_related("page").filter(pk=submission_id).first()
    if submission is None:
        return False
    # Asked again at each attempt: the token may have left the dossier's commune since it was queued.
    token = (
        EditorToken.objects.for_page(submission.page_id).filter(pk=token_id).exclude(webhook_url="").first()
    )
    if token is None:
        logger.info(
            "webhook dropped token_id=%s event=%s: token off or not reading the page", token_id, event
        )
        return False
    event_id = event_id or delivery_id(token, submission)
    body = json.dumps(
        payload(submission, event_id, event, details), separators=(",", ":"), ensure_ascii=False
    )
    delivered, asked_wait = post(token, body, event_id)
    if delivered:
        logger.info("webhook delivered token=%s event=%s attempt=%s", token.token_prefix, event, attempt)
        return True
    if attempt >= MAX_ATTEMPTS or not deliver_webhook.get_backend().supports_defer:
        logger.error("webhook abandoned token=%s event=%s attempts=%s", token.token_prefix, event, attempt)
        return False
    delay = backoff_delay(attempt, base=BACKOFF_SECONDS, cap=MAX_DELAY_SECONDS, retry_after=asked_wait)
    run_after = timezone.now() + datetime.timedelta(seconds=delay)
    deliver_webhook.using(run_after=run_after).enqueue(
        token_id, submission_id, attempt + 1, event=event, event_id=event_id, details=details
    )
    return False
