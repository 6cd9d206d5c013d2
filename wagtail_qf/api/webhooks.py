"""Webhooks to the editors: one signed POST per event of a dossier (``EVENTS``: a new dossier, a
change of its status, a message queued to the family, a complement…), for every active token with a
webhook URL whose communes include the dossier's page. ``dispatch`` is the one way to send them;
the domain reaches it through signals (``receivers``): ``dossiers.history.announce`` names any
event of its own.

Signed per Standard Webhooks (``signing``): editors verify with a ready-made library
(see README, « API for software editors »). The body is described in the OpenAPI document
(``openapi_webhooks``).
"""

import datetime
import logging
import uuid

from django.core.cache import cache
from ninja import Field, Schema

from ..dossiers.messages import MESSAGE_SENT
from ..models.submissions import SubmissionStatus
from .signing import ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from .tasks import EVENT, STATUS_CHANGED, deliver_webhook

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


def dispatch(event: str, submission, **details) -> None:
    """Enqueue a delivery of ``event`` about ``submission`` to each token covering its page, each
    with its own id; ``details``: the event's own fields (JSON, no personal data), ``status`` the
    dossier's now unless given. Never raises: a webhook never breaks what the agent or the family
    is doing."""
    from ..models import EditorToken

    if not any_webhook():
        return
    tokens = (
        EditorToken.objects.for_page(submission.page_id).exclude(webhook_url="").values_list("pk", flat=True)
    )
    details = {"status": submission.status, **details}
    for token_id in tokens:
        try:
            deliver_webhook.enqueue(
                token_id, submission.pk, event=event, event_id=str(uuid.uuid4()), details=details
            )
        except Exception:  # noqa: BLE001 -- logged; the other tokens still get theirs
            logger.exception("webhook could not be enqueued event=%s page=%s", event, submission.page_id)


def enqueue_webhooks(sender, submission, page, **kwargs) -> None:
    """Receiver of ``submission_created``: ``dossier.created``."""
    dispatch(EVENT, submission)


def status_changed(sender, submission, old, new, **kwargs) -> None:
    """Receiver of ``submission_status_changed``: ``dossier.status_changed``."""
    dispatch(STATUS_CHANGED, submission, status=new, previous_status=old)


def dossier_event(sender, submission, event, details=None, **kwargs) -> None:
    """Receiver of ``dossier_event`` (``dossiers.history.announce``): the event, by its name."""
    dispatch(event, submission, **(details or {}))


# The events, as the editors read them (the OpenAPI document; the README lists them too).
# ``dossier.complement_received`` is announced by the complements (``dossiers.documents``).
EVENTS = {
    EVENT: "Un nouveau dossier a été transmis.",
    STATUS_CHANGED: (
        "Le statut du dossier a changé : un agent, une action groupée, HubEE, ou votre logiciel en "
        "lisant un nouveau dossier (« Reçu »)."
    ),
    MESSAGE_SENT: (
        "Un message à la famille (d'un agent, ou de votre logiciel par HubEE) part par courriel. "
        "Son texte n'est pas dans le webhook. Les simples avis de changement de statut n'en font pas."
    ),
    "dossier.complement_received": "La famille a répondu à une demande de compléments.",
}


class WebhookPayload(Schema):
    """Le corps d'un webhook, sans donnée personnelle : le dossier se lit avec le jeton, à son adresse url."""

    event: str = Field(description="Le type d'événement : " + ", ".join(EVENTS) + ".")
    event_id: str = Field(
        description="Identifiant de la livraison, égal à l'en-tête webhook-id, le même à chaque nouvel essai."
    )
    reference: str = Field(description="Référence du dossier.")
    page_id: int = Field(description="Identifiant de la page qui a reçu le dossier.")
    commune_cog: str = Field(description="Code officiel géographique (INSEE) de la commune de la page.")
    submitted_at: datetime.datetime = Field(description="Date de transmission du dossier.")
    url: str = Field(description="Adresse du dossier dans cette API.")
    status: SubmissionStatus | None = Field(
        None, description="Statut du dossier lors de l'événement ; pour dossier.status_changed, le nouveau."
    )
    previous_status: SubmissionStatus | None = Field(
        None, description="Pour dossier.status_changed seulement : le statut d'avant."
    )
    documents: int | None = Field(
        None, description="Pour dossier.complement_received seulement : le nombre de documents joints."
    )


def openapi_webhooks(schema: dict) -> None:
    """Describe the webhooks in the OpenAPI document ``schema`` (OpenAPI 3.1 ``webhooks``): one
    entry per event, the same signed body."""
    body = WebhookPayload.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in body.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components["WebhookPayload"] = body
    headers = [
        {"in": "header", "name": name, "required": True, "schema": {"type": "string"}, "description": text}
        for name, text in (
            (ID_HEADER, "Identifiant de la livraison (Standard Webhooks), signé."),
            (TIMESTAMP_HEADER, "Heure d'envoi, en secondes Unix, signée."),
            (
                SIGNATURE_HEADER,
                "v1,<HMAC-SHA256 en base64 de « <id>.<heure>.<corps> »>, avec le secret du jeton.",
            ),
        )
    ]
    schema["webhooks"] = {
        event: {
            "post": {
                "operationId": "webhook_" + event.replace(".", "_"),
                "summary": event,
                "description": meaning,
                "parameters": headers,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/WebhookPayload"}}
                    },
                },
                "responses": {
                    "2XX": {"description": "Reçu. Toute autre réponse est suivie de nouveaux essais."}
                },
            }
        }
        for event, meaning in EVENTS.items()
    }
