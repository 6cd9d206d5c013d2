"""DGFiP "API Impôt particulier" client, FranceConnect mode: tax situation of one income year.

Two tokens on every call: the commune's gateway token (OAuth2 client credentials,
kept in Django's cache, shared by every worker, until shortly before it expires;
renewed once on a 401) and the citizen's FranceConnect access token, raw in
``X-FranceConnect-OAuth``. The call runs during the FranceConnect callback, with
the retries and the whole-call time budget of the API Particulier client
(``wagtail_qf.upstream``); the fallback to the year before shares that budget.
Logs carry the year, status, error code and correlation id: never a token, a
secret or a tax datum.
"""

import hashlib
import logging
import uuid
from functools import lru_cache

import httpx
from django.core.cache import cache

from .. import http
from ..conf import qf_settings
from ..upstream import MIN_TRY_SECONDS, RetryingClient
from . import errors
from .parsing import parse_situation
from .types import TaxResult
from .years import YearChoice

logger = logging.getLogger("wagtail_qf.dgfip")

SITUATION_PATH = "/situations/ir/assiettes/annrev/{year}"
GATEWAY_SCOPE = "RessourceIR"
# Lifetime assumed when the token answer gives no ``expires_in`` (not documented).
DEFAULT_TOKEN_LIFETIME = 60.0


class DgfipClient(RetryingClient):
    logger = logger

    service = "DGFIP"

    def __init__(
        self,
        base_url,
        token_url,
        client_id,
        client_secret,
        id_teleservice="",
        *,
        token_margin=60.0,
        transport=None,
        **options,
    ):
        """``options``: those of ``RetryingClient`` (timeouts, retries, budget, clock)."""
        super().__init__(**options)
        self.base_url = base_url.rstrip("/")
        self.token_url = token_url
        self._credentials = (client_id, client_secret)
        self.id_teleservice = id_teleservice
        self.token_margin = token_margin
        # One cached gateway token per gateway and consumer key (never the secret in the key).
        self.token_cache_key = (
            "wagtail_qf:dgfip:gateway_token:"
            + hashlib.sha256(f"{token_url}|{client_id}|{GATEWAY_SCOPE}".encode()).hexdigest()[:32]
        )
        self.http = http.client(
            self.service,
            timeout=self.timeout,
            base_url=self.base_url,
            transport=transport,
            # The answer's media type is application/prs.dgfip.part.situations.ir.assiettes.v1+json.
            headers={"Accept": "*/*"},
        )

    @property
    def configured(self) -> bool:
        """Whether the settings name a gateway and its credentials."""
        return bool(self.base_url and self.token_url and all(self._credentials))

    def fetch_situation(self, fc_token: str, choice: YearChoice) -> TaxResult:
        """The tax situation of ``choice.year``, or of the year before if allowed and needed."""
        if not self.configured:
            raise errors.NotConfigured()
        deadline = self._deadline()
        try:
            return self._fetch_year(fc_token, choice.year, choice.year, deadline)
        except errors.NoAvis as missing:
            if not choice.fallback or (deadline and deadline - self.clock() < MIN_TRY_SECONDS):
                raise
            logger.info("dgfip no avis for annrev=%s: asking annrev=%s", choice.year, choice.year - 1)
            try:
                return self._fetch_year(fc_token, choice.year - 1, choice.year, deadline)
            except (errors.NoAvis, errors.AccessRefused):
                # Nothing for the year before either (or no right to it): the year asked
                # has no avis, which is what the citizen needs to hear.
                raise missing from None

    # -- plumbing --------------------------------------------------------------
    def _fetch_year(self, fc_token, year, asked, deadline) -> TaxResult:
        return self._with_retries(
            lambda until: self._once(fc_token, year, asked, until),
            label=f"dgfip annrev={year}",
            deadline=deadline,
        )

    def _once(self, fc_token, year, asked, deadline) -> TaxResult:
        for _try in range(2):
            response = self._situation(fc_token, year, self._gateway_token(deadline), deadline)
            if response.status_code != 401:
                break
            # Revoked or expired before its time: dropped, and a new one asked once.
            cache.delete(self.token_cache_key)
        if response.status_code != 200:
            raise errors.error_for(response.status_code)
        try:
            body = response.json()
        except ValueError as exc:
            raise errors.MalformedAnswer(status=200) from exc
        return parse_situation(body, year=year, asked=asked)

    def _situation(self, fc_token, year, gateway_token, deadline) -> httpx.Response:
        correlation_id = str(uuid.uuid4())
        headers = {
            "Authorization": f"Bearer {gateway_token}",
            "X-FranceConnect-OAuth": fc_token,  # raw, no "Bearer"
            "X-Correlation-ID": correlation_id,
        }
        if self.id_teleservice:  # optional in the OpenAPI, required in practice
            headers["ID_Teleservice"] = self.id_teleservice
        response = self._send("GET", SITUATION_PATH.format(year=year), deadline, headers=headers)
        if response.status_code != 200:  # the id the DGFiP's support asks for
            logger.info(
                "dgfip annrev=%s status=%s correlation_id=%s", year, response.status_code, correlation_id
            )
        return response

    def _gateway_token(self, deadline) -> str:
        token = cache.get(self.token_cache_key)
        if token:
            return token
        response = self._send(
            "POST",
            self.token_url,
            deadline,
            auth=self._credentials,
            data={"grant_type": "client_credentials", "scope": GATEWAY_SCOPE},
        )
        if response.status_code != 200:
            raise errors.error_for(response.status_code, token_endpoint=True)
        try:
            payload = response.json()
            token = payload["access_token"]
            lifetime = float(payload.get("expires_in") or DEFAULT_TOKEN_LIFETIME)
        except (ValueError, KeyError, TypeError, AttributeError):
            token = None
        if not isinstance(token, str) or not token:
            raise errors.ProviderError("bad_token_answer", response.status_code)
        keep = lifetime - min(self.token_margin, lifetime / 2)
        if keep >= 1:
            cache.set(self.token_cache_key, token, timeout=int(keep))
        return token

    def _send(self, method, url, deadline, **kwargs) -> httpx.Response:
        try:
            return self.http.request(method, url, timeout=self._timeout_until(deadline), **kwargs)
        except httpx.TimeoutException as exc:
            raise errors.Timeout() from exc
        except httpx.TransportError as exc:
            raise errors.Unreachable() from exc
        except httpx.DecodingError as exc:  # a body that is not what its Content-Encoding says
            raise errors.MalformedAnswer() from exc


