"""Production settings: everything secret or site-specific comes from the environment."""

import os

from wagtail_qf.observability import init_sentry

from .base import *  # noqa: F401,F403
from .base import DSFR_APPS, INSTALLED_APPS, LOGGING, MIDDLEWARE, QF_DESIGN

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]
# The site's address in the agents' e-mails (a new dossier) and the webhooks: QF_BASE_URL, else
# the first allowed host over HTTPS (never the development default of base.py).
WAGTAILADMIN_BASE_URL = os.environ.get("QF_BASE_URL") or next(
    (f"https://{host}" for host in ALLOWED_HOSTS if not host.startswith((".", "*"))), None
)

INSTALLED_APPS = INSTALLED_APPS + DSFR_APPS
# The load balancer's health check (/qf/sante/), answered before the Host check and the
# redirect to HTTPS: it asks each server by its address, over plain HTTP.
MIDDLEWARE = ["wagtail_qf.health.HealthCheckMiddleware", *MIDDLEWARE]

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# The development providers are never served here: asking for them stops the start-up
# (example_site.devproviders.guard, as DEBUG is off).
if os.environ.get("QF_DEV_PROVIDERS") == "1":
    INSTALLED_APPS = ["example_site.devproviders"] + INSTALLED_APPS
    DEV_PROVIDERS = True

WAGTAIL_QF = {
    "DESIGN": QF_DESIGN,
    # The reverse proxy in front of gunicorn (bound to loopback): rate limits then count
    # each citizen by the X-Forwarded-For address it adds, not the proxy's.
    "TRUSTED_PROXIES": [p for p in os.environ.get("QF_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if p],
    "FRANCECONNECT": {
        "DISCOVERY_URL": os.environ.get(
            "FC_DISCOVERY_URL",
            "https://oidc.franceconnect.gouv.fr/api/v2/.well-known/openid-configuration",
        ),
        "CLIENT_ID": os.environ.get("FC_CLIENT_ID", ""),
        "CLIENT_SECRET": os.environ.get("FC_CLIENT_SECRET", ""),
    },
    "API_PARTICULIER": {
        "BASE_URL": os.environ.get("API_PARTICULIER_URL", "https://particulier.api.gouv.fr"),
        "TOKEN": os.environ.get("API_PARTICULIER_TOKEN", ""),
    },
    # Error reports (the "sentry" extra); empty: none.
    "SENTRY_DSN": os.environ.get("SENTRY_DSN", ""),
}

# Personal data is scrubbed before anything leaves (wagtail_qf.observability.scrub_event).
init_sentry(WAGTAIL_QF["SENTRY_DSN"], environment=os.environ.get("SENTRY_ENVIRONMENT", "production"))

# One cache shared by every worker and server (Redis, Debian's package, through Django's
# own backend): rate limits count a client's requests across all workers, and cached
# counts and metadata are the same everywhere (a per-process cache would multiply the
# limits by the number of workers and show stale counts).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": "qf",
        # A Redis that does not answer fails the request (and the health check) in seconds, in
        # every version of the client (redis 5 waits for ever by default).
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}
# Sessions in the database (shared by every web worker), read through the cache.
SESSION_ENGINE = os.environ.get("DJANGO_SESSION_ENGINE", "django.contrib.sessions.backends.cached_db")
SESSION_COOKIE_AGE = 60 * 60  # the citizen's identity itself expires after WAGTAIL_QF SESSION_TTL_SECONDS

# Background work (notifications, purge) in the database, run by `manage.py db_worker`.
INSTALLED_APPS = INSTALLED_APPS + ["django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "quotient-familial@localhost")

# Server errors and refused requests (a Host not in ALLOWED_HOSTS: often a proxy that does not
# pass it on) reach the console (journald) like wagtail_qf's own lines: without DEBUG, Django
# writes them nowhere. They name the path, never the query (follow-up links, FranceConnect's
# code); their tracebacks name the exceptions, never their text (a database error's is the row).
LOGGING = {
    **LOGGING,
    "formatters": {"traceback_without_text": {"()": "wagtail_qf.observability.TracebackFormatter"}},
    "handlers": {
        **LOGGING["handlers"],
        "console": {"class": "logging.StreamHandler", "formatter": "traceback_without_text"},
    },
    "loggers": {
        **LOGGING["loggers"],
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        "django.security": {"handlers": ["console"], "level": "ERROR"},
    },
}
