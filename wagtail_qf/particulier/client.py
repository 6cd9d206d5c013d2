"""API Particulier v3 client: quotient familial CAF/MSA.

One pooled ``httpx.Client`` per process and configuration, explicit timeouts,
bounded retries with exponential backoff for the errors a retry can fix
(409, 429, 502, 504, timeouts, connection errors). Logs carry status, error
code, attempts and duration: never a token, a name or a QF value.
"""

import logging
import time
from functools import lru_cache

import httpx

from .. import __version__
from ..conf import qf_settings
from . import errors
from .parsing import parse_answer
from .types import IdentityQuery, QFResult

logger = logging.getLogger("wagtail_qf.particulier")

PATH = "/v3/dss/quotient_familial"
USER_AGENT = f"wagtail-qf/{__version__} (+https://github.com/wagtail-qf/wagtail-qf)"
# Never wait longer than this for a RateLimit-Reset, whatever the API says.
MAX_RESET_WAIT = 2.0


class ParticulierClient:
    def __init__(self, base_url, token="", *, connect_timeout=3.0, read_timeout=10.0,
                 max_retries=2, backoff=0.5, transport=None):  # fmt: skip
        self.token = token
        self.max_retries = max_retries
        self.backoff = backoff
        self.http = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            transport=transport,
        )

    # -- the two modes ---------------------------------------------------------
    def fetch_with_franceconnect(self, access_token, *, recipient, year=None, month=None) -> QFResult:
        return self._fetch("france_connect", access_token, [("recipient", recipient)], year, month)

    def fetch_with_identity(self, query: IdentityQuery, *, recipient, year=None, month=None) -> QFResult:
        params = [("recipient", recipient)] + query.params()
        return self._fetch("identite", self.token, params, year, month)

    # -- plumbing --------------------------------------------------------------
    def _fetch(self, mode, bearer, params, year, month) -> QFResult:
        if year:
            params.append(("annee", str(year)))
        if month:
            params.append(("mois", str(month)))
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._once(mode, bearer, params)
            except errors.ParticulierError as exc:
                duration = time.monotonic() - started
                if not exc.retryable or attempt > self.max_retries:
                    logger.warning(
                        "api particulier %s failed status=%s code=%s attempts=%s duration=%.2fs",
                        mode, exc.status, exc.code, attempt, duration,
                    )  # fmt: skip
                    raise
                time.sleep(self._delay(exc, attempt))

    def _delay(self, exc, attempt) -> float:
        delay = self.backoff * 2 ** (attempt - 1)
        if isinstance(exc, errors.RateLimited) and self.backoff:
            delay = max(delay, min(exc.retry_after, MAX_RESET_WAIT))
        return delay

    def _once(self, mode, bearer, params) -> QFResult:
        try:
            response = self.http.get(
                f"{PATH}/{mode}", params=params, headers={"Authorization": f"Bearer {bearer}"}
            )
        except httpx.TimeoutException as exc:
            raise errors.Timeout() from exc
        except httpx.TransportError as exc:
            raise errors.Unreachable() from exc
        if response.status_code != 200:
            raise _error_of(response)
        try:
            body = response.json()
        except ValueError as exc:
            raise errors.MalformedAnswer(status=200) from exc
        cached = response.headers.get("X-Response-Cached", "").lower() == "true"
        return parse_answer(body, cached=cached)


def _error_of(response) -> errors.ParticulierError:
    code, detail = "", ""
    try:
        first = (response.json().get("errors") or [{}])[0]
        code, detail = str(first.get("code", "")), str(first.get("detail", ""))
    except (ValueError, AttributeError, IndexError, TypeError):
        pass
    return errors.error_for(
        response.status_code, code, detail, seconds_until_reset(response.headers)
    )


def seconds_until_reset(headers, now=None) -> float:
    """Seconds to wait according to ``RateLimit-Reset``.

    API Particulier sends the end of the current period as a Unix timestamp;
    the IETF draft header is a number of seconds. Both are accepted.
    """
    try:
        reset = float(headers.get("RateLimit-Reset", 0))
    except ValueError:
        return 0.0
    if reset > 1_000_000_000:
        reset -= time.time() if now is None else now
    return max(reset, 0.0)


@lru_cache(maxsize=2)
def _client_for(base_url, token, connect, read, retries, backoff) -> ParticulierClient:
    return ParticulierClient(
        base_url, token, connect_timeout=connect, read_timeout=read,
        max_retries=retries, backoff=backoff,
    )  # fmt: skip


def get_client() -> ParticulierClient:
    """The shared client for the current settings (a new one when they change)."""
    api = qf_settings.API_PARTICULIER
    return _client_for(
        api["BASE_URL"], api["TOKEN"], float(api["CONNECT_TIMEOUT"]), float(api["READ_TIMEOUT"]),
        int(api["MAX_RETRIES"]), float(api["BACKOFF_SECONDS"]),
    )  # fmt: skip
