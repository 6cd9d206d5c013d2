"""The development providers never run in production.

They answer only when ``DEBUG`` and the example site's ``DEV_PROVIDERS`` setting are both
on (checked per request), and with ``DEV_PROVIDERS`` on and ``DEBUG`` off the site
refuses twice: at start-up (``DevProvidersConfig.ready`` raises, so no WSGI worker ever
serves them) and as a system check.
"""

from functools import wraps

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

IN_PRODUCTION = (
    "DEV_PROVIDERS is on while DEBUG is False: the development FranceConnect and "
    "API Particulier fakes must never run in production."
)


def _requested() -> bool:
    return bool(getattr(settings, "DEV_PROVIDERS", False))


def refuse_in_production() -> None:
    if _requested() and not settings.DEBUG:
        raise ImproperlyConfigured(IN_PRODUCTION)


def check_not_in_production(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if _requested() and not settings.DEBUG:
        return [checks.Error(IN_PRODUCTION, id="devproviders.E001")]
    return []


def dev_only(view):
    """404 unless DEBUG and DEV_PROVIDERS are both on, checked per request."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (settings.DEBUG and _requested()):
            raise Http404("development providers are off")
        return view(request, *args, **kwargs)

    return wrapper
