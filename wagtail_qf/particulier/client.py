"""API Particulier v3 client: quotient familial CAF/MSA, crèche (EAJE) participation.

One pooled client per process and configuration (made by ``wagtail_qf.http``),
bounded retries with exponential backoff for the errors a retry can fix
(409, 429, 502, 504, timeouts, connection errors), all within one time budget
for the whole call (see ``wagtail_qf.upstream``). Logs carry status, error
code, attempts and duration: never a token, a name or a QF value.
"""

import logging
import time
from functools import lru_cache

import httpx

from .. import http
from ..conf import qf_settings
from ..upstream import MIN_TRY_SECONDS, RetryingClient  # noqa: F401 -- re-exported for the tests
from . import errors
from .eaje import EAJE_PATH, EAJEResult, NoEAJEFile, parse_eaje
from .parsing import parse_answer
from .types import IdentityQuery, QFResult

logger = logging.getLogger("wagtail_qf.particulier")

PATH = "/v3/dss/quotient_familial"


class ParticulierClient(RetryingClient):
    logger = logger

    service = "API_PARTICULIER"

    def __init__(self, base_url, token="", *, transport=None, **options):
        """``options``: those of ``RetryingClient`` (timeouts, retries, budget, clock)."""
        super().__init__(**options)
        self.token = token
        self.http = http.client(
            self.service,
            timeout=self.timeout,
            base_url=base_url,
            transport=transport,
            headers={"Accept": "application/json"},
        )

    # -- the two modes ---------------------------------------------------------
    def fetch_with_franceconnect(self, access_token, *, recipient, year=None, month=None) -> QFResult:
        """The family's QF with the citizen's FranceConnect access token."""
        return self._fetch("france_connect", access_token, [("recipient", recipient)], year, month)

    def fetch_with_identity(self, query: IdentityQuery, *, recipient, year=None, month=None) -> QFResult:
        """The family's QF found by a typed identity, with the commune's API token."""
        params = [("recipient", recipient)] + query.params()
        return self._fetch("identite", self.token, params, year, month)

    # -- crèche (EAJE) participation, FranceConnect mode only --------------------
    def fetch_eaje_with_franceconnect(self, access_token, *, recipient) -> EAJEResult:
        """The crèche (EAJE) participation data, with the citizen's FranceConnect access token."""
        try:
            return self._call(
                EAJE_PATH, access_token, [("recipient", recipient)], parse_eaje, "eaje france_connect"
            )
        except errors.NotFound as exc:  # « Dossier allocataire inexistant »: EAJE's own next step
            raise NoEAJEFile(exc.code, exc.status, exc.detail) from exc

    # -- plumbing --------------------------------------------------------------
    def _fetch(self, mode, bearer, params, year, month) -> QFResult:
        if year:
            params.append(("annee", str(year)))
        if month:
            params.append(("mois", str(month)))
        return self._call(f"{PATH}/{mode}", bearer, params, parse_answer, mode)

    def _call(self, path, bearer, params, parse, label):
        return self._with_retries(
            lambda deadline: self._once(path, bearer, params, parse, self._timeout_until(deadline)),
            label=f"api particulier {label}",
        )

    def _once(self, path, bearer, params, parse, timeout):
        try:
            response = self.http.get(
                path,
                params=params,
                headers={"Authorization": f"Bearer {bearer}"},
                timeout=timeout,
            )
        except httpx.TimeoutException as exc:
            raise errors.Timeout() from exc
        except httpx.TransportError as exc:
            raise errors.Unreachable() from exc
        except httpx.DecodingError as exc:  # a body that is not what its Content-Encoding says
            raise errors.MalformedAnswer() from exc
        if response.status_code != 200:
            raise _error_of(response)
        try:
            body = response.json()
        except ValueError as exc:
            raise errors.MalformedAnswer(status=200) from exc
        cached = response.headers.get("X-Response-Cached", "").lower() == "true"
        return parse(body, cached=cached)


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
        base_url,
        token,
        connect_timeout=connect,
        read_timeout=read,
        max_retries=retries,
        backoff=backoff,
        total_timeout=total,
    )


def get_client() -> ParticulierClient:
    """The shared client for the current settings (a new one when they change)."""
    api = qf_settings.API_PARTICULIER
    timeout = http.timeout_for(ParticulierClient.service)
    return _client_for(
        api["BASE_URL"],
        api["TOKEN"],
        timeout.connect,
        timeout.read,
        int(api["MAX_RETRIES"]),
        float(api["BACKOFF_SECONDS"]),
        float(api["TOTAL_TIMEOUT"]) if api.get("TOTAL_TIMEOUT") else None,
    )
