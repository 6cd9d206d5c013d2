"""System checks of the app's own settings (registered when ``apps.ready`` imports this module)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from .conf import DEFAULTS, qf_settings
from .ratelimit import proxy_network


@checks.register(checks.Tags.security, deploy=False)
def check_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    fc = qf_settings.FRANCECONNECT
    if not fc["CLIENT_ID"] or not fc["CLIENT_SECRET"]:
        # An error in production (nobody could log in), a warning while developing.
        level, code = (checks.Warning, "W001") if settings.DEBUG else (checks.Error, "E004")
        errors.append(
            level(
                "WAGTAIL_QF['FRANCECONNECT'] has no CLIENT_ID or CLIENT_SECRET: citizens cannot log in.",
                id=f"wagtail_qf.{code}",
            )
        )
    if not settings.DEBUG and not fc["DISCOVERY_URL"].startswith("https://"):
        errors.append(
            checks.Error(
                "WAGTAIL_QF['FRANCECONNECT']['DISCOVERY_URL'] must use https in production.",
                id="wagtail_qf.E002",
            )
        )
    for proxy in qf_settings.TRUSTED_PROXIES or ():
        if proxy_network(proxy) is None:
            errors.append(
                checks.Error(
                    f"WAGTAIL_QF['TRUSTED_PROXIES'] holds {proxy!r}: an IP address or network "
                    "(CIDR) is expected, the proxy's address as the application sees it.",
                    id="wagtail_qf.E005",
                )
            )
    errors += _admin_base_url_warnings()
    errors += _shape_errors(getattr(settings, "WAGTAIL_QF", None) or {}, DEFAULTS, "WAGTAIL_QF")
    errors += _taxation_date_errors()
    errors += _hubee_errors()
    if fc["SIGN_ALGO"] not in ("ES256", "RS256"):
        errors.append(
            checks.Error(
                "WAGTAIL_QF['FRANCECONNECT']['SIGN_ALGO'] must be ES256 or RS256.",
                id="wagtail_qf.E003",
            )
        )
    return errors


# Not a commune's site: ``wagtail start``'s value (RFC 2606 names) and the machine itself.
PLACEHOLDER_HOSTS = ("example.com", "example.org", "example.net", "localhost", "127.0.0.1", "::1")


def _admin_base_url_warnings() -> list[checks.CheckMessage]:
    """The agents' e-mails and the webhooks link to ``WAGTAILADMIN_BASE_URL`` (Wagtail itself
    warns only when it is missing)."""
    url = getattr(settings, "WAGTAILADMIN_BASE_URL", None)
    host = (urlsplit(url).hostname or "") if url else ""
    if settings.DEBUG or not any(host == name or host.endswith("." + name) for name in PLACEHOLDER_HOSTS):
        return []
    return [
        checks.Warning(
            f"WAGTAILADMIN_BASE_URL is {url!r}: the links of the agents' e-mails and of the webhooks "
            "would lead there. Set it to the site's address (https://…).",
            id="wagtail_qf.W004",
        )
    ]


# Settings documented as taking None (README, « Settings »).
NULLABLE = {"BASE_TEMPLATE", "TOTAL_TIMEOUT"}


def _shape_errors(values, defaults, path) -> list[checks.CheckMessage]:
    """Keys of ``WAGTAIL_QF`` that wagtail-qf does not know (ignored: a typo?), and values of the
    wrong kind (they would fail on a citizen's request rather than at start)."""
    errors = []
    if not isinstance(values, dict):
        return [_wrong(path, values, "a dict")]
    for key, value in values.items():
        where = f"{path}[{key!r}]"
        if key not in defaults:
            errors.append(
                checks.Warning(
                    f"{where} is no setting of wagtail-qf: it is ignored (a typo? see the README, « Settings »).",
                    id="wagtail_qf.W003",
                )
            )
        elif not (value is None and key in NULLABLE):
            errors += _value_errors(key, value, defaults[key], where)
    return errors


def _value_errors(key, value, default, where) -> list[checks.CheckMessage]:
    from .models import SubmissionStatus
    from .models.documents import DOCUMENT_TYPES

    if isinstance(default, dict):
        return _shape_errors(value, default, where)
    if isinstance(default, tuple):  # a rate limit
        return [] if _is_limit(value) else [_wrong(where, value, "(requests, seconds)", f", e.g. {default}")]
    if key == "TYPES" and not (isinstance(value, list | tuple) and set(value) <= set(DOCUMENT_TYPES)):
        return [_wrong(where, value, f"a list among {', '.join(map(repr, DOCUMENT_TYPES))}")]
    if key == "STATUS_AFTER_COMPLEMENT" and value not in SubmissionStatus.values:
        return [_wrong(where, value, f"one of {', '.join(map(repr, SubmissionStatus.values))}")]
    if isinstance(default, bool):
        ok, kind = isinstance(value, bool), "True or False"
    elif isinstance(default, int | float):
        ok, kind = isinstance(value, int | float) and not isinstance(value, bool), "a number"
    elif isinstance(default, list):
        ok, kind = isinstance(value, list | tuple), "a list"
    else:
        ok, kind = isinstance(value, str), "a string"
    return [] if ok else [_wrong(where, value, kind)]


def _is_limit(limit) -> bool:
    return limit is None or (
        isinstance(limit, list | tuple)
        and len(limit) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in limit)
    )


