import json
import logging

import httpx
import pytest

from tests.fakes.hubee import CLIENT_SECRET, JSON_TYPE, PDF_TYPE, PROCESS_CODE
from wagtail_qf.hubee import (
    Applicant,
    Attachment,
    FolderDraft,
    HubEEError,
    HubEERejected,
    HubEEUnavailable,
    to_qf_status,
)

PDF = b"%PDF-1.4 justificatif"
JSON = b'{"reference": "QF-2025-000042"}'


@pytest.fixture
def client(hubee):
    with hubee.client() as c:
        yield c


def draft(**overrides):
    values = dict(
        external_id="QF-2025-000042",
        applicant=Applicant("Marie-Noëlle", "ZÉPHYRIN", "marie.zephyrin@example.org"),
        recipient_siret="21350051800013",
        recipient_cog="35051",
        attachments=[
            Attachment("attestation-qf.pdf", "application/pdf", PDF, PDF_TYPE),
            Attachment("dossier.json", "application/json", JSON, JSON_TYPE),
        ],
    )
    return FolderDraft(**{**values, **overrides})


def test_deposit_creates_uploads_and_completes(hubee, client):
    folder_id = client.deposit(draft()).folder_id

    body = json.loads(hubee.created_bodies[0])
    assert body == {
        "processCode": PROCESS_CODE,
        "externalId": "QF-2025-000042",
        "applicant": {
            "firstName": "Marie-Noëlle",
            "lastName": "ZÉPHYRIN",
            "email": "marie.zephyrin@example.org",
        },
        "cases": [
            {
                "externalId": "QF-2025-000042-01",
                "recipient": {"type": "SI", "companyRegister": "21350051800013", "branchCode": "35051"},
            }
        ],
        "attachments": [
            {
                "fileName": "attestation-qf.pdf",
                "type": PDF_TYPE,
                "size": len(PDF),
                "mimeType": "application/pdf",
                "recipients": ["QF-2025-000042-01"],
            },
            {
                "fileName": "dossier.json",
                "type": JSON_TYPE,
                "size": len(JSON),
                "mimeType": "application/json",
                "recipients": ["QF-2025-000042-01"],
            },
        ],
    }
    folder = hubee.folders[folder_id]
    assert folder["globalStatus"] == "HUBEE_NOTIFIED"  # completed, then notified to the commune
    assert sorted(hubee.contents.values()) == sorted([PDF, JSON])
    assert all(a["status"] == "RECEIVED" for a in folder["attachments"])
    assert hubee.deleted == []


def test_applicant_email_is_optional(hubee, client):
    client.deposit(draft(applicant=Applicant("Jean", "MARTIN")))
    assert json.loads(hubee.created_bodies[0])["applicant"] == {"firstName": "Jean", "lastName": "MARTIN"}


def test_token_is_cached_then_refreshed_before_expiry(hubee, client):
    now = [1000.0]
    client._clock = lambda: now[0]
    client.deposit(draft())
    client.deposit(draft(external_id="QF-2025-000043"))
    assert hubee.token_requests == 1

    now[0] += 3600 - 31  # still valid, outside the 30 s safety margin
    client.deposit(draft(external_id="QF-2025-000044"))
    assert hubee.token_requests == 1

    now[0] += 2  # inside the margin: refreshed before HubEE would refuse it
    client.deposit(draft(external_id="QF-2025-000045"))
    assert hubee.token_requests == 2


def test_revoked_token_is_fetched_again_once(hubee, client):
    client.deposit(draft())
    hubee.revoke_tokens()
    client.deposit(draft(external_id="QF-2025-000043"))
    assert hubee.token_requests == 2


def test_persistent_401_is_rejected(hubee, client):
    client.deposit(draft())
    hubee.revoke_tokens()
    hubee.fail("create", with_=401, times=2)
    with pytest.raises(HubEERejected) as caught:
        client.deposit(draft(external_id="QF-2025-000043"))
    assert caught.value.code == "unauthorized" and not caught.value.retryable


def test_bad_credentials_are_rejected(hubee):
    with hubee.client(client_secret="wrong") as bad, pytest.raises(HubEERejected):
        bad.deposit(draft())
    assert hubee.folders == {}


