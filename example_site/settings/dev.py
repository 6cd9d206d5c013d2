"""Development settings: the demo, with the development providers on."""

import os

from .base import *  # noqa: F401,F403
from .base import DSFR_APPS, INSTALLED_APPS, QF_DESIGN, WAGTAILADMIN_BASE_URL

DEBUG = True
SECRET_KEY = "django-insecure-demo-only-" + "x" * 30
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = ["example_site.devproviders"] + INSTALLED_APPS + DSFR_APPS
DEV_PROVIDERS = True  # read by example_site.devproviders only

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

DEV_BASE_URL = os.environ.get("QF_BASE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")

WAGTAIL_QF = {
    "DESIGN": QF_DESIGN,
    "FRANCECONNECT": {
        "DISCOVERY_URL": f"{DEV_BASE_URL}/dev/franceconnect/api/v2/.well-known/openid-configuration",
        "CLIENT_ID": "wagtail-qf-demo",
        "CLIENT_SECRET": "wagtail-qf-demo-secret",
    },
    "API_PARTICULIER": {
        "BASE_URL": f"{DEV_BASE_URL}/dev/api-particulier",
        "TOKEN": "demo-api-particulier-token",
        "MAX_RETRIES": 1,
    },
    # The development DGFiP gateway (example_site/devproviders/dgfip.py).
    "DGFIP": {
        "BASE_URL": f"{DEV_BASE_URL}/dev/dgfip/impotparticulier/1.0",
        "TOKEN_URL": f"{DEV_BASE_URL}/dev/dgfip/token",
        "CLIENT_ID": "wagtail-qf-demo-dgfip",
        "CLIENT_SECRET": "wagtail-qf-demo-dgfip-secret",
        # No ID_TELESERVICE: runserver drops request headers whose name holds "_" (Django's
        # guard against header spoofing), so the development gateway would never see it.
        "MAX_RETRIES": 1,
    },
}
