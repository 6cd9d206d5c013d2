"""A HubEE téléDossiers API faked at the httpx transport with respx, as strict as HubEE.

Folders, cases, events and notifications live in memory. The fake refuses what HubEE
refuses (folder API v1.2.7 and HubEE's functional rules): missing required fields, a
size that is not an integer, a malformed SIRET, branch code or e-mail, a process that
is not the sender's, a recipient unknown or not subscribed to the process (with HubEE's
own wording), attachment types and MIME types not declared for the process, a file whose
bytes are not of its declared type, a folder status HubEE does not accept, the deletion
of a completed folder. Each step can be made to fail (status code, httpx exception, or
the answer lost after HubEE applied the request). Tests play the commune's software with
``si_event``: the case changes, an event is sent and a notification waits for the sender.
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
# What the process declares at HubEE (its registration), and the commune subscribed to it.
JSON_TYPE, PDF_TYPE = "DOSSIER_QF_JSON", "DOSSIER_QF_PDF"
ATTACHMENT_TYPES = {JSON_TYPE, PDF_TYPE}
MIME_TYPES = {"application/json", "application/pdf"}
SIRET, BRANCH_CODE = "21350051800013", "35051"
# The settings a site sets for this fake (``WAGTAIL_QF["HUBEE"]``).
SETTINGS = {
    "BASE_URL": BASE_URL,
    "TOKEN_URL": TOKEN_URL,
    "CLIENT_ID": CLIENT_ID,
    "CLIENT_SECRET": CLIENT_SECRET,
    "PROCESS_CODE": PROCESS_CODE,
    "JSON_TYPE": JSON_TYPE,
    "PDF_TYPE": PDF_TYPE,
}

UUID = r"[0-9a-f-]{36}"
FOLDER_FIELDS = ("processCode", "externalId", "applicant", "cases", "attachments")
CASE_FIELDS = ("externalId", "recipient")
RECIPIENT_FIELDS = ("type", "companyRegister", "branchCode")
ATTACHMENT_FIELDS = ("fileName", "type", "size", "mimeType", "recipients")
APPLICANT_FIELDS = ("firstName", "lastName")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
CASE_STATUSES = {"SENT", "SI_RECEIVED", "IN_PROGRESS", "ADD_AWAITING", "REFUSED", "DONE", "CLOSED"}
# The sender may close a case from these statuses only (SFD, annex "Statuts du TD").
CLOSABLE = {"SI_RECEIVED", "IN_PROGRESS", "ADD_AWAITING", "DONE", "REFUSED"}
ACTION_TYPES = {"STATUS_UPDATE", "ATTACH_DEPOSIT", "ATTACH_DL", "ATTACH_DL_ALL", "COM_ADD", "SENDING_MESSAGE"}
# The first bytes of each declared type (HubEE rejects a file that does not match its metadata).
MAGIC = {"application/pdf": b"%PDF", "application/xml": b"<"}
NOW = "2025-01-01T00:00:00Z"


def error(status, message):
    return httpx.Response(status, json={"errors": [{"code": status, "message": message}]})


def invalid(message):
    return error(400, f"Bad Request : Validation failed.\n{message}")


def missing(data, fields):
    if not isinstance(data, dict):
        return list(fields)
    return [f for f in fields if data.get(f) in (None, "", [])]


def organization(recipient):
    return ("SI", recipient["companyRegister"], recipient["branchCode"])


def of_declared_type(content, mime_type):
    if mime_type == "application/json":
        try:
            json.loads(content)
        except ValueError:
            return False
        return True
    return content.startswith(MAGIC.get(mime_type, b""))


class HubEEFake:
    def __init__(
        self,
        base_url=BASE_URL,
        token_url=TOKEN_URL,
        token_lifetime=3600,
        attachment_types=ATTACHMENT_TYPES,
        mime_types=MIME_TYPES,
    ):
        self.base_url = base_url.rstrip("/")
        self.token_url = token_url
        self.token_lifetime = token_lifetime
        self.attachment_types = set(attachment_types)
        self.mime_types = set(mime_types)
        self.organizations = {("SI", SIRET, BRANCH_CODE)}
        self.subscriptions = {("SI", SIRET, BRANCH_CODE)}
        self.folders = {}  # id -> folder JSON as HubEE would return it
        self.contents = {}  # attachment id -> bytes
        self.deleted = []  # folder ids, in deletion order
        self.created_bodies = []  # raw POST /folders bodies
        self.events = {}  # event id -> event JSON (with its "caseId")
        self.notifications = {}  # id -> notification waiting for the sender
        self.deleted_notifications = []
        self.token_requests = 0
        self.valid_tokens = set()
        self.failures = {}  # step -> list of status codes or exceptions
        self.lost = {}  # step -> failures returned after the request was applied
        self.router = respx.mock(assert_all_called=False)
        self._routes()

    # -- test controls -----------------------------------------------------------
    def fail(self, step, with_=500, times=1):
        """Make ``step`` fail before HubEE applies it: with a status code, an httpx exception
        class or a whole ``httpx.Response``. Steps: token, create, upload, complete (any
        ``PATCH /folders/{id}``), status (``GET /folders/{id}``), delete, notifications,
        delete_notification, event, acknowledge, close_case, close_event."""
        self.failures.setdefault(step, []).extend([with_] * times)

    def lose_answer(self, step, with_=httpx.ReadTimeout):
        """HubEE applies ``step``, then its answer is lost (a timeout, or a status code)."""
        self.lost.setdefault(step, []).append(with_)

    def revoke_tokens(self):
        self.valid_tokens.clear()

    def subscribe(self, siret, branch_code):
        self.organizations.add(("SI", siret, branch_code))
        self.subscriptions.add(("SI", siret, branch_code))

    def set_case_status(self, folder_id, status, case_id=None):
        for case in self.folders[folder_id]["cases"]:
            if case_id in (None, case["id"]):
                case["status"] = status

    def si_event(self, folder_id, new_status=None, message="", action="STATUS_UPDATE"):
        """The commune's software acts on the folder's case: an event, sent, and its notification."""
        folder = self.folders[folder_id]
        case = folder["cases"][0]
        event = {
            "id": str(uuid.uuid4()),
            "caseId": case["id"],
            "transmitter": dict(case["recipient"]),
            "message": message,
            "comment": "note interne du service",
            "actionType": action,
            "author": "Agent du service",
            "notification": True,
            "createDateTime": NOW,
            "updateDateTime": None,
            "status": "SENT",
            "caseCurrentStatus": case["status"],
            "caseNewStatus": new_status,
            "attachments": [],
        }
        if new_status:
            case["status"] = folder["globalStatus"] = new_status
        self.events[event["id"]] = event
        return self.notify(case["id"], event["id"])

    def notify(self, case_id, event_id, process_code=PROCESS_CODE):
        notification = {
            "id": str(uuid.uuid4()),
            "recipient": {"type": "OSL", "companyRegister": "13002526500013", "branchCode": "75107"},
            "transmitter": {"type": "SI", "companyRegister": SIRET, "branchCode": BRANCH_CODE},
            "processCode": process_code,
            "caseId": case_id,
            "eventId": event_id,
            "dateTime": NOW,
        }
        self.notifications[notification["id"]] = notification
        return notification

    def case(self, case_id):
        return next((c, f) for f in self.folders.values() for c in f["cases"] if c["id"] == case_id)

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
        folder = rf"^{base}/folders/(?P<folder_id>{UUID})$"
        event = rf"^{base}/cases/(?P<case_id>{UUID})/events/(?P<event_id>{UUID})$"
        routes = [
            ("create", "POST", rf"^{base}/folders$", self._create),
            (
                "upload",
                "PUT",
                rf"^{base}/folders/(?P<folder_id>{UUID})/attachments/(?P<att_id>{UUID})$",
                self._upload,
            ),
            ("complete", "PATCH", folder, self._patch_folder),
            ("status", "GET", folder, self._get),
            ("delete", "DELETE", folder, self._delete),
            ("notifications", "GET", rf"^{base}/notifications(\?.*)?$", self._list_notifications),
            (
                "delete_notification",
                "DELETE",
                rf"^{base}/notifications/(?P<notification_id>[^/?]+)$",
                self._drop,
            ),
            ("event", "GET", event, self._get_event),
            ("acknowledge", "PATCH", event, self._acknowledge),
            ("close_case", "PATCH", rf"^{base}/cases/(?P<case_id>{UUID})$", self._patch_case),
            ("close_event", "POST", rf"^{base}/cases/(?P<case_id>{UUID})/events$", self._create_event),
        ]
        self.router.post(self.token_url).mock(side_effect=self._token)
        for step, method, pattern, handler in routes:
            self.router.route(method=method, url__regex=pattern).mock(side_effect=self._guard(step, handler))

    def _injected(self, queue):
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
        if (injected := self._injected(self.failures.get("token"))) is not None:
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
            if (injected := self._injected(self.failures.get(step))) is not None:
                return injected
            response = handler(request, **params)
            if response.is_success and (lost := self._injected(self.lost.get(step))) is not None:
                return lost
            return response

        return side_effect

    # -- folders -----------------------------------------------------------------
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
            return invalid(f"Object has missing required properties ({sorted(set(problems))})")
        if refused := self._malformed(body):
            return invalid(refused)
        if body["processCode"] != PROCESS_CODE:
            return error(403, "Unauthorized user")  # RC001: the process is not this sender's
        for case in body["cases"]:
            name = "SI-{1}-{2}".format(*organization(case["recipient"]))
            if organization(case["recipient"]) not in self.organizations:
                return error(400, f"Case recipient {name} does not exist")
            if organization(case["recipient"]) not in self.subscriptions:
                return error(400, f"Case recipient {name} does not suscribed to {PROCESS_CODE}")
        # HubEE's reference documents this check (SFD RC004) but not its wording: these messages are ours.
        for att in body["attachments"]:
            if att["type"] not in self.attachment_types:
                return invalid(f"Attachment type {att['type']} is not enabled for process {PROCESS_CODE}")
            if att["mimeType"] not in self.mime_types:
                return invalid(
                    f"Attachment format {att['mimeType']} is not enabled for process {PROCESS_CODE}"
                )
        case_ids = {c["externalId"] for c in body["cases"]}
        if any(not set(a["recipients"]) <= case_ids for a in body["attachments"]):
            return invalid("unknown attachment recipient")
        folder = {
            **body,
            "id": str(uuid.uuid4()),
            "globalStatus": "HUBEE_RECEIVED",
            "createDateTime": NOW,
            "cases": [{**c, "id": str(uuid.uuid4()), "status": "HUBEE_RECEIVED"} for c in body["cases"]],
            "attachments": [{**a, "id": str(uuid.uuid4()), "status": "PENDING"} for a in body["attachments"]],
        }
        self.folders[folder["id"]] = folder
        return httpx.Response(201, json=folder)

    @staticmethod
    def _malformed(body):
        """The schema's types, patterns and lengths (the error says which, as HubEE's does)."""
        if not isinstance(body["externalId"], str) or len(body["externalId"]) > 30:
            return "[@body.externalId] string of at most 30 characters expected"
        email = body["applicant"].get("email")
        if email is not None and not (isinstance(email, str) and EMAIL.fullmatch(email)):
            return "[@body.applicant.email] is not a valid email"
        for case in body["cases"]:
            recipient = case["recipient"]
            if not re.fullmatch(r"[0-9]{14}", str(recipient["companyRegister"])):
                return "[@body.cases.recipient.companyRegister] ECMA 262 regex [0-9]{14} does not match"
            if not isinstance(recipient["branchCode"], str) or len(recipient["branchCode"]) > 10:
                return "[@body.cases.recipient.branchCode] string of at most 10 characters expected"
        for att in body["attachments"]:
            if not isinstance(att["size"], int) or isinstance(att["size"], bool):
                kind = type(att["size"]).__name__.replace("str", "string")
                return f'[@body.attachments.size] Instance type ({kind}) does not match any allowed primitive type (allowed: ["integer"])'
        return ""

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
        if not of_declared_type(request.content, att["mimeType"]):
            att["status"] = "REJECTED"  # received, but not what its metadata say
            return error(400, "Bad request")
        att["status"] = "RECEIVED"
        self.contents[att_id] = request.content
        return httpx.Response(204)

    def _patch_folder(self, request, folder_id):
        folder = self.folders.get(folder_id)
        if folder is None:
            return error(404, "Folder is not found")
        try:
            status = json.loads(request.content).get("globalStatus")
        except (ValueError, AttributeError):
            status = None
        if status == "HUBEE_COMPLETED" and folder["globalStatus"] == "HUBEE_RECEIVED":
            if any(a["status"] != "RECEIVED" for a in folder["attachments"]):
                return error(400, "Bad request")
            folder["globalStatus"] = "HUBEE_NOTIFIED"  # notified to the recipients at once
            self.set_case_status(folder_id, "HUBEE_NOTIFIED")
            return httpx.Response(204)
        if status == "CLOSED" and all(c["status"] == "CLOSED" for c in folder["cases"]):
            folder["globalStatus"] = "CLOSED"  # the cases first, then the folder
            return httpx.Response(204)
        return error(400, "Bad request")

    def _get(self, request, folder_id):
        folder = self.folders.get(folder_id)
        return httpx.Response(200, json=folder) if folder else error(404, "Folder is not found")

    def _delete(self, request, folder_id):
        folder = self.folders.get(folder_id)
        if folder is None:
            return error(404, "Folder is not found")
        case_ids = {c["id"] for c in folder["cases"]}
        touched = any(e["caseId"] in case_ids for e in self.events.values()) or any(
            n["caseId"] in case_ids for n in self.notifications.values()
        )
        if folder["globalStatus"] != "HUBEE_RECEIVED" or touched:
            return error(400, "Bad request")
        del self.folders[folder_id]
        for att in folder["attachments"]:
            self.contents.pop(att["id"], None)
        self.deleted.append(folder_id)
        return httpx.Response(204)

    # -- cases, events, notifications --------------------------------------------
    def _patch_case(self, request, case_id):
        try:
            case, _folder = self.case(case_id)
        except StopIteration:
            return error(404, "Case is not found")
        status = json.loads(request.content or b"{}").get("status")
        if status not in CASE_STATUSES or (status == "CLOSED" and case["status"] not in CLOSABLE):
            return error(400, "Bad request")
        case["status"] = status
        return httpx.Response(204)

    def _create_event(self, request, case_id):
        try:
            case, _folder = self.case(case_id)
        except StopIteration:
            return error(404, "Case is not found")
        body = json.loads(request.content or b"{}")
        if (
            body.get("actionType") not in ACTION_TYPES
            or not isinstance(body.get("notification"), bool)
            or (body.get("attachments") and body["actionType"] != "ATTACH_DEPOSIT")
            or len(body.get("message") or "") > 1000
        ):
            return error(400, "Bad request")
        event = {
            **body,
            "id": str(uuid.uuid4()),
            "caseId": case_id,
            "transmitter": {"type": "OSL"},
            "status": "SENT",
            "createDateTime": NOW,
        }
        self.events[event["id"]] = event
        return httpx.Response(201, json=event)

    def _list_notifications(self, request):
        params = parse_qs(request.url.query.decode())
        size = params.get("maxResult", ["25"])[0]
        if not size.isdigit():
            return invalid(
                "[@query.maxResult] Instance type (string) does not match any allowed primitive type"
            )
        codes = params.get("processCode")
        waiting = [n for n in self.notifications.values() if not codes or n["processCode"] in codes]
        return httpx.Response(200, json=waiting[: int(size)])

    def _drop(self, request, notification_id):
        if not re.fullmatch(UUID, notification_id):
            return invalid(f'Input string "{notification_id}" is not a valid UUID')
        if self.notifications.pop(notification_id, None) is None:
            return error(404, "Notification is not found")
        self.deleted_notifications.append(notification_id)
        return httpx.Response(204)

    def _event(self, case_id, event_id):
        event = self.events.get(event_id)
        return event if event and event["caseId"] == case_id else None

    def _get_event(self, request, case_id, event_id):
        event = self._event(case_id, event_id)
        if event is None:
            return error(404, "event is not found")
        return httpx.Response(200, json={k: v for k, v in event.items() if k != "caseId"})

    def _acknowledge(self, request, case_id, event_id):
        event = self._event(case_id, event_id)
        if event is None:
            return error(404, "event is not found")
        if json.loads(request.content or b"{}").get("status") != "RECEIVED" or event["status"] != "SENT":
            return error(400, "Bad request")
        event["status"] = "RECEIVED"
        return httpx.Response(204)
