"""The reference production settings share one cache between workers (Redis): a client's
requests are counted by every worker together, and each citizen apart behind the proxy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

WORKER = """
import sys
import django
django.setup()
from django.conf import settings
from django.test import RequestFactory, override_settings
from wagtail_qf.ratelimit import is_limited

print(settings.CACHES["default"]["BACKEND"], settings.SESSION_ENGINE)
limits = {**settings.WAGTAIL_QF, "RATE_LIMITS": {"login": (20, 10**9)}}  # one window for the whole test
with override_settings(WAGTAIL_QF=limits):
    for citizen, count in zip(sys.argv[1::2], sys.argv[2::2]):
        request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=citizen)
        print(" ".join("limited" if is_limited(request, "login") else "ok" for _ in range(int(count))))
"""


def worker(redis_url, *citizens):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "REDIS_URL": redis_url,
    }
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", WORKER, *citizens],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_production_workers_share_the_rate_limits_through_redis(redis_url):
    first = worker(redis_url, "203.0.113.7", "15")
    assert (
        first[0] == "django.core.cache.backends.redis.RedisCache django.contrib.sessions.backends.cached_db"
    )
    assert first[1].split() == ["ok"] * 15
    second = worker(redis_url, "203.0.113.7", "7", "198.51.100.1", "1")  # another worker process
    assert second[1].split() == ["ok"] * 5 + ["limited"] * 2  # 20 a minute in all, not per worker
    assert second[2].split() == ["ok"]  # another citizen behind the same proxy
