"""System checks of the app's own settings.

Development providers with ``DEBUG=False`` are refused twice: at start-up
(``ready()`` raises, so no WSGI worker ever serves them) and as a system check.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .conf import qf_settings
from .ratelimit import proxy_network

DEV_PROVIDERS_IN_PRODUCTION = (
    "WAGTAIL_QF['DEV_PROVIDERS'] is on while DEBUG is False: the development "
    "FranceConnect and API Particulier fakes must never run in production."
)


def refuse_dev_providers_in_production():
    if qf_settings.DEV_PROVIDERS and not settings.DEBUG:
        raise ImproperlyConfigured(DEV_PROVIDERS_IN_PRODUCTION)


@checks.register(checks.Tags.security, deploy=False)
def check_settings(app_configs=None, **kwargs):
    errors = []
    fc = qf_settings.FRANCECONNECT
    if qf_settings.DEV_PROVIDERS and not settings.DEBUG:
        errors.append(checks.Error(DEV_PROVIDERS_IN_PRODUCTION, id="wagtail_qf.E001"))
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
    if fc["SIGN_ALGO"] not in ("ES256", "RS256"):
        errors.append(
            checks.Error(
                "WAGTAIL_QF['FRANCECONNECT']['SIGN_ALGO'] must be ES256 or RS256.",
                id="wagtail_qf.E003",
            )
        )
    return errors


@checks.register(checks.Tags.database)
def check_database_vendor(app_configs=None, databases=None, **kwargs):
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