@pytest.mark.parametrize(
    ("step", "failure"),
    [
        ("upload", 500),
        ("upload", 400),
        ("complete", 503),
        ("upload", httpx.ReadTimeout),
    ],
)
def test_failure_after_creation_deletes_the_folder(hubee, client, step, failure):
    hubee.fail(step, with_=failure)
    with pytest.raises(HubEEError) as caught:
        client.deposit(draft())
    assert len(hubee.deleted) == 1
    assert hubee.folders == {} and hubee.contents == {}
    assert caught.value.retryable is (failure != 400)
    assert caught.value.orphan_folder_id is None


def test_failed_rollback_reports_the_orphan(hubee, client):
    hubee.fail("upload", with_=500)
    hubee.fail("delete", with_=500)
    with pytest.raises(HubEEUnavailable) as caught:
        client.deposit(draft())
    assert caught.value.orphan_folder_id in hubee.folders
    assert hubee.deleted == []


@pytest.mark.parametrize("failure", [500, 503, httpx.ConnectError, httpx.ConnectTimeout])
def test_unavailable_is_retryable(hubee, client, failure):
    hubee.fail("create", with_=failure)
    with pytest.raises(HubEEUnavailable) as caught:
        client.deposit(draft())
    assert caught.value.retryable
    assert hubee.folders == {} and hubee.deleted == []


def test_token_endpoint_down_is_retryable(hubee, client):
    hubee.fail("token", with_=502)
    with pytest.raises(HubEEUnavailable):
        client.deposit(draft())


@pytest.mark.parametrize("status", [400, 403, 404, 422])
def test_4xx_is_rejected(hubee, client, status):
    hubee.fail("create", with_=status)
    with pytest.raises(HubEERejected) as caught:
        client.deposit(draft())
    assert caught.value.status == status and not caught.value.retryable


def test_fake_rejects_missing_required_fields(hubee, client):
    response = client.http.post(
        "/folders",
        json={"processCode": PROCESS_CODE, "externalId": "X"},
        headers={"Authorization": f"Bearer {client._access_token()}"},
    )
    assert response.status_code == 400
    assert "applicant" in response.json()["errors"][0]["message"]


def test_case_statuses_are_read_and_mapped(hubee, client):
    folder_id = client.deposit(draft()).folder_id
    (case_id,) = [c["id"] for c in hubee.folders[folder_id]["cases"]]
    assert client.case_statuses(folder_id) == {case_id: "HUBEE_NOTIFIED"}

    for hubee_status, qf_status in [
        ("SENT", None),  # not yet taken up: never puts a dossier back to « Nouveau »
        ("SI_RECEIVED", "received"),
        ("IN_PROGRESS", "in_progress"),
        ("ADD_AWAITING", "awaiting"),
        ("REFUSED", "refused"),
        ("DONE", "done"),
        ("CLOSED", "closed"),
        ("SI_INTG_ERROR", None),
    ]:
        hubee.set_case_status(folder_id, hubee_status)
        statuses = client.case_statuses(folder_id)
        assert statuses == {case_id: hubee_status}
        assert to_qf_status(statuses[case_id]) == qf_status


def test_unknown_status_changes_nothing():
    assert to_qf_status("SOMETHING_NEW") is None and to_qf_status(None) is None


def test_status_of_unknown_folder_is_rejected(hubee, client):
    with pytest.raises(HubEERejected) as caught:
        client.case_statuses("00000000-0000-0000-0000-000000000000")
    assert caught.value.code == "not_found"


def test_logs_carry_no_secret_nor_personal_data(hubee, client, caplog):
    caplog.set_level(logging.DEBUG)
    client.deposit(draft())
    hubee.fail("upload", with_=500)
    with pytest.raises(HubEEUnavailable):
        client.deposit(draft(external_id="QF-2025-000043"))
    hubee.revoke_tokens()
    hubee.fail("create", with_=401, times=2)
    with pytest.raises(HubEERejected):
        client.deposit(draft(external_id="QF-2025-000044"))

    ours = [r for r in caplog.records if r.name.startswith("wagtail_qf")]
    assert {r.getMessage() for r in ours} >= {"hubee.deposit.ok", "hubee.call.failed", "hubee.rollback.ok"}
    text = caplog.text + " ".join(str(vars(r)) for r in ours)
    for secret in [CLIENT_SECRET, "tok-", "Marie", "ZÉPHYRIN", "zephyrin", "QF-2025", "21350051800013"]:
        assert secret not in text


def test_draft_validation():
    with pytest.raises(ValueError):
        draft(recipient_siret="123")
    with pytest.raises(ValueError):
        draft(external_id="X" * 31)
    with pytest.raises(ValueError):
        draft(attachments=[])
