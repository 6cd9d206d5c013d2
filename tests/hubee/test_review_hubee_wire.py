"""Review (a1, « hubee »): a deposit as the commune's software receives it, read on the wire against
HubEE's folder API v1.2.7 (/work/shared/reference/hubee-folder-api.yaml): the calls in the order
the reference asks (token, create, each file, complete), the Folder's required fields with their
types and lengths, each file's size and checksum, and a failure halfway that leaves the commune
one folder only."""

import base64
import hashlib
import json
import re

import httpx
import pytest

from tests.fakes.hubee import BASE_URL, JSON_TYPE, PDF_TYPE, PROCESS_CODE, TOKEN_URL
from wagtail_qf.hubee import forwarding
from wagtail_qf.models import HubEEForwarding, HubEEState

pytestmark = pytest.mark.django_db


def calls(fake):
    """``(method, path)`` of each call HubEE received, the token's included."""
    out = []
    for call in fake.router.calls:
        url = str(call.request.url)
        path = "token" if url.startswith(TOKEN_URL) else url.removeprefix(BASE_URL)
        out.append((call.request.method, re.sub(r"[0-9a-f-]{36}", "{id}", path)))
    return out


def test_a_deposit_is_token_create_each_file_then_complete_with_what_the_reference_requires(hubee, transmit):
    submission = transmit()
    row = HubEEForwarding.objects.get(submission=submission)

    assert calls(hubee) == [
        ("POST", "token"),
        ("POST", "/folders"),
        ("PUT", "/folders/{id}/attachments/{id}"),
        ("PUT", "/folders/{id}/attachments/{id}"),
        ("PATCH", "/folders/{id}"),
    ]
    (created,) = [json.loads(body) for body in hubee.created_bodies]
    # Folder: the writable required fields (id, globalStatus, createDateTime are HubEE's).
    assert created["processCode"] == PROCESS_CODE and len(created["processCode"]) <= 30
    assert created["externalId"] == submission.reference and len(created["externalId"]) <= 30
    assert created["applicant"] == {"firstName": "Paul Louis", "lastName": "DUPONT"}
    (case,) = created["cases"]
    assert case["recipient"] == {"type": "SI", "companyRegister": "21350051800013", "branchCode": "35051"}
    assert len(case["externalId"]) <= 30  # the Case schema's length (the Folder's allows 100)
    assert {a["type"] for a in created["attachments"]} == {JSON_TYPE, PDF_TYPE}
    uploads = [c.request for c in hubee.router.calls if c.request.method == "PUT"]
    folder = hubee.folders[row.folder_id]
    for declared, request in zip(created["attachments"], uploads, strict=True):
        assert set(declared) == {"fileName", "type", "size", "mimeType", "recipients"}
        assert len(declared["fileName"]) <= 255 and declared["recipients"] == [case["externalId"]]
        assert type(declared["size"]) is int and declared["size"] == len(request.content)
        assert request.headers["content-type"] == "application/octet-stream"
        digest = base64.b64encode(hashlib.sha256(request.content).digest()).decode()
        assert request.headers["digest"] == digest
    assert {a["mimeType"] for a in created["attachments"]} == {"application/json", "application/pdf"}
    assert {a["status"] for a in folder["attachments"]} == {"RECEIVED"}
    # Completed: notified to the commune's software, which reads it from now on.
    assert folder["globalStatus"] == "HUBEE_NOTIFIED"
    # The optional headers of every call, within their 50 characters.
    for call in hubee.router.calls[1:]:
        assert call.request.headers["applicationName"] == "wagtail-qf"
        assert 0 < len(call.request.headers["softwareVersion"]) <= 50


@pytest.mark.parametrize(
    ("step", "failure"),
    [
        ("create", 500),
        ("create", httpx.Response(429, headers={"Retry-After": "120"}, json={"errors": []})),
        ("create", httpx.ReadTimeout),
        ("create", httpx.Response(201, text="<html>gateway</html>")),
        ("upload", 502),
        ("upload", httpx.ReadTimeout),
        ("complete", 503),
        ("complete", httpx.ConnectError),
    ],
    ids=lambda value: getattr(value, "__name__", None) or str(getattr(value, "status_code", value)),
)
def test_a_failure_halfway_is_retried_and_the_commune_gets_one_folder(hubee, transmit, step, failure):
    hubee.fail(step, with_=failure)
    submission = transmit()
    row = HubEEForwarding.objects.get(submission=submission)
    assert row.state == HubEEState.RETRY and row.next_attempt_at is not None
    # Nothing half-made reaches the commune: no folder it is notified of.
    assert not [f for f in hubee.folders.values() if f["globalStatus"] != "HUBEE_RECEIVED"]

    HubEEForwarding.objects.filter(pk=row.pk).update(next_attempt_at=row.updated_at)
    assert forwarding.sync()["deposited"] == 1
    notified = [f for f in hubee.folders.values() if f["globalStatus"] == "HUBEE_NOTIFIED"]
    assert [f["externalId"] for f in notified] == [submission.reference]
    row.refresh_from_db()
    assert row.state == HubEEState.DEPOSITED and row.folder_id == notified[0]["id"]


def test_a_creation_whose_answer_was_lost_leaves_the_commune_one_folder(hubee, transmit):
    """HubEE created the folder but its answer was lost: the id is unknown, and the reference has
    no way to find a folder by its externalId. The retry makes a second folder; the first, never
    completed, is never notified to the commune's software (HubEE keeps it uncompleted)."""
    hubee.lose_answer("create")
    submission = transmit()
    row = HubEEForwarding.objects.get(submission=submission)
    assert row.state == HubEEState.RETRY and row.folder_id == ""

    HubEEForwarding.objects.filter(pk=row.pk).update(next_attempt_at=row.updated_at)
    forwarding.sync()

    by_status = sorted(f["globalStatus"] for f in hubee.folders.values())
    assert by_status == ["HUBEE_NOTIFIED", "HUBEE_RECEIVED"]