def _wrong(where, value, kind, example="") -> checks.CheckMessage:
    return checks.Error(f"{where} is {value!r}: {kind} is expected{example}.", id="wagtail_qf.E009")


def _hubee_errors():
    """HubEE forwarding begun (its address or client id set) needs every setting it deposits with."""
    from .hubee.forwarding import FORMATS, required_settings

    conf = qf_settings.HUBEE
    if not (conf["BASE_URL"] or conf["CLIENT_ID"]):
        return []
    if conf["FORMAT"] not in FORMATS:
        return [
            checks.Error(
                f"WAGTAIL_QF['HUBEE']['FORMAT'] is {conf['FORMAT']!r}: no dossier is deposited in HubEE. "
                f"Expected one of {', '.join(FORMATS)} (see the README, « HubEE forwarding »).",
                id="wagtail_qf.E008",
            )
        ]
    return [
        checks.Error(
            f"WAGTAIL_QF['HUBEE'][{key!r}] is empty: no dossier is deposited in HubEE. "
            "PROCESS_CODE, JSON_TYPE and PDF_TYPE (and XML_TYPE with the format formulaire-qf) "
            "are what HubEE registered for the process (see the README, « HubEE forwarding »).",
            id="wagtail_qf.E007",
        )
        for key in required_settings()
        if not conf[key]
    ]


def _taxation_date_errors():
    """``WAGTAIL_QF["DGFIP"]["TAXATION_DATE"]`` must be a day written MM-DD (Pass Famille's income year)."""
    from django.core.exceptions import ImproperlyConfigured

    from .dgfip.years import taxation_day

    try:
        taxation_day(qf_settings.DGFIP["TAXATION_DATE"], 2024)  # a leap year: "02-29" is a day
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="wagtail_qf.E006")]
    return []


@checks.register(checks.Tags.database)
def check_database_vendor(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """PostgreSQL and SQLite are supported: the counts of the inbox are kept by their triggers
    (``dossiers.triggers``); on another database they would stay at zero."""
    from django.db import connections

    from .dossiers import triggers

    return [
        checks.Warning(
            f"Database {alias!r} is {connections[alias].vendor}: wagtail-qf supports PostgreSQL "
            "and SQLite only (the counts of the inbox are kept by their triggers).",
            id="wagtail_qf.W002",
        )
        for alias in databases or ()
        if not triggers.supported(connections[alias])
    ]


@checks.register(checks.Tags.database)
def check_tax_data_pages(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """A live page asking the DGFiP's tax data while ``WAGTAIL_QF["DGFIP"]`` lacks the gateway or
    its credentials: its families would each be told the commune cannot obtain their tax data.
    The page's form refuses the source then; this catches settings removed afterwards. Run by
    ``migrate`` and ``check --database``."""
    if not databases:
        return []
    from .dgfip.client import is_configured
    from .models.pages import qf_page_rows

    if is_configured():
        return []
    try:
        rows = qf_page_rows("title", "live", "source_dgfip")
    except DatabaseError:  # ``migrate`` runs the checks before it makes the tables
        return []
    return [
        checks.Warning(
            f"The live page « {row['title']} » (id {pk}) asks the DGFiP's tax data, but "
            "WAGTAIL_QF['DGFIP'] does not name the gateway and its credentials (BASE_URL, TOKEN_URL, "
            "CLIENT_ID, CLIENT_SECRET): its families cannot obtain them.",
            hint="Set WAGTAIL_QF['DGFIP'] (README, « Pass Famille »), or turn the page's tax data off.",
            id="wagtail_qf.W005",
        )
        for pk, row in rows.items()
        if row["live"] and row["source_dgfip"]
    ]
