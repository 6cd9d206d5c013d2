"""The benchmark settings with sessions in the cache backed by the database (cached_db),
as recommended for production: the citizen steps read the session, a plain page does not."""

from benchmarks.settings import *  # noqa: F401,F403

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
