"""A PostgreSQL that restarts (maintenance, a fail-over) under a running server: the production
settings keep each thread's connection for a minute (``CONN_MAX_AGE``), so the next request
must find out that its connection is gone and open another, not fail on it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

SCRIPT = """
import os
from wsgiref.util import setup_testing_defaults

import psycopg
from django.core.wsgi import get_wsgi_application
from django.db import connection

application = get_wsgi_application()


def health():
    # As gunicorn calls the application: Django's request signals included.
    environ = {"PATH_INFO": "/qf/sante/", "HTTP_HOST": "qf.example.org", "wsgi.url_scheme": "https"}
    setup_testing_defaults(environ)
    body = application(environ, lambda status, headers: None)
    try:
        return b"".join(body).decode()
    finally:
        body.close()


print(health())
# The server ends this process's connection, as a restart of PostgreSQL does.
with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
    admin.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
print(health())
"""


def test_a_request_after_a_database_restart_opens_a_new_connection(redis_url):
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        pytest.skip("needs a PostgreSQL server (runs in the PostgreSQL pass)")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "qf.example.org",
        "REDIS_URL": redis_url,
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ['{"status": "ok"}', '{"status": "ok"}'], result.stderr[-2000:]
