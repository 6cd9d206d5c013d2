"""The editors' webhooks follow the conversation with the family: a change of status
(``dossier.status_changed``), a message queued to the family (``dossier.message_sent``), and any
event the domain announces by name (``history.announce``). Signed, without personal data, retried
with the same id."""

import json

import httpx
import pytest
import respx
from django.test import override_settings
from standardwebhooks.webhooks import Webhook

from wagtail_qf.api.tasks import deliver_webhook
from wagtail_qf.dossiers import history, messages
from wagtail_qf.models import Submission

pytestmark = pytest.mark.django_db

HOOK = "https://editeur.test/qf/webhook"
ASKED = "Merci d'envoyer l'attestation de la CAF de mars."
DEFERRING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def dossier(qf_page, make_submission):
    return make_submission(qf_page, email="paul.dupont@example.org", status="received")


@pytest.fixture
def hook(qf_page, make_token, django_capture_on_commit_callbacks):
    """Run ``action`` once committed, and return the webhooks the editor received (verified)."""
    token, _ = make_token(qf_page, webhook_url=HOOK)

    def received(action, *args, **kwargs):
        with respx.mock(assert_all_called=False) as mock, django_capture_on_commit_callbacks(execute=True):
            route = mock.post(HOOK).mock(return_value=httpx.Response(204))
            action(*args, **kwargs)
        return [
            Webhook(token.webhook_secret).verify(c.request.content, c.request.headers) for c in route.calls
        ]

    return received


def test_a_change_of_status_is_announced_without_personal_data(hook, dossier, admin_user):
    payloads = hook(history.change_status, dossier, "in_progress", admin_user, "Pièce reçue, M. DUPONT")
    (payload,) = [p for p in payloads if p["event"] == "dossier.status_changed"]
    assert payload == {
        "event": "dossier.status_changed",
        "event_id": payload["event_id"],
        "reference": dossier.reference,
        "page_id": dossier.page_id,
        "commune_cog": "35051",
        "submitted_at": dossier.submitted_at.isoformat(),
        "url": f"http://localhost/qf/api/v1/dossiers/{dossier.reference}/",
        "status": "in_progress",
        "previous_status": "received",
    }
    assert "DUPONT" not in json.dumps(payload)


def test_each_dossier_of_a_bulk_change_is_announced(hook, qf_page, make_submission, admin_user):
    dossiers = [make_submission(qf_page) for _ in range(3)]
    payloads = hook(history.change_status_many, Submission.objects.filter(page=qf_page), "done", admin_user)
    assert sorted(p["reference"] for p in payloads) == sorted(d.reference for d in dossiers)
    assert {(p["event"], p["status"], p["previous_status"]) for p in payloads} == {
        ("dossier.status_changed", "done", "new")
    }
    assert len({p["event_id"] for p in payloads}) == 3


def test_a_message_queued_to_the_family_is_announced_without_its_text(hook, dossier, admin_user):
    (payload,) = hook(messages.send_message, dossier, admin_user, ASKED)
    assert payload["event"] == "dossier.message_sent" and payload["reference"] == dossier.reference
    assert payload["status"] == "received"
    assert "attestation" not in json.dumps(payload) and "paul.dupont" not in json.dumps(payload)


def test_no_message_event_when_nothing_was_sent(hook, qf_page, make_submission, admin_user):
    nowhere = make_submission(qf_page)  # no address: nothing queued
    assert hook(messages.send_message, nowhere, admin_user, ASKED) == []


def test_a_status_change_with_a_message_is_two_events(hook, dossier, admin_user):
    payloads = hook(history.change_status, dossier, "awaiting", admin_user, ASKED)
    assert sorted(p["event"] for p in payloads) == ["dossier.message_sent", "dossier.status_changed"]


def test_any_event_announced_by_the_domain_reaches_the_editors_by_name(hook, dossier):
    (payload,) = hook(history.announce, "dossier.complement_received", dossier)
    assert payload["event"] == "dossier.complement_received" and payload["status"] == "received"


def test_only_the_tokens_covering_the_page_hear_of_it(
    two_communes, make_token, make_submission, admin_user, django_capture_on_commit_callbacks
):
    _, page_a, _, page_b = two_communes
    make_token(page_a, webhook_url="https://a.test/hook")
    make_token(page_b, webhook_url="https://b.test/hook")
    with respx.mock(assert_all_called=False) as mock:
        a = mock.post("https://a.test/hook").mock(return_value=httpx.Response(204))
        b = mock.post("https://b.test/hook").mock(return_value=httpx.Response(204))
        with django_capture_on_commit_callbacks(execute=True):
            history.change_status(make_submission(page_a), "done", admin_user)
    assert (a.call_count, b.call_count) == (1, 0)


def test_a_retry_carries_the_same_event_and_id(
    qf_page, make_token, dossier, admin_user, django_capture_on_commit_callbacks
):
    token, _ = make_token(qf_page, webhook_url=HOOK)
    with respx.mock() as mock, override_settings(TASKS=DEFERRING):
        route = mock.post(HOOK).mock(side_effect=[httpx.Response(503), httpx.Response(204)])
        with django_capture_on_commit_callbacks(execute=True):
            history.change_status(dossier, "done", admin_user)
        (first,) = deliver_webhook.get_backend().results
        deliver_webhook.call(*first.args, **first.kwargs)
        (_, retry) = deliver_webhook.get_backend().results
        deliver_webhook.call(*retry.args, **retry.kwargs)
    sent = [Webhook(token.webhook_secret).verify(c.request.content, c.request.headers) for c in route.calls]
    assert sent[0] == sent[1] and sent[0]["event"] == "dossier.status_changed"
    assert route.calls[0].request.headers["webhook-id"] == route.calls[1].request.headers["webhook-id"]


def test_every_event_s_body_is_the_one_the_openapi_document_describes(
    client, hook, dossier, admin_user, qf_page, make_submission
):
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    from wagtail_qf.signals import submission_created

    document = client.get("/qf/api/v1/openapi.json").json()
    assert set(document["webhooks"]) == {
        "dossier.created",
        "dossier.status_changed",
        "dossier.message_sent",
        "dossier.complement_received",
    }
    # Closed to undocumented fields: a body cannot carry a field the document does not list.
    document["components"]["schemas"]["WebhookPayload"]["additionalProperties"] = False
    registry = Registry().with_resource(
        "urn:doc", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    check = Draft202012Validator({"$ref": "urn:doc#/components/schemas/WebhookPayload"}, registry=registry)
    new = make_submission(qf_page)
    payloads = [
        *hook(submission_created.send, Submission, submission=new, page=qf_page),
        *hook(history.change_status, dossier, "awaiting", admin_user, ASKED),
        *hook(history.announce, "dossier.complement_received", dossier, documents=2),
    ]
    assert sorted(p["event"] for p in payloads) == sorted(document["webhooks"])
    for payload in payloads:
        check.validate(payload)
