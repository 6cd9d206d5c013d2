"""Settings of the live server of the journey benchmark: development providers on, so DEBUG on."""

import os

from .settings import *  # noqa: F401,F403

DEBUG = True  # the development providers answer only with DEBUG on
BASE = os.environ["QF_BASE_URL"].rstrip("/")
DEV_PROVIDERS = True  # the example site's switch (example_site.devproviders.guard)
WAGTAIL_QF = {
    "FRANCECONNECT": {
        "DISCOVERY_URL": f"{BASE}/dev/franceconnect/api/v2/.well-known/openid-configuration",
        "CLIENT_ID": "bench",
        "CLIENT_SECRET": "bench",
    },
    "API_PARTICULIER": {"BASE_URL": f"{BASE}/dev/api-particulier", "TOKEN": "bench"},
    "RATE_LIMITS": {"login": (10**9, 60), "transmit": (10**9, 60)},
}
# Shared by the workers: single-use codes of the development provider, rate limits.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "qf_cache"}}
