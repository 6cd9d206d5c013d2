"""The development providers never run in production.

They answer only in a development configuration: ``DEBUG`` and the example site's
``DEV_PROVIDERS`` setting both on, a settings module that is not a production one, and
``ALLOWED_HOSTS`` naming only this machine (a development server reached from elsewhere would let
anyone log in as any test identity). Checked per request, and with ``DEV_PROVIDERS`` on in any
other configuration the site refuses twice: at start-up (``DevProvidersConfig.ready`` raises, so
no WSGI worker ever serves them) and as a system check.
"""

from functools import wraps

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

IN_PRODUCTION = (
    "DEV_PROVIDERS is on while {reason}: the development FranceConnect, API Particulier and "
    "DGFiP fakes must never run in production."
)
# The hosts of this machine only (Django's own defaults with DEBUG and an empty ALLOWED_HOSTS,
# and the test client's).
LOCAL_HOSTS = {"localhost", ".localhost", "127.0.0.1", "::1", "[::1]", "testserver"}


def _requested() -> bool:
    return bool(getattr(settings, "DEV_PROVIDERS", False))


def _is_local(host: str) -> bool:
    host = host.lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost")


def production_reason() -> str:
    """Why this configuration is not a development one ("" when it is)."""
    if not settings.DEBUG:
        return "DEBUG is False"
    return public_site_reason()


def public_site_reason() -> str:
    """Why this site may be a production one whatever ``DEBUG`` says ("" when it is not): a
    production settings module, or ``ALLOWED_HOSTS`` naming other hosts than this machine."""
    module = getattr(settings, "SETTINGS_MODULE", "") or ""
    if "production" in module.split("."):
        return f"the settings module is {module}"
    public = [host for host in settings.ALLOWED_HOSTS if not _is_local(host)]
    if public:
        return f"ALLOWED_HOSTS lets other hosts than this machine in ({', '.join(public)})"
    return ""


def refuse_in_production() -> None:
    reason = _requested() and production_reason()
    if reason:
        raise ImproperlyConfigured(IN_PRODUCTION.format(reason=reason))


def check_not_in_production(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    reason = _requested() and production_reason()
    if reason:
        return [checks.Error(IN_PRODUCTION.format(reason=reason), id="devproviders.E001")]
    return []


def enabled() -> bool:
    """Whether the development providers may answer now."""
    return _requested() and not production_reason()


def dev_only(view):
    """404 unless the development providers are on in a development configuration, checked per
    request."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not enabled():
            raise Http404("development providers are off")
        return view(request, *args, **kwargs)

    return wrapper
