"""The production settings' logs: a server error or a refused host leaves a line for the IT
provider (Django writes them only with DEBUG otherwise), and never a database error's text,
which PostgreSQL writes with the failing row (the family's names, birth date, quotient)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import logging
import django
django.setup()
from django.db import IntegrityError
from django.test import Client

client = Client(raise_request_exception=False)
# No database here (an empty folder): the page cannot be served, the site answers 500.
print(client.get("/quotient-familial/?lien=s3cr3t-l1nk", HTTP_HOST="qf.example.org", secure=True).status_code)
print(client.get("/", HTTP_HOST="evil.example", secure=True).status_code)
try:
    try:
        raise ValueError('null value in column "page_id" DETAIL: Failing row contains (DUPONT, 1980-06-15)')
    except ValueError as cause:
        raise IntegrityError('null value in column "page_id" DETAIL: Failing row contains (DUPONT, 1980-06-15)') from cause
except IntegrityError:
    logging.getLogger("django.request").exception("Internal Server Error: %s", "/quotient-familial/quotient/")
"""


def run_production(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "qf.example.org",
        "QF_VAR_DIR": str(tmp_path),  # an empty SQLite database
        "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens there
    }
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "SENTRY_DSN"):
        environment.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split(), result.stderr


def test_production_logs_server_errors_and_refused_hosts(tmp_path):
    statuses, log = run_production(tmp_path)
    assert statuses == ["500", "400"]
    assert "Internal Server Error: /quotient-familial/" in log
    assert "Traceback" in log  # where it failed
    assert "Invalid HTTP_HOST header: 'evil.example'" in log
    assert "s3cr3t-l1nk" not in log  # the path, never the query


def test_production_logs_a_database_error_without_its_text(tmp_path):
    _, log = run_production(tmp_path)
    assert "Internal Server Error: /quotient-familial/quotient/" in log
    assert "django.db.utils.IntegrityError" in log and "ValueError" in log  # the chain, by class
    assert "DUPONT" not in log and "1980-06-15" not in log


def test_the_formatter_never_reuses_a_traceback_written_with_the_texts():
    """A handler before ours (another formatter) leaves its traceback on the record: ours writes
    its own."""
    import logging

    from wagtail_qf.observability import TracebackFormatter

    row = "Failing row contains (DUPONT)"
    try:
        raise ValueError(row)
    except ValueError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x",), sys.exc_info()
        )
    assert "DUPONT" in logging.Formatter().format(record)
    text = TracebackFormatter().format(record)
    assert "Internal Server Error: /x" in text and "builtins.ValueError" in text
    assert "DUPONT" not in text
