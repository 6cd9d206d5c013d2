"""The load balancer's health check as the README runs it, on a server started with the
production settings: ``curl -fsS http://127.0.0.1:8000/qf/sante/``, by the server's address and
over plain HTTP. It must get the health (200, or 503 naming the part), not the refusal of an
unknown Host (400: curl fails, the server is taken out although healthy) nor the redirect to
HTTPS (301: curl succeeds, the server is kept although its Redis is down)."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

SCRIPT = """
import django
django.setup()
from django.test import Client

client = Client(raise_request_exception=False)
for path in ("/qf/sante/", "/"):
    response = client.get(path, HTTP_HOST="127.0.0.1:8000")
    json = response["Content-Type"] == "application/json"
    print(response.status_code, response.content.decode() if json else "-")
"""


def ask_by_address(tmp_path, redis_url):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "qf.example.org",
        "QF_VAR_DIR": str(tmp_path),  # SQLite answers SELECT 1
        "REDIS_URL": redis_url,
    }
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "SENTRY_DSN"):
        environment.pop(name, None)
    result = subprocess.run(  # the timeout guards the test run: without an answer, it fails
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=90
    )
    assert result.returncode == 0, result.stderr
    return [line.split(" ", 1) for line in result.stdout.splitlines()]


def test_the_health_check_answers_the_load_balancer_by_address(tmp_path, redis_url):
    (health, body), (page, _) = ask_by_address(tmp_path, redis_url)
    assert health == "200"
    assert json.loads(body) == {"status": "ok"}
    assert page == "400"  # any other page still refuses a Host not in ALLOWED_HOSTS


def test_the_health_check_says_when_redis_is_down(tmp_path):
    (health, body), _ = ask_by_address(tmp_path, "redis://127.0.0.1:1/0")  # nothing listens there
    assert health == "503"
    assert json.loads(body) == {"status": "error", "failed": ["cache"]}


def test_a_redis_that_never_answers_does_not_hold_the_server(tmp_path):
    """A Redis that accepts the connection and then says nothing (stuck, or a lost network path):
    the cache gives up and the check answers 503, instead of each request waiting for ever (until
    gunicorn kills the worker, and the load balancer sees nothing but its own time-out)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # the kernel accepts the connections; nobody ever reads or answers
        port = silent.getsockname()[1]
        (health, body), _ = ask_by_address(tmp_path, f"redis://127.0.0.1:{port}/0")
    assert health == "503"
    assert json.loads(body) == {"status": "error", "failed": ["cache"]}
