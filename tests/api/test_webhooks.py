"""Webhooks: signed, without personal data, only for the tokens covering the page, retried."""

import base64
import datetime
import json
import time
import uuid

import httpx
import pytest
import respx
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from wagtail_qf.api.signing import signed_headers
from wagtail_qf.api.tasks import MAX_DELAY_SECONDS
from wagtail_qf.models import EditorToken, Submission
from wagtail_qf.models.editors import new_webhook_secret
from wagtail_qf.signals import submission_created

from ..factories import CHILDREN, family_result

pytestmark = pytest.mark.django_db

HOOK = "https://editeur.test/qf/webhook"


def announce(submission):
    submission_created.send(Submission, submission=submission, page=submission.page.specific)


def test_webhook_is_signed_and_carries_no_personal_data(qf_page, make_token, make_submission):
    token, _ = make_token(qf_page, webhook_url=HOOK)
    submission = make_submission(qf_page)
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post(HOOK).mock(return_value=httpx.Response(204))
        before = int(time.time())
        announce(submission)
    assert route.call_count == 1
    request = route.calls.last.request
    body = request.content.decode()
    assert before <= int(request.headers["webhook-timestamp"]) <= time.time()
    assert request.headers["Content-Type"] == "application/json"
    # The editor's check, with the Standard Webhooks library: it answers the payload.
    payload = Webhook(token.webhook_secret).verify(request.content, request.headers)
    assert payload == json.loads(body)
    assert payload == {
        "event": "dossier.created",
        "event_id": request.headers["webhook-id"],
        "reference": submission.reference,
        "page_id": qf_page.pk,
        "commune_cog": "35051",
        "submitted_at": submission.submitted_at.isoformat(),
        "url": f"http://localhost/qf/api/v1/dossiers/{submission.reference}/",
        "status": "new",
    }
    # Every key is listed above; the family's name is nowhere (its QF value, 1234, is not looked
    # for in the text: a timestamp's microseconds may read 1234).
    assert "DUPONT" not in body


def delivered(qf_page, make_token, make_submission):
    """The token's secret and the request of one delivered webhook."""
    token, _ = make_token(qf_page, webhook_url=HOOK)
    with respx.mock() as mock:
        route = mock.post(HOOK).mock(return_value=httpx.Response(204))
        announce(make_submission(qf_page))
    return token.webhook_secret, route.calls.last.request


def test_a_tampered_webhook_fails_the_editors_check(qf_page, make_token, make_submission):
    secret, request = delivered(qf_page, make_token, make_submission)
    headers = dict(request.headers)
    Webhook(secret).verify(request.content, headers)
    body = request.content.replace(b"35051", b"35052")
    tampered = [
        (body, headers),
        (request.content, {**headers, "webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1)}),
        (request.content, {**headers, "webhook-id": str(uuid.uuid4())}),  # the id is signed: no replay as new
    ]
    for content, sent in tampered:
        with pytest.raises(WebhookVerificationError):
            Webhook(secret).verify(content, sent)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_webhook_secret()).verify(request.content, headers)


def test_an_old_webhook_fails_the_editors_check(qf_page, make_token, make_submission):
    """A request captured and replayed later is refused (the library accepts 5 minutes)."""
    secret, request = delivered(qf_page, make_token, make_submission)
    body = request.content.decode()
    old = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=6)
    headers = signed_headers(secret, request.headers["webhook-id"], body, now=old)
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(body, headers)


def test_webhook_secrets_are_standard_webhooks_secrets(qf_page, make_token):
    token, _ = make_token(qf_page, webhook_url=HOOK)
    stored = EditorToken.objects.get(pk=token.pk).webhook_secret
    assert stored.startswith("whsec_") and len(base64.b64decode(stored.removeprefix("whsec_"))) == 32
    assert len(stored) <= EditorToken._meta.get_field("webhook_secret").max_length
    assert stored != make_token(qf_page)[0].webhook_secret


def test_retries_carry_the_same_signed_webhook_id_so_that_replays_can_be_dropped(
    qf_page, make_token, make_submission
):
    from django.test import override_settings

    from wagtail_qf.api.tasks import deliver_webhook

    token, _ = make_token(qf_page, webhook_url=HOOK)
    first, second = make_submission(qf_page), make_submission(qf_page)
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with respx.mock() as mock, override_settings(TASKS=dummy):
        route = mock.post(HOOK).mock(
            side_effect=[httpx.Response(503), httpx.Response(204), httpx.Response(204)]
        )
        deliver_webhook.call(token.pk, first.pk)
        deliver_webhook.call(token.pk, first.pk, 2)  # the retry
        deliver_webhook.call(token.pk, second.pk)
    requests = [call.request for call in route.calls]
    ids = [request.headers["webhook-id"] for request in requests]
    assert ids[0] == ids[1] != ids[2] and len(ids[0]) == 36
    for request, event_id in zip(requests, ids, strict=True):
        assert Webhook(token.webhook_secret).verify(request.content, request.headers)["event_id"] == event_id


