"""A HubEE téléDossiers API faked at the httpx transport with respx.

Folders live in memory. Requests are checked against the spec's required
fields (400 with the spec's error shape when one is missing), each step can be
made to fail (status code or httpx exception), deletions are recorded and
tests set the case statuses served by ``GET /folders/{id}``.
"""

import base64
import hashlib
import json
import re
import uuid
from urllib.parse import parse_qs

import httpx
import respx

BASE_URL = "https://hubee.test/teledossiers/v1"
TOKEN_URL = "https://auth.hubee.test/oauth2/token"
CLIENT_ID = "test-hubee-client"
CLIENT_SECRET = "test-hubee-secret"
PROCESS_CODE = "QF_TRANSMISSION"

UUID = r"[0-9a-f-]{36}"
FOLDER_FIELDS = ("processCode", "externalId", "applicant", "cases", "attachments")
CASE_FIELDS = ("externalId", "recipient")
RECIPIENT_FIELDS = ("type", "companyRegister", "branchCode")
ATTACHMENT_FIELDS = ("fileName", "type", "size", "mimeType", "recipients")
APPLICANT_FIELDS = ("firstName", "lastName")


def error(status, message):
    return httpx.Response(status, json={"errors": [{"code": status, "message": message}]})


def missing(data, fields):
    if not isinstance(data, dict):
        return list(fields)
    return [f for f in fields if data.get(f) in (None, "", [])]


