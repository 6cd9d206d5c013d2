"""Optional error reporting to Sentry, with the citizens' personal data scrubbed.

``sentry_sdk`` is optional (the ``sentry`` extra): ``init_sentry`` does nothing without a DSN,
and says so in the log when the DSN is set but the package is missing. Events leave without
request body, query string, cookies, headers (but Host and Content-Type), user, local
variables, nor any value under a key that names personal data (``PERSONAL_KEYS``); the
breadcrumbs of other libraries and the spans of a transaction keep only the kind and outcome
of what they record, and a database error only its types. ``TracebackFormatter`` keeps the logs' tracebacks as bare.
"""

import logging
import os
import traceback
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
# Where the database errors come from: Django's wrappers, and the drivers' own.
DATABASE_MODULES = ("django.db.utils", "psycopg", "sqlite3")
# What a breadcrumb of Sentry's integrations (httpx, Redis, another library's log) keeps: the
# kind of call and its outcome. Their messages and other fields carry what was sent: the
# identity in API Particulier's query, a session's key in its cache key. Our own log lines
# (``wagtail_qf.*``) are written without personal data: they keep theirs, scrubbed.
KEPT_BREADCRUMB = frozenset({"type", "category", "level", "timestamp"})
KEPT_BREADCRUMB_DATA = frozenset(
    {"method", "http.method", "status_code", "http.response.status_code", "reason", "redis.command"}
)


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


def _kept_data(data) -> dict:
    """The fields of a breadcrumb or span that may leave (``KEPT_BREADCRUMB_DATA``, the URL
    without its query)."""
    if not isinstance(data, Mapping):
        return {}
    kept = {key: value for key, value in data.items() if key in KEPT_BREADCRUMB_DATA}
    if isinstance(data.get("url"), str):
        kept["url"] = _without_query(data["url"])
    return kept


def _breadcrumb(crumb):
    """A breadcrumb as it may leave (see ``KEPT_BREADCRUMB``)."""
    if not isinstance(crumb, Mapping):
        return {}
    if str(crumb.get("category", "")).startswith("wagtail_qf"):
        return _scrub(crumb)
    kept = {key: value for key, value in crumb.items() if key in KEPT_BREADCRUMB}
    if data := _kept_data(crumb.get("data")):
        kept["data"] = data
    return kept


def _span(span):
    """A transaction's span as it may leave (tracing on): an outgoing call's address without its
    query, a cache or Redis command without its key (a session's key), SQL as it is (its values
    are never sent); of the fields and tags, those of a breadcrumb."""
    if not isinstance(span, Mapping):
        return {}
    kept = {key: value for key, value in span.items() if key not in ("description", "data", "tags")}
    op, description = str(span.get("op", "")), span.get("description")
    if isinstance(description, str) and not op.startswith(("db.redis", "cache")):
        if op.startswith("http"):
            method, _, url = description.partition(" ")
            description = f"{method} {_without_query(url)}"
        kept["description"] = description
    for key in ("data", "tags"):
        if fields := _kept_data(span.get(key)):
            kept[key] = fields
    return kept


def database_error(exc: BaseException) -> str:
    """What a log may say of a database error: its class and SQLSTATE, never its text, which
    PostgreSQL writes with the failing row (« Failing row contains (…) »: the family's names,
    dates of birth, quotient)."""
    code = getattr(exc.__cause__, "sqlstate", "") or getattr(exc, "sqlstate", "") or "-"
    return f"{type(exc).__name__} sqlstate={code}"


class TracebackFormatter(logging.Formatter):
    """A log formatter whose tracebacks name each exception's class and frames, never its text:
    a database error's text carries the failing row (« Failing row contains (…) »), another
    library's may carry an address with its query. For the site's ``LOGGING``."""

    def format(self, record) -> str:
        record.exc_text = None  # never the traceback another handler wrote, with the texts
        return super().format(record)

    def formatException(self, ei) -> str:
        chain, error = [], ei[1]
        while error is not None and error not in chain:
            chain.append(error)
            error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
        blocks = [
            "Traceback (most recent call last):\n"
            + "".join(traceback.format_tb(error.__traceback__))
            + f"{type(error).__module__}.{type(error).__qualname__}"
            + (f" sqlstate={error.sqlstate}" if getattr(error, "sqlstate", None) else "")
            for error in reversed(chain)
        ]
        return "\n\nThen, while handling it:\n".join(blocks)


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
    exceptions = (event.get("exception") or {}).get("values") or []
    # A database error's text is the failing row: its chain leaves with its types only.
    from_database = any(str(error.get("module", "")).startswith(DATABASE_MODULES) for error in exceptions)
    for exception in exceptions:
        if from_database and "value" in exception:
            exception["value"] = FILTERED
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    if isinstance(event.get("spans"), list):
        event["spans"] = [_span(span) for span in event["spans"]]
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, Mapping) and isinstance(breadcrumbs.get("values"), list):
        event["breadcrumbs"] = {
            **breadcrumbs,
            "values": [_breadcrumb(crumb) for crumb in breadcrumbs["values"]],
        }
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
