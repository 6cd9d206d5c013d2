"""Optional error reporting to Sentry, with the citizens' personal data scrubbed.

``sentry_sdk`` is optional (the ``sentry`` extra): ``init_sentry`` does nothing without a DSN,
and says so in the log when the DSN is set but the package is missing. Events leave without
request body, query string, cookies, headers (but Host and Content-Type), user, local
variables, nor any value under a key that names personal data (``PERSONAL_KEYS``).
"""

import logging
import os
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

logger = logging.getLogger(__name__)

FILTERED = "[filtré]"
# Keys whose values are personal data or secrets, in our models, sessions, FranceConnect's
# userinfo, API Particulier's and the DGFiP's answers (compared lowercased).
PERSONAL_KEYS = frozenset(
    {
        # identity (ours, FranceConnect's, API Particulier's)
        "identity", "sub", "family_name", "given_name", "given_names", "given_name_array", "usage_name",
        "preferred_username", "birthdate", "birthplace", "birthcountry", "gender", "email", "phone",
        "nom", "nom_naissance", "nom_usage", "prenom", "prenoms", "sexe", "date_naissance", "lieu_naissance",
        "code_cog_insee_commune_naissance", "code_cog_insee_pays_naissance", "display_name",
        # family data
        "allocataires", "enfants", "children", "address", "adresse", "quotient_familial", "qf", "qf_value",
        "raw_response", "tax_data", "eaje_data", "result", "search_text", "revenu_fiscal_de_reference",
        # secrets
        "password", "secret", "client_secret", "token", "access_token", "id_token", "refresh_token",
        "authorization", "cookie", "sessionid", "csrftoken", "form_token", "nonce",
    }
)  # fmt: skip
KEPT_HEADERS = frozenset({"host", "content-type"})


def _scrub(value):
    """``value`` with every personal key's value replaced, at any depth."""
    if isinstance(value, Mapping):
        return {
            key: FILTERED if str(key).lower() in PERSONAL_KEYS else _scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def database_error(exc: BaseException) -> str:
    """What a log may say of a database error: its class and SQLSTATE, never its text, which
    PostgreSQL writes with the failing row (« Failing row contains (…) »: the family's names,
    dates of birth, quotient)."""
    code = getattr(exc.__cause__, "sqlstate", "") or getattr(exc, "sqlstate", "") or "-"
    return f"{type(exc).__name__} sqlstate={code}"


def scrub_event(event: dict, hint=None) -> dict:
    """Sentry's ``before_send``: the event without personal data (see the module's docstring)."""
    event.pop("user", None)
    request = event.get("request")
    if isinstance(request, dict):
        kept = {"method": request.get("method"), "url": _without_query(request.get("url") or "")}
        kept["headers"] = {
            k: v for k, v in (request.get("headers") or {}).items() if k.lower() in KEPT_HEADERS
        }
        event["request"] = {key: value for key, value in kept.items() if value}
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for key in ("extra", "contexts", "tags", "breadcrumbs", "logentry"):
        if key in event:
            event[key] = _scrub(event[key])
    return event


def init_sentry(dsn: str | None = None, **options) -> bool:
    """Start Sentry when a DSN is given (else the ``SENTRY_DSN`` environment variable) and
    ``sentry_sdk`` is installed; ``options`` go to ``sentry_sdk.init`` (environment, release...).
    True when started."""
    dsn = dsn or os.environ.get("SENTRY_DSN", "")
    if not dsn:
        return False
    try:
        import sentry_sdk
    except ImportError:
        logger.warning(
            "SENTRY_DSN is set but sentry-sdk is not installed (pip install 'wagtail-qf[sentry]')."
        )
        return False
    # No personal data by default: ``send_default_pii`` (deprecated in sentry-sdk 2.7x for
    # ``data_collection``) is left unset, so that no version warns; a test checks it stays off.
    sentry_sdk.init(
        dsn=dsn,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        **options,
    )
    return True
