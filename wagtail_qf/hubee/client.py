"""HubEE téléDossiers client (sender side, OAuth2 client credentials, scope OSL).

A deposit is create → upload each attachment → complete. HubEE only deletes a
folder while it is HUBEE_RECEIVED, so any failure after creation deletes it
before raising: the commune never sees half a dossier. Logs carry step, HTTP
status and error code only: never a token, a secret, a name or a file.
"""

import logging
import time

import httpx

from .. import __version__, http
from ..upstream import retry_after
from .types import FolderDraft

logger = logging.getLogger("wagtail_qf.hubee")

COMPLETED = "HUBEE_COMPLETED"
# Refresh the token this long before HubEE says it expires (at most half its lifetime).
TOKEN_MARGIN = 30.0


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
    ):
        super().__init__(code if status is None else f"{code} (HTTP {status})")
        self.code = code
        self.status = status
        # Set when the rollback DELETE failed too: the folder id to clean up later.
        self.orphan_folder_id = orphan_folder_id
        # Seconds HubEE asked to wait (``Retry-After``) before the next deposit.
        self.retry_after = retry_after


class HubEERejected(HubEEError):
    """HubEE refused the request (4xx): retrying the same request will not help."""


class HubEEUnavailable(HubEEError):
    """5xx, timeout or connection error: the whole deposit can be retried later."""

    retryable = True


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
        transport=None,
    ):
        """``timeout``: ``WAGTAIL_QF["HUBEE"]["TIMEOUT"]`` unless given."""
        self.token_url = token_url
        self.process_code = process_code
        self._credentials = (client_id, client_secret)
        self._token = None
        self._token_expires = 0.0
        self._clock = time.monotonic
        self.http = http.client(
            "HUBEE",
            timeout=timeout,
            base_url=base_url,
            transport=transport,
            headers={"applicationName": "wagtail-qf", "softwareVersion": __version__},
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "HubEEClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- folders ---------------------------------------------------------------
    def deposit(self, folder: FolderDraft) -> str:
        """Create, fill and complete a folder; return its HubEE id."""
        created = self._call("create", "POST", "/folders", json=folder.as_json(self.process_code))
        try:
            folder_id = created.json()["id"]
            ids = {a["fileName"]: a["id"] for a in created.json()["attachments"]}
        except (ValueError, KeyError, TypeError):
            raise HubEEUnavailable("bad_answer", created.status_code) from None
        try:
            for attachment in folder.attachments:
                if attachment.file_name not in ids:
                    raise HubEEUnavailable("bad_answer", created.status_code)
                self._call(
                    "upload",
                    "PUT",
                    f"/folders/{folder_id}/attachments/{ids[attachment.file_name]}",
                    content=attachment.content,
                    headers={"Content-Type": "application/octet-stream", "digest": attachment.digest},
                )
            self._call("complete", "PATCH", f"/folders/{folder_id}", json={"globalStatus": COMPLETED})
        except HubEEError as error:
            self._rollback(folder_id, error)
            raise
        logger.info("hubee.deposit.ok", extra={"hubee_step": "deposit"})
        return folder_id

    def case_statuses(self, folder_id: str) -> dict[str, str]:
        """``{case id: HubEE case status}`` read from ``GET /folders/{id}``."""
        response = self._call("status", "GET", f"/folders/{folder_id}")
        try:
            return {case["id"]: case["status"] for case in response.json()["cases"]}
        except (ValueError, KeyError, TypeError):
            raise HubEEUnavailable("bad_answer", response.status_code) from None

    def delete(self, folder_id: str) -> None:
        """Delete a folder (HubEE accepts it only while the folder is HUBEE_RECEIVED)."""
        self._call("delete", "DELETE", f"/folders/{folder_id}")

    def _rollback(self, folder_id, error):
        try:
            self.delete(folder_id)
        except HubEEError as failed:
            error.orphan_folder_id = folder_id
            logger.error(
                "hubee.rollback.failed", extra={"hubee_code": failed.code, "hubee_status": failed.status}
            )
        else:
            logger.warning("hubee.rollback.ok", extra={"hubee_code": error.code})

    # -- plumbing --------------------------------------------------------------
    def _call(self, step, method, path, **kwargs) -> httpx.Response:
        for attempt in (1, 2):
            headers = {**kwargs.pop("headers", {}), "Authorization": f"Bearer {self._access_token()}"}
            kwargs["headers"] = headers
            response = self._send(step, method, path, **kwargs)
            if response.status_code == 401 and attempt == 1:
                self._token = None  # revoked or expired early: fetch a new one, once
                continue
            break
        if response.is_success:
            return response
        raise self._error(step, response)

    def _send(self, step, method, url, **kwargs) -> httpx.Response:
        try:
            return self.http.request(method, url, **kwargs)
        except httpx.TimeoutException:
            code = "timeout"
        except httpx.TransportError:
            code = "connection"
        logger.warning("hubee.call.failed", extra={"hubee_step": step, "hubee_code": code})
        raise HubEEUnavailable(code)

    def _error(self, step, response) -> HubEEError:
        status = response.status_code
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found"}.get(status, f"http_{status}")
        logger.warning(
            "hubee.call.failed", extra={"hubee_step": step, "hubee_status": status, "hubee_code": code}
        )
        if status >= 500:
            return HubEEUnavailable(code, status, retry_after=retry_after(response.headers))
        return HubEERejected(code, status)

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