@lru_cache(maxsize=2)
def _client_for(
    base_url,
    token_url,
    client_id,
    client_secret,
    id_teleservice,
    margin,
    connect,
    read,
    retries,
    backoff,
    total,
) -> DgfipClient:
    return DgfipClient(
        base_url,
        token_url,
        client_id,
        client_secret,
        id_teleservice,
        token_margin=margin,
        connect_timeout=connect,
        read_timeout=read,
        max_retries=retries,
        backoff=backoff,
        total_timeout=total,
    )


def get_client() -> DgfipClient:
    """The shared client for the current settings (a new one when they change)."""
    dgfip = qf_settings.DGFIP
    timeout = http.timeout_for(DgfipClient.service)
    return _client_for(
        dgfip["BASE_URL"],
        dgfip["TOKEN_URL"],
        dgfip["CLIENT_ID"],
        dgfip["CLIENT_SECRET"],
        dgfip["ID_TELESERVICE"],
        float(dgfip["TOKEN_MARGIN_SECONDS"]),
        timeout.connect,
        timeout.read,
        int(dgfip["MAX_RETRIES"]),
        float(dgfip["BACKOFF_SECONDS"]),
        float(dgfip["TOTAL_TIMEOUT"]) if dgfip.get("TOTAL_TIMEOUT") else None,
    )


def is_configured() -> bool:
    """Whether ``WAGTAIL_QF["DGFIP"]`` names a gateway and its credentials."""
    dgfip = qf_settings.DGFIP
    return all(dgfip.get(key) for key in ("BASE_URL", "TOKEN_URL", "CLIENT_ID", "CLIENT_SECRET"))
