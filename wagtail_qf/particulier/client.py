"""API Particulier v3 client: quotient familial CAF/MSA.

One pooled ``httpx.Client`` per process and configuration, explicit timeouts,
bounded retries with exponential backoff for the errors a retry can fix
(409, 429, 502, 504, timeouts, connection errors). Logs carry status, error
code, attempts and duration: never a token, a name or a QF value.

The call runs while the citizen waits on the FranceConnect callback: besides
each try's timeouts, ``total_timeout`` bounds the whole call (tries, backoff and
rate-limit waits together). A try gets only the time left, and no retry starts
without ``MIN_TRY_SECONDS`` left after its wait.
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
# A retry is not worth starting with less time than this left in the budget.
MIN_TRY_SECONDS = 1.0


class ParticulierClient:
    def __init__(self, base_url, token="", *, connect_timeout=3.0, read_timeout=10.0,
                 max_retries=2, backoff=0.5, total_timeout=None, transport=None,
                 clock=None, sleep=None):  # fmt: skip
        self.token = token
        self.max_retries = max_retries
        self.backoff = backoff
        # None: no budget for the whole call, only each try's timeouts.
        self.total_timeout = total_timeout
        self.clock = clock or time.monotonic
        self.sleep = sleep or time.sleep
        self.timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self.http = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=self.timeout,
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
        started = self.clock()
        deadline = started + self.total_timeout if self.total_timeout else None
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._once(mode, bearer, params, self._timeout_until(deadline))
            except errors.ParticulierError as exc:
                delay = self._delay(exc, attempt)
                out_of_time = deadline is not None and self.clock() + delay + MIN_TRY_SECONDS > deadline
                if not exc.retryable or attempt > self.max_retries or out_of_time:
                    logger.warning(
                        "api particulier %s failed status=%s code=%s attempts=%s duration=%.2fs%s",
                        mode, exc.status, exc.code, attempt, self.clock() - started,
                        " (time budget spent)" if exc.retryable and out_of_time else "",
                    )  # fmt: skip
                    raise
                self.sleep(delay)

    def _timeout_until(self, deadline) -> httpx.Timeout:
        """This try's timeouts: the configured ones, cut to what is left of the budget."""
        if deadline is None:
            return self.timeout
        left = max(deadline - self.clock(), 0.001)
        return httpx.Timeout(
            min(self.timeout.read, left), connect=min(self.timeout.connect, left),
            write=min(self.timeout.write, left), pool=min(self.timeout.pool, left),
        )  # fmt: skip

    def _delay(self, exc, attempt) -> float:
        delay = self.backoff * 2 ** (attempt - 1)
        if isinstance(exc, errors.RateLimited) and self.backoff:
            delay = max(delay, min(exc.retry_after, MAX_RESET_WAIT))
        return delay

    def _once(self, mode, bearer, params, timeout) -> QFResult:
        try:
            response = self.http.get(
                f"{PATH}/{mode}", params=params, headers={"Authorization": f"Bearer {bearer}"},
                timeout=timeout,
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
    code, title, detail = "", "", ""
    try:
        first = (response.json().get("errors") or [{}])[0]
        code, title, detail = (str(first.get(key) or "") for key in ("code", "title", "detail"))
    except (ValueError, AttributeError, IndexError, TypeError):
        pass
    return errors.error_for(
        response.status_code, code, detail, seconds_until_reset(response.headers), title=title
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
def _client_for(base_url, token, connect, read, retries, backoff, total) -> ParticulierClient:
    return ParticulierClient(
        base_url, token, connect_timeout=connect, read_timeout=read,
        max_retries=retries, backoff=backoff, total_timeout=total,
    )  # fmt: skip


def get_client() -> ParticulierClient:
    """The shared client for the current settings (a new one when they change)."""
    api = qf_settings.API_PARTICULIER
    return _client_for(
        api["BASE_URL"], api["TOKEN"], float(api["CONNECT_TIMEOUT"]), float(api["READ_TIMEOUT"]),
        int(api["MAX_RETRIES"]), float(api["BACKOFF_SECONDS"]),
        float(api["TOTAL_TIMEOUT"]) if api.get("TOTAL_TIMEOUT") else None,
    )  # fmt: skip
