"""Webhooks: signed, without personal data, only for the tokens covering the page, retried."""

import datetime
import hashlib
import hmac
import json
import time

import httpx
import pytest
import respx

from wagtail_qf.api.webhooks import verify_signature
from wagtail_qf.models import EditorToken, Submission
from wagtail_qf.signals import submission_created

from ..journey.conftest import CHILDREN, family_result

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
    timestamp = request.headers["X-QF-Timestamp"]
    assert before <= int(timestamp) <= time.time()
    expected = hmac.new(token.webhook_secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    assert request.headers["X-QF-Signature"] == "sha256=" + expected.hexdigest()
    assert request.headers["Content-Type"] == "application/json"
    payload = json.loads(body)
    assert payload == {
        "event": "dossier.created",
        "event_id": request.headers["X-QF-Event-Id"],
        "reference": submission.reference,
        "page_id": qf_page.pk,
        "commune_cog": "35051",
        "submitted_at": submission.submitted_at.isoformat(),
        "url": f"http://localhost/qf/api/v1/dossiers/{submission.reference}/",
    }
    assert "DUPONT" not in body and "1234" not in body
    # The editor's check.
    assert verify_signature(
        token.webhook_secret, timestamp, request.content, request.headers["X-QF-Signature"]
    )


def test_verify_signature_rejects_tampering_and_old_requests():
    secret = "s3cret"
    body = '{"event":"dossier.created","reference":"QF-1"}'
    now = int(time.time())
    header = "sha256=" + hmac.new(secret.encode(), f"{now}.{body}".encode(), hashlib.sha256).hexdigest()
    assert verify_signature(secret, str(now), body, header)
    assert verify_signature(secret, now, body.encode(), header)
    assert not verify_signature(secret, str(now), body.replace("QF-1", "QF-2"), header)
    assert not verify_signature("autre", str(now), body, header)
    assert not verify_signature(secret, str(now + 1), body, header)  # timestamp is signed
    assert not verify_signature(secret, str(now), body, header.removeprefix("sha256="))
    assert not verify_signature(secret, "hier", body, header)
    old = now - 301
    old_header = "sha256=" + hmac.new(secret.encode(), f"{old}.{body}".encode(), hashlib.sha256).hexdigest()
    assert not verify_signature(secret, str(old), body, old_header)
    assert verify_signature(secret, str(old), body, old_header, tolerance=600)


def test_verify_signature_answers_false_to_any_malformed_request():
    secret, now = "s3cret", int(time.time())
    body = '{"event":"dossier.created","reference":"QF-1","commune":"Cesson-Sévigné"}'.encode()
    header = "sha256=" + hmac.new(secret.encode(), f"{now}.".encode() + body, hashlib.sha256).hexdigest()
    assert verify_signature(secret, str(now), body, header)
    for bad_header in ["sha256=é" + header[8:], header + "é", "sha256=\u2028", None, b"\xff", 12]:
        assert verify_signature(secret, str(now), body, bad_header) is False
    for bad_body in [b"\xff\xfe" + body, body[:-3]]:  # not UTF-8 (a cut "é"), or tampered
        assert verify_signature(secret, str(now), bad_body, header) is False
    for bad_timestamp in [f"{now}é", "١٢٣", f" {now}", f"+{now}", b"\xff", None, "9" * 40]:
        assert verify_signature(secret, bad_timestamp, body, header) is False
    # The raw bytes are what is signed, even when they are not UTF-8.
    raw = b'{"name":"\xe9"}'
    raw_header = "sha256=" + hmac.new(secret.encode(), f"{now}.".encode() + raw, hashlib.sha256).hexdigest()
    assert verify_signature(secret, now, raw, raw_header.encode()) is True


def test_retries_carry_the_same_signed_event_id_so_that_replays_can_be_dropped(
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
    ids = [request.headers["X-QF-Event-Id"] for request in requests]
    assert ids[0] == ids[1] != ids[2] and len(ids[0]) == 36
    for request, event_id in zip(requests, ids, strict=True):
        assert json.loads(request.content)["event_id"] == event_id  # in the signed body
        headers = (request.headers["X-QF-Timestamp"], request.content, request.headers["X-QF-Signature"])
        assert verify_signature(token.webhook_secret, *headers, event_id=event_id)
        assert not verify_signature(
            token.webhook_secret, *headers, event_id=ids[2] if event_id != ids[2] else ids[0]
        )


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
    windows = []  # clock readings around each attempt: its retry is due 1, 2 then 4 minutes later
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
        delay = datetime.timedelta(minutes=minutes)
        assert before + delay <= retry.task.run_after <= after + delay
    assert "webhook abandoned" in caplog.text and "DUPONT" not in caplog.text and HOOK not in caplog.text


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
