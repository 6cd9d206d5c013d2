"""What the clients of the State's APIs share: typed errors, bounded retries, one time budget.

API Particulier and the DGFiP are called while the citizen waits on the
FranceConnect callback (the FranceConnect token lives about 60 s). Each client
retries only the errors a retry can fix, with exponential backoff, and
``total_timeout`` bounds the whole call (tries, backoff and rate-limit waits
together): a try gets only the time left, and no retry starts without
``MIN_TRY_SECONDS`` left after its wait.
"""

import time

import httpx
from django.utils.translation import gettext_lazy as _

from . import __version__

USER_AGENT = f"wagtail-qf/{__version__} (+https://github.com/wagtail-qf/wagtail-qf)"
# Never wait longer than this for a rate-limit reset, whatever the API says.
MAX_RESET_WAIT = 2.0
# A retry is not worth starting with less time than this left in the budget.
MIN_TRY_SECONDS = 1.0


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
        return {"class": type(self).__name__, "code": self.code, "status": self.status}


class RetryingClient:
    """An httpx client whose calls are retried within one time budget.

    Subclasses run each call through ``_with_retries(once, label=...)``: ``once``
    receives the deadline (or None) and raises an ``UpstreamError``; it asks
    ``_timeout_until(deadline)`` for the timeouts of each request it makes.
    Logs carry the label, status, error code, attempts and duration: never a
    token or a personal datum.
    """

    logger = None  # each client's own logger

    def __init__(
        self,
        *,
        connect_timeout=3.0,
        read_timeout=10.0,
        max_retries=2,
        backoff=0.5,
        total_timeout=None,
        clock=None,
        sleep=None,
    ):
        self.max_retries = max_retries
        self.backoff = backoff
        # None: no budget for the whole call, only each try's timeouts.
        self.total_timeout = total_timeout
        self.clock = clock or time.monotonic
        self.sleep = sleep or time.sleep
        self.timeout = httpx.Timeout(read_timeout, connect=connect_timeout)

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
        delay = self.backoff * 2 ** (attempt - 1)
        if exc.retry_after and self.backoff:
            delay = max(delay, min(exc.retry_after, MAX_RESET_WAIT))
        return delay