def test_webhook_only_for_active_tokens_covering_the_page(two_communes, make_token, make_submission):
    _, page_a, _, page_b = two_communes
    make_token(page_a, webhook_url="https://a.test/hook")
    make_token(page_b, webhook_url="https://b.test/hook")
    make_token(page_a, webhook_url="https://off.test/hook", is_active=False)
    make_token(page_a)  # no webhook
    with respx.mock(assert_all_called=False) as mock:
        a = mock.post("https://a.test/hook").mock(return_value=httpx.Response(200))
        b = mock.post("https://b.test/hook").mock(return_value=httpx.Response(200))
        off = mock.post("https://off.test/hook").mock(return_value=httpx.Response(200))
        announce(make_submission(page_a))
    assert (a.call_count, b.call_count, off.call_count) == (1, 0, 0)


def test_failed_webhook_is_retried_later_a_bounded_number_of_times_and_logged(
    qf_page, make_token, make_submission, caplog
):
    from django.test import override_settings
    from django.utils import timezone

    from wagtail_qf.api.tasks import deliver_webhook

    token, _clear = make_token(qf_page, webhook_url=HOOK)
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    submission = make_submission(qf_page)
    windows = []  # clock readings around each attempt: its retry is due about 1, 2 then 4 minutes later
    with (
        respx.mock() as mock,
        override_settings(TASKS=dummy),
        caplog.at_level("WARNING", logger="wagtail_qf.api.webhooks"),
    ):
        route = mock.post(HOOK).mock(return_value=httpx.Response(503))
        for attempt in (1, 2, 3, 4):  # the first as enqueued, then as the worker would run them
            before = timezone.now()
            deliver_webhook.call(token.pk, submission.pk, attempt)
            windows.append((before, timezone.now()))
        queued = deliver_webhook.get_backend().results
    assert route.call_count == 4
    assert [r.args for r in queued] == [[token.pk, submission.pk, attempt] for attempt in (2, 3, 4)]
    for (before, after), minutes, retry in zip(windows, (1, 2, 4), queued, strict=False):
        delay = datetime.timedelta(minutes=minutes)  # less the backoff's jitter: up to half of it
        assert before + delay / 2 <= retry.task.run_after <= after + delay
    assert "webhook abandoned" in caplog.text and "DUPONT" not in caplog.text and HOOK not in caplog.text


@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [
        ("600", datetime.timedelta(minutes=10)),  # longer than the backoff: the editor's wait
        ("86400", datetime.timedelta(seconds=MAX_DELAY_SECONDS)),  # longer than the cap: the cap
    ],
)
def test_the_editors_retry_after_is_honoured_within_the_cap(
    qf_page, make_token, make_submission, retry_after, wait
):
    from django.test import override_settings
    from django.utils import timezone

    from wagtail_qf.api.tasks import deliver_webhook

    token, _clear = make_token(qf_page, webhook_url=HOOK)
    submission = make_submission(qf_page)
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with respx.mock() as mock, override_settings(TASKS=dummy):
        mock.post(HOOK).mock(return_value=httpx.Response(429, headers={"Retry-After": retry_after}))
        before = timezone.now()
        deliver_webhook.call(token.pk, submission.pk)
        after = timezone.now()
        (retry,) = deliver_webhook.get_backend().results
    assert before + wait <= retry.task.run_after <= after + wait


def test_without_a_deferring_backend_one_attempt_only(qf_page, make_token, make_submission):
    make_token(qf_page, webhook_url=HOOK)
    with respx.mock() as mock:
        route = mock.post(HOOK).mock(side_effect=httpx.ConnectError("refused"))
        announce(make_submission(qf_page))
    assert route.call_count == 1


def test_a_failing_webhook_never_breaks_the_transmission(
    client, qf_page, make_token, logged_in, django_capture_on_commit_callbacks
):
    make_token(qf_page, webhook_url=HOOK)
    form_token = logged_in(qf_page, family_result())
    data = {"form_token": form_token, "children": [CHILDREN[0].key], "confirm": "on"}
    with respx.mock() as mock, django_capture_on_commit_callbacks(execute=True):
        route = mock.post(HOOK).mock(side_effect=httpx.ReadTimeout("slow"))
        response = client.post(qf_page.url + "quotient/", data)
    assert response.status_code == 302
    assert route.call_count == 1
    assert Submission.objects.count() == 1


def test_webhook_url_must_be_https(qf_page, settings):
    from django.core.exceptions import ValidationError

    token = EditorToken(name="X", webhook_url="http://editeur.test/hook")
    token.set_new_token()
    with pytest.raises(ValidationError) as exc:
        token.full_clean()
    assert "webhook_url" in exc.value.message_dict
    settings.DEBUG = True
    token.full_clean()
