"""Benchmark settings: the example site as in production (DEBUG off), SQLite file or DATABASE_URL."""

import os

from example_site.settings.base import *  # noqa: F401,F403
from example_site.settings.base import DATABASES, INSTALLED_APPS, MIDDLEWARE, VAR_DIR

DEBUG = False
SECRET_KEY = "benchmarks-only-" + "z" * 40
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["example_site.devproviders"] + INSTALLED_APPS
# The second yardstick of the submission POST (bookkeeping.py): only its form page's POSTs.
MIDDLEWARE = [*MIDDLEWARE, "benchmarks.bookkeeping.BookkeepingFormPost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "bench.sqlite3")}}
DATABASES["default"]["CONN_MAX_AGE"] = 60
WAGTAIL_QF = {
    "FRANCECONNECT": {
        "DISCOVERY_URL": "https://fc.bench/api/v2/.well-known/openid-configuration",
        "CLIENT_ID": "bench",
        "CLIENT_SECRET": "bench",
    },
    "API_PARTICULIER": {"BASE_URL": "https://particulier.bench"},
    "RATE_LIMITS": {"login": (10**9, 60), "transmit": (10**9, 60)},
}
