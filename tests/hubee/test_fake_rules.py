"""The fake refuses what HubEE refuses: each rule, a wrong request that fails (and the right one
that passes, so that the refusal is the rule's)."""

import base64
import hashlib

import pytest

from tests.fakes.hubee import BRANCH_CODE, JSON_TYPE, PDF_TYPE, PROCESS_CODE, SIRET

PDF = b"%PDF-1.4 dossier"
JSON = b'{"reference": "QF-1"}'


@pytest.fixture
def call(hubee):
    """A raw request to the fake, with a valid token."""
    with hubee.client() as client:

        def send(method, path, **kwargs):
            headers = {"Authorization": f"Bearer {client._access_token()}", **kwargs.pop("headers", {})}
            return client.http.request(method, path, headers=headers, **kwargs)

        yield send


def folder_body(**changes):
    body = {
        "processCode": PROCESS_CODE,
        "externalId": "QF-1",
        "applicant": {"firstName": "Paul Louis", "lastName": "DUPONT", "email": "paul@example.org"},
        "cases": [
            {
                "externalId": "QF-1-01",
                "recipient": {"type": "SI", "companyRegister": SIRET, "branchCode": BRANCH_CODE},
            }
        ],
        "attachments": [
            {
                "fileName": "dossier.json",
                "type": JSON_TYPE,
                "size": len(JSON),
                "mimeType": "application/json",
                "recipients": ["QF-1-01"],
            },
            {
                "fileName": "dossier.pdf",
                "type": PDF_TYPE,
                "size": len(PDF),
                "mimeType": "application/pdf",
                "recipients": ["QF-1-01"],
            },
        ],
    }
    for change in changes.values():
        change(body)
    return body


def message(response):
    return response.json()["errors"][0]["message"]


def test_a_valid_folder_is_created(call):
    assert call("POST", "/folders", json=folder_body()).status_code == 201


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda b: b["attachments"][0].update(type="JUSTIFICATIF_QF"), "Attachment type JUSTIFICATIF_QF"),
        (lambda b: b["attachments"][1].update(mimeType="image/png"), "Attachment format image/png"),
        (lambda b: b["cases"][0]["recipient"].update(companyRegister="2135005180001"), "companyRegister"),
        (lambda b: b["cases"][0]["recipient"].update(companyRegister="2135005180001A"), "companyRegister"),
        (lambda b: b["cases"][0]["recipient"].update(branchCode="35051-MAIRIE"), "branchCode"),
        (lambda b: b["applicant"].update(email="paul.example.org"), "email"),
        (lambda b: b["attachments"][0].update(size=str(len(JSON))), "Instance type (string)"),
        (lambda b: b.update(externalId="X" * 31), "externalId"),
        (lambda b: b["applicant"].pop("lastName"), "missing required properties"),
    ],
    ids=[
        "undeclared-type",
        "undeclared-mime",
        "siret-13-digits",
        "siret-not-digits",
        "branch-code-too-long",
        "email",
        "size-as-string",
        "external-id-too-long",
        "missing-field",
    ],
)
def test_a_malformed_or_undeclared_folder_is_refused(call, hubee, change, says):
    response = call("POST", "/folders", json=folder_body(change=change))
    assert response.status_code == 400 and says in message(response)
    assert not hubee.folders


def test_a_recipient_not_subscribed_is_refused_with_hubee_s_words(call, hubee):
    hubee.organizations.add(("SI", "21350238800019", "35238"))
    body = folder_body(
        change=lambda b: b["cases"][0]["recipient"].update(
            companyRegister="21350238800019", branchCode="35238"
        )
    )
    response = call("POST", "/folders", json=body)
    assert response.status_code == 400
    assert message(response) == f"Case recipient SI-21350238800019-35238 does not suscribed to {PROCESS_CODE}"


def test_an_unknown_recipient_is_refused_with_hubee_s_words(call):
    body = folder_body(change=lambda b: b["cases"][0]["recipient"].update(branchCode="35238"))
    response = call("POST", "/folders", json=body)
    assert (
        response.status_code == 400 and message(response) == f"Case recipient SI-{SIRET}-35238 does not exist"
    )


def test_another_process_is_not_the_sender_s(call):
    assert (
        call(
            "POST", "/folders", json=folder_body(change=lambda b: b.update(processCode="CERTDC"))
        ).status_code
        == 403
    )


def created(call):
    folder = call("POST", "/folders", json=folder_body()).json()
    return folder, {a["fileName"]: a["id"] for a in folder["attachments"]}


def upload(call, folder, att_id, content):
    digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
    headers = {"Content-Type": "application/octet-stream", "digest": digest}
    return call("PUT", f"/folders/{folder['id']}/attachments/{att_id}", content=content, headers=headers)


