"""Starts the independent OpenID provider (panva's ``oidc-provider``, from npm) on loopback.

``npm install`` runs here when ``node_modules`` is missing, so the README's
test command needs nothing else. Without Node.js the tests are skipped with a
clear reason (CI has Node.js).
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).resolve().parent
CLIENT_ID = "wagtail-qf-tests"
CLIENT_SECRET = "wagtail-qf-tests-secret-0123456789"
REDIRECT_URI = "http://testserver/qf/franceconnect/callback/"
POST_LOGOUT_URI = "http://testserver/qf/franceconnect/logout/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider():
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("Node.js is not installed: the independent OpenID provider cannot run")
    if not (HERE / "node_modules" / "oidc-provider").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, timeout=300)
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": REDIRECT_URI,
        "POST_LOGOUT_URI": POST_LOGOUT_URI,
    }
    process = subprocess.Popen(
        [node, "server.mjs"],
        cwd=HERE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}/api/v2"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"oidc-provider did not start:\n{output}")
            time.sleep(0.1)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def provider_settings(oidc_provider, settings):
    settings.WAGTAIL_QF = {
        "FRANCECONNECT": {
            "DISCOVERY_URL": f"{oidc_provider}/.well-known/openid-configuration",
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
        },
        "API_PARTICULIER": {"BASE_URL": "https://particulier.test", "BACKOFF_SECONDS": 0},
    }
    return oidc_provider