class HubEEFake:
    def __init__(self, base_url=BASE_URL, token_url=TOKEN_URL, token_lifetime=3600):
        self.base_url = base_url.rstrip("/")
        self.token_url = token_url
        self.token_lifetime = token_lifetime
        self.folders = {}  # id -> folder JSON as HubEE would return it
        self.contents = {}  # attachment id -> bytes
        self.deleted = []  # folder ids, in deletion order
        self.created_bodies = []  # raw POST /folders bodies
        self.token_requests = 0
        self.valid_tokens = set()
        self.failures = {}  # step -> list of status codes or exceptions
        self.router = respx.mock(assert_all_called=False)
        self._routes()

    # -- test controls -----------------------------------------------------------
    def fail(self, step, with_=500, times=1):
        """Make ``step`` (token, create, upload, complete, status, delete) fail: with a status
        code, an httpx exception class or a whole ``httpx.Response``."""
        self.failures.setdefault(step, []).extend([with_] * times)

    def revoke_tokens(self):
        self.valid_tokens.clear()

    def set_case_status(self, folder_id, status, case_id=None):
        for case in self.folders[folder_id]["cases"]:
            if case_id in (None, case["id"]):
                case["status"] = status

    def client(self, **kwargs):
        from wagtail_qf.hubee import HubEEClient

        options = dict(
            base_url=self.base_url,
            token_url=self.token_url,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            process_code=PROCESS_CODE,
        )
        return HubEEClient(**{**options, **kwargs})

    # -- routes ----------------------------------------------------------------
    def _routes(self):
        base = re.escape(self.base_url)
        self.router.post(self.token_url).mock(side_effect=self._token)
        self.router.route(method="POST", url__regex=rf"^{base}/folders$").mock(
            side_effect=self._guard("create", self._create)
        )
        self.router.route(
            method="PUT", url__regex=rf"^{base}/folders/(?P<folder_id>{UUID})/attachments/(?P<att_id>{UUID})$"
        ).mock(side_effect=self._guard("upload", self._upload))
        self.router.route(method="PATCH", url__regex=rf"^{base}/folders/(?P<folder_id>{UUID})$").mock(
            side_effect=self._guard("complete", self._complete)
        )
        self.router.route(method="GET", url__regex=rf"^{base}/folders/(?P<folder_id>{UUID})$").mock(
            side_effect=self._guard("status", self._get)
        )
        self.router.route(method="DELETE", url__regex=rf"^{base}/folders/(?P<folder_id>{UUID})$").mock(
            side_effect=self._guard("delete", self._delete)
        )

    def _injected(self, step):
        queue = self.failures.get(step)
        if not queue:
            return None
        failure = queue.pop(0)
        if isinstance(failure, httpx.Response):
            return failure
        if isinstance(failure, int):
            return error(failure, "Injected failure")
        raise failure("injected")

    def _token(self, request):
        self.token_requests += 1
        if (injected := self._injected("token")) is not None:
            return injected
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return httpx.Response(401, json={"error": "invalid_client"})
        form = parse_qs(request.content.decode())
        if form.get("grant_type") != ["client_credentials"] or form.get("scope") != ["OSL"]:
            return httpx.Response(400, json={"error": "invalid_request"})
        token = f"tok-{uuid.uuid4()}"
        self.valid_tokens.add(token)
        return httpx.Response(
            200,
            json={
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.token_lifetime,
                "scope": "OSL",
            },
        )

    def _guard(self, step, handler):
        def side_effect(request, **params):
            auth = request.headers.get("authorization", "")
            if auth.removeprefix("Bearer ") not in self.valid_tokens:
                return error(401, "Unauthorized")
            if (injected := self._injected(step)) is not None:
                return injected
            return handler(request, **params)

        return side_effect

    def _create(self, request):
        self.created_bodies.append(request.content)
        try:
            body = json.loads(request.content)
        except ValueError:
            return error(400, "Bad Request : body is not JSON")
        problems = missing(body, FOLDER_FIELDS)
        if not problems:
            problems += missing(body["applicant"], APPLICANT_FIELDS)
            for case in body["cases"]:
                problems += missing(case, CASE_FIELDS) or missing(case["recipient"], RECIPIENT_FIELDS)
            for att in body["attachments"]:
                problems += missing(att, ATTACHMENT_FIELDS)
        if problems:
            return error(
                400,
                f"Bad Request : Validation failed. Object has missing required properties ({sorted(set(problems))})",
            )
        if body["processCode"] != PROCESS_CODE or len(body["externalId"]) > 30:
            return error(400, "Bad Request : Validation failed.")
        case_ids = {c["externalId"] for c in body["cases"]}
        if any(not set(a["recipients"]) <= case_ids for a in body["attachments"]):
            return error(400, "Bad Request : unknown attachment recipient")
        folder = {
            **body,
            "id": str(uuid.uuid4()),
            "globalStatus": "HUBEE_RECEIVED",
            "createDateTime": "2025-01-01T00:00:00Z",
            "cases": [{**c, "id": str(uuid.uuid4()), "status": "HUBEE_RECEIVED"} for c in body["cases"]],
            "attachments": [{**a, "id": str(uuid.uuid4()), "status": "PENDING"} for a in body["attachments"]],
        }
        self.folders[folder["id"]] = folder
        return httpx.Response(201, json=folder)

    def _upload(self, request, folder_id, att_id):
        folder = self.folders.get(folder_id)
        if folder is None:
            return error(404, "Folder is not found")
        att = next((a for a in folder["attachments"] if a["id"] == att_id), None)
        if att is None:
            return error(404, "Binary meta-data is not found")
        if request.headers.get("content-type") != "application/octet-stream":
            return error(400, "Bad request")
        digest = request.headers.get("digest")
        actual = base64.b64encode(hashlib.sha256(request.content).digest()).decode()
        if len(request.content) != att["size"] or (digest and digest != actual):
            att["status"] = "CORRUPTED"
            return error(400, "Bad request")
        att["status"] = "RECEIVED"
        self.contents[att_id] = request.content
        return httpx.Response(204)

    def _complete(self, request, folder_id):
        folder = self.folders.get(folder_id)
        if folder is None:
            return error(404, "Folder is not found")
        try:
            status = json.loads(request.content).get("globalStatus")
        except (ValueError, AttributeError):
            status = None
        if not status:
            return error(400, "Bad request")
        if status == "HUBEE_COMPLETED" and any(a["status"] != "RECEIVED" for a in folder["attachments"]):
            return error(400, "Bad request")
        folder["globalStatus"] = status
        if status == "HUBEE_COMPLETED":
            self.set_case_status(folder_id, "HUBEE_NOTIFIED")
        return httpx.Response(204)

    def _get(self, request, folder_id):
        folder = self.folders.get(folder_id)
        return httpx.Response(200, json=folder) if folder else error(404, "Folder is not found")

    def _delete(self, request, folder_id):
        folder = self.folders.get(folder_id)
        if folder is None:
            return error(404, "Folder is not found")
        if folder["globalStatus"] != "HUBEE_RECEIVED":
            return error(400, "Bad request")
        del self.folders[folder_id]
        for att in folder["attachments"]:
            self.contents.pop(att["id"], None)
        self.deleted.append(folder_id)
        return httpx.Response(204)