def test_pdf_bytes_declared_as_json_are_rejected(call, hubee):
    folder, ids = created(call)
    pdf_as_json = (b"%PDF-1.4 " + b"x" * len(JSON))[: len(JSON)]  # the declared size, PDF bytes
    assert upload(call, folder, ids["dossier.json"], pdf_as_json).status_code == 400
    assert hubee.folders[folder["id"]]["attachments"][0]["status"] == "REJECTED"
    assert upload(call, folder, ids["dossier.json"], JSON).status_code == 204


@pytest.mark.parametrize("status", ["DONE", "CLOSED", "HUBEE_NOTIFIED", "SENT", ""])
def test_a_folder_status_hubee_does_not_accept_is_refused(call, hubee, status):
    folder, ids = created(call)
    upload(call, folder, ids["dossier.json"], JSON)
    upload(call, folder, ids["dossier.pdf"], PDF)
    assert call("PATCH", f"/folders/{folder['id']}", json={"globalStatus": status}).status_code == 400
    assert (
        call("PATCH", f"/folders/{folder['id']}", json={"globalStatus": "HUBEE_COMPLETED"}).status_code == 204
    )


def test_completing_before_every_file_is_received_is_refused(call):
    folder, ids = created(call)
    upload(call, folder, ids["dossier.json"], JSON)
    assert (
        call("PATCH", f"/folders/{folder['id']}", json={"globalStatus": "HUBEE_COMPLETED"}).status_code == 400
    )


def completed(call):
    folder, ids = created(call)
    upload(call, folder, ids["dossier.json"], JSON)
    upload(call, folder, ids["dossier.pdf"], PDF)
    call("PATCH", f"/folders/{folder['id']}", json={"globalStatus": "HUBEE_COMPLETED"})
    return folder


def test_a_completed_folder_cannot_be_deleted(call, hubee):
    folder = completed(call)
    assert call("DELETE", f"/folders/{folder['id']}").status_code == 400
    assert folder["id"] in hubee.folders


def test_a_case_is_closed_only_once_processed_and_the_folder_after_its_cases(call, hubee):
    folder = completed(call)
    case_id = folder["cases"][0]["id"]
    assert call("PATCH", f"/cases/{case_id}", json={"status": "CLOSED"}).status_code == 400  # HUBEE_NOTIFIED
    hubee.si_event(folder["id"], "DONE")
    assert call("PATCH", f"/folders/{folder['id']}", json={"globalStatus": "CLOSED"}).status_code == 400
    assert call("PATCH", f"/cases/{case_id}", json={"status": "CLOSED"}).status_code == 204
    assert call("PATCH", f"/folders/{folder['id']}", json={"globalStatus": "CLOSED"}).status_code == 204


@pytest.mark.parametrize(
    "event",
    [
        {"actionType": "STATUS_CHANGE", "notification": True},  # not an action type of HubEE
        {"actionType": "STATUS_UPDATE"},  # "notification" is required
        {"actionType": "STATUS_UPDATE", "notification": True, "attachments": [{"fileName": "a.pdf"}]},
        {"actionType": "STATUS_UPDATE", "notification": True, "message": "x" * 1001},
    ],
)
def test_a_malformed_event_is_refused(call, event):
    case_id = completed(call)["cases"][0]["id"]
    assert call("POST", f"/cases/{case_id}/events", json=event).status_code == 400
    valid = {"actionType": "STATUS_UPDATE", "notification": True, "message": "ok"}
    assert call("POST", f"/cases/{case_id}/events", json=valid).status_code == 201


def test_notifications_are_listed_by_process_acknowledged_once_and_deleted_once(call, hubee):
    folder = completed(call)
    ours = hubee.si_event(folder["id"], "IN_PROGRESS")
    hubee.notify(ours["caseId"], None, process_code="CERTDC")
    listed = call("GET", "/notifications", params={"maxResult": 10, "processCode": PROCESS_CODE}).json()
    assert [n["id"] for n in listed] == [ours["id"]]
    assert call("GET", "/notifications", params={"maxResult": "dix"}).status_code == 400

    event_path = f"/cases/{ours['caseId']}/events/{ours['eventId']}"
    assert call("GET", event_path).json()["status"] == "SENT"
    assert call("PATCH", event_path, json={"status": "SENT"}).status_code == 400
    assert call("PATCH", event_path, json={"status": "RECEIVED"}).status_code == 204
    assert call("PATCH", event_path, json={"status": "RECEIVED"}).status_code == 400  # already taken
    assert call("GET", event_path).json()["status"] == "RECEIVED"

    assert call("DELETE", "/notifications/not-a-uuid").status_code == 400
    assert call("DELETE", f"/notifications/{ours['id']}").status_code == 204
    assert call("DELETE", f"/notifications/{ours['id']}").status_code == 404


def test_a_folder_with_events_cannot_be_deleted(call, hubee):
    folder, _ids = created(call)
    hubee.events["e"] = {"caseId": folder["cases"][0]["id"]}
    assert call("DELETE", f"/folders/{folder['id']}").status_code == 400
