"""Test settings: the example site, with fake upstream hosts faked by respx."""

import os

from example_site.settings.base import *  # noqa: F401,F403
from example_site.settings.base import DATABASES, INSTALLED_APPS

DEBUG = False
SECRET_KEY = "tests-only-secret-key-" + "y" * 30
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

INSTALLED_APPS = (
    ["example_site.devproviders"]
    + INSTALLED_APPS
    + ["wagtail_modeladmin", "wagtail_qf.contrib.modeladmin", "dsfr", "widget_tweaks", "tests.testapp"]
)

if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
else:  # PostgreSQL (scripts/with-postgres): no persistent connection outliving a test
    DATABASES["default"]["CONN_MAX_AGE"] = 0

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

FC_ISSUER = "https://fc.test/api/v2"
WAGTAIL_QF = {
    # django-dsfr is installed for its own tests; the other tests use the standalone design.
    "DESIGN": "standalone",
    "FRANCECONNECT": {
        "DISCOVERY_URL": f"{FC_ISSUER}/.well-known/openid-configuration",
        "CLIENT_ID": "test-client-id",
        "CLIENT_SECRET": "test-client-secret",
    },
    "API_PARTICULIER": {
        "BASE_URL": "https://particulier.test",
        "TOKEN": "test-api-particulier-token",
        "BACKOFF_SECONDS": 0,
    },
}
