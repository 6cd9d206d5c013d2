from benchmarks.settings import *  # noqa
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
