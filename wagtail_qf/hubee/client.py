"""HubEE téléDossiers client (sender side, OAuth2 client credentials, scope OSL).

A deposit is create → upload each attachment → complete. HubEE only deletes a
folder while it is HUBEE_RECEIVED, so any failure after creation deletes it
before raising: the commune never sees half a dossier. Once the commune's software
has worked on a case, its events come back as notifications: read the event,
acknowledge it (``RECEIVED``), delete the notification; a case done or refused is
closed, then its folder. Logs carry step, HTTP status and error code only: never a
token, a secret, a name, a file or HubEE's message text.
"""

import logging
import time
from dataclasses import dataclass

import httpx

from .. import __version__, http
from ..conf import qf_settings
from ..upstream import retry_after
from .types import FolderDraft

logger = logging.getLogger("wagtail_qf.hubee")

COMPLETED = "HUBEE_COMPLETED"
RECEIVED = "HUBEE_RECEIVED"  # created, not completed: the only state in which a folder can be deleted
CLOSED = "CLOSED"
# Refresh the token this long before HubEE says it expires (at most half its lifetime).
TOKEN_MARGIN = 30.0
# Why HubEE refused a deposit, when the refusal names a registration (process, subscription,
# attachment types): the commune or its operator has something to ask HubEE, a retry will not help.
NOT_SUBSCRIBED = "not_subscribed"  # "Case recipient SI-<siret>-<branch> does not suscribed to <process>"
UNKNOWN_RECIPIENT = "unknown_recipient"  # "Case recipient SI-<siret>-<branch> does not exist"
# An attachment type or format not declared for the process. HubEE's public reference (folder API
# v1.2.7, SFD rule RC004, interface contract, "cas d'erreurs" guide in dinum-HubEE/Documentations)
# documents the check but not its message: the words matched in ``registration_reason`` are a guess.
ATTACHMENT_REFUSED = "attachment_refused"
REGISTRATION_REASONS = (NOT_SUBSCRIBED, UNKNOWN_RECIPIENT, ATTACHMENT_REFUSED)


class HubEEError(Exception):
    """A failed HubEE call: ``code`` is ours (``http_503``, ``timeout``...), never HubEE's text."""

    retryable = False

    def __init__(
        self,
        code: str,
        status: int | None = None,
        *,
        orphan_folder_id: str | None = None,
        retry_after: float = 0.0,
        reason: str = "",
    ):
        super().__init__(code if status is None else f"{code} (HTTP {status})")
        self.code = code
        self.status = status
        # Set when the rollback DELETE failed too: the folder id to clean up later.
        self.orphan_folder_id = orphan_folder_id
        # True when the folder this deposit created was deleted again (rolled back).
        self.folder_deleted = False
        # Seconds HubEE asked to wait (``Retry-After``) before the next deposit.
        self.retry_after = retry_after
        # One of ``REGISTRATION_REASONS`` when HubEE refused for a registration reason.
        self.reason = reason


class HubEERejected(HubEEError):
    """HubEE refused the request (4xx): retrying the same request will not help."""


class HubEEUnavailable(HubEEError):
    """5xx, 429, timeout or connection error: the whole deposit can be retried later."""

    retryable = True


@dataclass(frozen=True)
class Deposited:
    folder_id: str
    case_id: str


def registration_reason(message: str) -> str:
    """The registration a 400's message names (HubEE's documented wording), or ""."""
    text = message.lower()
    if "recipient" in text and ("suscribed" in text or "subscribed" in text):
        return NOT_SUBSCRIBED
    if "recipient" in text and "does not exist" in text:
        return UNKNOWN_RECIPIENT
    if "attachment" in text and ("type" in text or "format" in text or "mime" in text):
        return ATTACHMENT_REFUSED
    return ""


