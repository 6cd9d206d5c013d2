"""Retries: one backoff rule for every client and task, and what the State's API clients share.

``backoff_delay`` gives the wait before the next try, for the HTTP clients (seconds
of sleep) as for the webhook and HubEE tasks (the next attempt's date): exponential,
capped, with jitter so that clients failing together do not retry together, and never
shorter than what the server asked (``Retry-After``, read by ``retry_after``).

API Particulier and the DGFiP are called while the citizen waits on the
FranceConnect callback (the FranceConnect token lives about 60 s). Each client
retries only the errors a retry can fix, with exponential backoff, and
``total_timeout`` bounds the whole call (tries, backoff and rate-limit waits
together): a try gets only the time left, and no retry starts without
``MIN_TRY_SECONDS`` left after its wait.
"""

import datetime
import email.utils
import random
import time
from collections.abc import Callable, Mapping

import httpx
from django.utils.translation import gettext_lazy as _

from . import http
from .numbers import whole_number

# A client never waits longer than this between two tries (backoff or rate-limit reset):
# the citizen is waiting.
MAX_CLIENT_WAIT = 2.0
# Share of a delay that jitter may take off: a delay is between half of it and all of it.
JITTER_SHARE = 0.5
# A retry is not worth starting with less time than this left in the budget.
MIN_TRY_SECONDS = 1.0


def backoff_delay(
    attempt: int,
    *,
    base: float,
    cap: float,
    retry_after: float = 0.0,
    jitter: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after failed try number ``attempt`` (1 for the first failure).

    ``base × 2^(attempt − 1)``, at most ``cap``, less a random share (up to
    ``JITTER_SHARE``); never less than ``retry_after`` (what the server asked), itself
    at most ``cap``. ``jitter`` returns a number in [0, 1): tests pass a fixed one.
    """
    delay = min(base * 2 ** (attempt - 1), cap)
    delay *= 1 - JITTER_SHARE * jitter()
    return max(delay, min(retry_after, cap))


def retry_after(headers: Mapping[str, str], now: datetime.datetime | None = None) -> float:
    """Seconds asked by a ``Retry-After`` header (seconds or HTTP date); 0 when absent or unreadable."""
    value = (headers.get("Retry-After") or "").strip()
    seconds = whole_number(value)
    if seconds is not None:
        return float(seconds)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    if when.tzinfo is None:  # an HTTP date is always GMT
        when = when.replace(tzinfo=datetime.UTC)
    now = now or datetime.datetime.now(datetime.UTC)
    return max((when - now).total_seconds(), 0.0)


class UpstreamError(Exception):
    """Base error of an upstream API, with what the citizen should do next.

    ``code`` is the API's own error code (or a local one such as ``timeout``)."""

    code = "unknown"
    status = None
    # Whether the client itself retries (with backoff) before giving up.
    retryable = False
    # Whether the citizen may try again later without logging in again.
    citizen_can_retry = False
    # Seconds the API asks to wait before the next try (rate limits).
    retry_after = 0.0
    user_message = _("Vos données n'ont pas pu être récupérées.")
    next_step = _("Réessayez plus tard ou transmettez votre attestation à la mairie.")

    def __init__(self, code=None, status=None, detail=""):
        self.code = code or self.code
        self.status = status if status is not None else self.status
        # ``detail`` is the API's own text: never shown, never logged.
        self.detail = detail
        super().__init__(f"{type(self).__name__}(code={self.code}, status={self.status})")

    def to_session(self) -> dict:
        """What the journey keeps of the error in the session (no API text)."""
        return {"class": type(self).__name__, "code": self.code, "status": self.status}


class RetryingClient:
    """An httpx client whose calls are retried within one time budget.

    The client is made by ``wagtail_qf.http`` with the timeouts of ``service`` (the
    ``WAGTAIL_QF`` section) unless the constructor is given others.

    Subclasses run each call through ``_with_retries(once, label=...)``: ``once``
    receives the deadline (or None) and raises an ``UpstreamError``; it asks
    ``_timeout_until(deadline)`` for the timeouts of each request it makes.
    Logs carry the label, status, error code, attempts and duration: never a
    token or a personal datum.
    """

    logger = None  # each client's own logger
    service = ""  # its ``WAGTAIL_QF`` section, for the default timeouts

    def __init__(
        self,
        *,
        connect_timeout=None,
        read_timeout=None,
        max_retries=2,
        backoff=0.5,
        total_timeout=None,
        clock=None,
        sleep=None,
        jitter=None,
    ):
        self.max_retries = max_retries
        # 0: retries at once, without waiting even for a rate limit (tests, demos).
        self.backoff = backoff
        # None: no budget for the whole call, only each try's timeouts.
        self.total_timeout = total_timeout
        self.clock = clock or time.monotonic
        self.sleep = sleep or time.sleep
        self.jitter = jitter or random.random
        configured = http.timeout_for(self.service)
        self.timeout = httpx.Timeout(
            configured.read if read_timeout is None else read_timeout,
            connect=configured.connect if connect_timeout is None else connect_timeout,
        )

    def _deadline(self) -> float | None:
        return self.clock() + self.total_timeout if self.total_timeout else None

    def _with_retries(self, once, *, label, deadline=None):
        """``once(deadline)``, retried while the error is retryable and time is left.

        ``deadline`` lets several calls share one budget (the DGFiP's fallback year)."""
        started = self.clock()
        if deadline is None:
            deadline = self._deadline()
        attempt = 0
        while True:
            attempt += 1
            try:
                return once(deadline)
            except UpstreamError as exc:
                delay = self._delay(exc, attempt)
                out_of_time = deadline is not None and self.clock() + delay + MIN_TRY_SECONDS > deadline
                if not exc.retryable or attempt > self.max_retries or out_of_time:
                    self.logger.warning(
                        "%s failed status=%s code=%s attempts=%s duration=%.2fs%s",
                        label,
                        exc.status,
                        exc.code,
                        attempt,
                        self.clock() - started,
                        " (time budget spent)" if exc.retryable and out_of_time else "",
                    )
                    raise
                self.sleep(delay)

    def _timeout_until(self, deadline) -> httpx.Timeout:
        """A request's timeouts: the configured ones, cut to what is left of the budget."""
        if deadline is None:
            return self.timeout
        left = max(deadline - self.clock(), 0.001)
        return httpx.Timeout(
            min(self.timeout.read, left),
            connect=min(self.timeout.connect, left),
            write=min(self.timeout.write, left),
            pool=min(self.timeout.pool, left),
        )

    def _delay(self, exc, attempt) -> float:
        if not self.backoff:
            return 0.0
        return backoff_delay(
            attempt, base=self.backoff, cap=MAX_CLIENT_WAIT, retry_after=exc.retry_after, jitter=self.jitter
        )