class HubEEClient:
    """One sender's session with HubEE; a context manager that closes its connections."""

    def __init__(
        self,
        base_url,
        token_url,
        client_id,
        client_secret,
        process_code,
        timeout: httpx.Timeout | None = None,
        upload_timeout: httpx.Timeout | None = None,
        transport=None,
    ):
        """``timeout``: ``WAGTAIL_QF["HUBEE"]["TIMEOUT"]`` unless given; ``upload_timeout`` (the
        attachments' uploads, which HubEE's gateway allows 300 s): ``UPLOAD_TIMEOUT`` unless given."""
        self.token_url = token_url
        self.process_code = process_code
        self._credentials = (client_id, client_secret)
        self._token = None
        self._token_expires = 0.0
        self._clock = time.monotonic
        options = dict(
            base_url=base_url,
            transport=transport,
            headers={"applicationName": "wagtail-qf", "softwareVersion": __version__},
        )
        self.http = http.client("HUBEE", timeout=timeout, **options)
        if upload_timeout is None:
            conf = qf_settings.HUBEE
            upload_timeout = httpx.Timeout(float(conf["UPLOAD_TIMEOUT"]), connect=float(conf["TIMEOUT"]))
        self.uploads = http.client("HUBEE", timeout=upload_timeout, **options)

    def close(self) -> None:
        self.http.close()
        self.uploads.close()

    def __enter__(self) -> "HubEEClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- folders ---------------------------------------------------------------
    def deposit(self, folder: FolderDraft, on_created=None, on_progress=None) -> Deposited:
        """Create, fill and complete a folder.

        ``on_created(folder_id, case_id)`` is called as soon as HubEE has created the folder,
        before anything else can fail: the caller stores the ids, so that a retry finds the
        folder again (a "complete" HubEE applied but whose answer was lost) instead of making a
        second one. ``on_progress()`` is called after each file HubEE received: the deposit is
        alive."""
        created = self._call("create", "POST", "/folders", json=folder.as_json(self.process_code))
        try:
            answer = created.json()
            folder_id = answer["id"]
            case_id = next(c["id"] for c in answer["cases"] if c["externalId"] == folder.case_external_id)
            ids = {a["fileName"]: a["id"] for a in answer["attachments"]}
        except (ValueError, KeyError, TypeError, StopIteration):
            raise HubEEUnavailable("bad_answer", created.status_code) from None
        if on_created is not None:
            on_created(folder_id, case_id)
        try:
            for attachment in folder.attachments:
                if attachment.file_name not in ids:
                    raise HubEEUnavailable("bad_answer", created.status_code)
                self._call(
                    "upload",
                    "PUT",
                    f"/folders/{folder_id}/attachments/{ids[attachment.file_name]}",
                    client=self.uploads,
                    content=attachment.content,
                    headers={"Content-Type": "application/octet-stream", "digest": attachment.digest},
                )
                if on_progress is not None:
                    on_progress()
            self._call("complete", "PATCH", f"/folders/{folder_id}", json={"globalStatus": COMPLETED})
        except HubEEError as error:
            self._rollback(folder_id, error)
            raise
        logger.info("hubee.deposit.ok", extra={"hubee_step": "deposit"})
        return Deposited(folder_id, case_id)

    def folder(self, folder_id: str) -> dict | None:
        """The folder as HubEE has it (``GET /folders/{id}``), or None when HubEE has none."""
        try:
            response = self._call("folder", "GET", f"/folders/{folder_id}")
        except HubEERejected as error:
            if error.status == 404:
                return None
            raise
        try:
            answer = response.json()
            if not isinstance(answer.get("globalStatus"), str):
                raise TypeError
        except (ValueError, TypeError, AttributeError):
            raise HubEEUnavailable("bad_answer", response.status_code) from None
        return answer

    def case_statuses(self, folder_id: str) -> dict[str, str]:
        """``{case id: HubEE case status}`` read from ``GET /folders/{id}``."""
        response = self._call("status", "GET", f"/folders/{folder_id}")
        try:
            return _statuses(response.json())
        except (ValueError, KeyError, TypeError):
            raise HubEEUnavailable("bad_answer", response.status_code) from None

    def delete(self, folder_id: str) -> None:
        """Delete a folder (HubEE accepts it only while the folder is HUBEE_RECEIVED)."""
        self._call("delete", "DELETE", f"/folders/{folder_id}")

    def close_case(self, case_id: str, folder_id: str, current_status: str) -> None:
        """Close a processed case, tell the commune's software by an event, then close the folder
        (HubEE wants the cases' statuses changed before the folder's).

        Taken up where an earlier closing stopped: HubEE refuses to close a case twice, so a case it
        already closed is left as is (and its event, which may have gone, is not sent again)."""
        folder = self.folder(folder_id)
        if folder is None or folder["globalStatus"] == CLOSED:
            return
        try:
            closed = _statuses(folder).get(case_id) == CLOSED
        except (KeyError, TypeError):  # cases not read: close as if open (HubEE refuses a second close)
            closed = False
        if closed:
            self._call("close_folder", "PATCH", f"/folders/{folder_id}", json={"globalStatus": CLOSED})
            return
        self._call("close_case", "PATCH", f"/cases/{case_id}", json={"status": CLOSED})
        self._call(
            "close_event",
            "POST",
            f"/cases/{case_id}/events",
            json={
                "actionType": "STATUS_UPDATE",
                "message": "Dossier clos par le service en ligne.",
                "author": "wagtail-qf",
                "notification": True,
                "caseCurrentStatus": current_status,
                "caseNewStatus": CLOSED,
            },
        )
        self._call("close_folder", "PATCH", f"/folders/{folder_id}", json={"globalStatus": CLOSED})

    # -- notifications and events ---------------------------------------------
    def notifications(self, max_result: int) -> list[dict]:
        """A batch of this process's notifications (``GET /notifications``), in no given order."""
        response = self._call(
            "notifications",
            "GET",
            "/notifications",
            params={"maxResult": max_result, "processCode": self.process_code},
        )
        try:
            batch = response.json()
            if not isinstance(batch, list) or not all(isinstance(n, dict) and n.get("id") for n in batch):
                raise TypeError
        except (ValueError, TypeError):
            raise HubEEUnavailable("bad_answer", response.status_code) from None
        return batch

    def delete_notification(self, notification_id: str) -> None:
        """A read notification is deleted, else HubEE serves it again."""
        self._call("delete_notification", "DELETE", f"/notifications/{notification_id}")

    def event(self, case_id: str, event_id: str) -> dict:
        response = self._call("event", "GET", f"/cases/{case_id}/events/{event_id}")
        try:
            event = response.json()
            if not isinstance(event, dict):
                raise TypeError
        except (ValueError, TypeError):
            raise HubEEUnavailable("bad_answer", response.status_code) from None
        return event

    def acknowledge(self, case_id: str, event_id: str) -> None:
        """Tell HubEE (and the commune's software) the event was taken into account."""
        self._call("acknowledge", "PATCH", f"/cases/{case_id}/events/{event_id}", json={"status": "RECEIVED"})

    def _rollback(self, folder_id, error):
        try:
            self.delete(folder_id)
        except HubEEError as failed:
            error.orphan_folder_id = folder_id
            logger.error(
                "hubee.rollback.failed", extra={"hubee_code": failed.code, "hubee_status": failed.status}
            )
        else:
            error.folder_deleted = True
            logger.warning("hubee.rollback.ok", extra={"hubee_code": error.code})

    # -- plumbing --------------------------------------------------------------
    def _call(self, step, method, path, client=None, **kwargs) -> httpx.Response:
        for attempt in (1, 2):
            headers = {**kwargs.pop("headers", {}), "Authorization": f"Bearer {self._access_token()}"}
            kwargs["headers"] = headers
            response = self._send(step, method, path, client=client, **kwargs)
            if response.status_code == 401 and attempt == 1:
                self._token = None  # revoked or expired early: fetch a new one, once
                continue
            break
        if response.is_success:
            return response
        raise self._error(step, response)

    def _send(self, step, method, url, client=None, **kwargs) -> httpx.Response:
        try:
            return (client or self.http).request(method, url, **kwargs)
        except httpx.TimeoutException:
            code = "timeout"
        except httpx.TransportError:
            code = "connection"
        except httpx.DecodingError:  # a body that is not what its Content-Encoding says
            code = "bad_answer"
        logger.warning("hubee.call.failed", extra={"hubee_step": step, "hubee_code": code})
        raise HubEEUnavailable(code)

    def _error(self, step, response) -> HubEEError:
        status = response.status_code
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found"}.get(status, f"http_{status}")
        logger.warning(
            "hubee.call.failed", extra={"hubee_step": step, "hubee_status": status, "hubee_code": code}
        )
        if status >= 500 or status == 429:  # down, or too many requests: later, after its Retry-After
            return HubEEUnavailable(code, status, retry_after=retry_after(response.headers))
        reason = registration_reason(_message(response)) if status == 400 else ""
        if reason:
            logger.warning("hubee.registration.refused", extra={"hubee_step": step, "hubee_code": reason})
        return HubEERejected(code, status, reason=reason)

    def _access_token(self) -> str:
        if self._token and self._clock() < self._token_expires:
            return self._token
        response = self._send(
            "token",
            "POST",
            self.token_url,
            auth=self._credentials,
            data={"grant_type": "client_credentials", "scope": "OSL"},
        )
        if not response.is_success:
            raise self._error("token", response)
        try:
            payload = response.json()
            token, lifetime = payload["access_token"], float(payload.get("expires_in", 60))
        except (ValueError, KeyError, TypeError):
            raise HubEEUnavailable("bad_token_answer", response.status_code) from None
        self._token = token
        self._token_expires = self._clock() + lifetime - min(TOKEN_MARGIN, lifetime / 2)
        return token


def _message(response) -> str:
    """The text of HubEE's error answer (``{"errors": [{"code", "message"}]}``), read, never logged."""
    try:
        return " ".join(str(e.get("message", "")) for e in response.json()["errors"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return ""


def _statuses(folder: dict) -> dict[str, str]:
    """``{case id: status}`` of a folder as ``GET /folders/{id}`` gives it (KeyError, TypeError when
    it is not that shape)."""
    return {case["id"]: case["status"] for case in folder["cases"]}
