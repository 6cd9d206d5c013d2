"""The example production settings start, pass ``check --deploy``, and never run the
development providers (their guard itself: ``tests/devproviders/test_guard.py``)."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from wagtail_qf.checks import check_settings

ROOT = Path(__file__).resolve().parent.parent


def _start_production(**env):
    """Start Django with the example production settings in a fresh interpreter."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "qf.mairie-exemple.fr",
        **env,
    }
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # the latter is set by browser tests
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_start_without_dev_providers():
    result = _start_production()
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_production_settings_refuse_dev_providers():
    result = _start_production(QF_DEV_PROVIDERS="1")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEV_PROVIDERS" in result.stderr


def test_production_settings_pass_check_deploy():
    environment = {
        **os.environ,
        "DJANGO_SECRET_KEY": "k" * 20 + "Zq9!x" * 10,
        "DJANGO_ALLOWED_HOSTS": "qf.mairie-exemple.fr",
        "FC_CLIENT_ID": "client",
        "FC_CLIENT_SECRET": "secret",
    }
    # QF_BASE_URL: `make` gives the development server's address, which W004 rightly refuses here.
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "QF_BASE_URL"):
        environment.pop(name, None)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings",
            "example_site.settings.production",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@override_settings(
    DEBUG=False,
    WAGTAIL_QF={
        "FRANCECONNECT": {
            "DISCOVERY_URL": "http://fc.example/.well-known/x",
            "CLIENT_ID": "",
            "SIGN_ALGO": "HS256",
        }
    },
)
def test_system_checks_of_franceconnect_settings():
    ids = {e.id for e in check_settings()}
    assert {"wagtail_qf.E004", "wagtail_qf.E002", "wagtail_qf.E003"} <= ids


@override_settings(DEBUG=True, WAGTAIL_QF={"FRANCECONNECT": {"CLIENT_ID": ""}})
def test_missing_client_is_only_a_warning_while_developing():
    ids = {e.id for e in check_settings()}
    assert "wagtail_qf.W001" in ids and "wagtail_qf.E004" not in ids


def _production_setting(setting, **env):
    """``setting`` as the production settings make it from ``env`` (and nothing else of ours)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "QF_BASE_URL")
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "example_site.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
    }
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{setting})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_links_in_emails_go_to_the_site_not_to_the_development_address():
    """The agents' new-dossier e-mails link to the admin at ``WAGTAILADMIN_BASE_URL``: with the
    environment the README lists, the site's own host over HTTPS, never the demo's
    http://127.0.0.1:8000; ``QF_BASE_URL`` still chooses another."""
    assert _production_setting(
        "WAGTAILADMIN_BASE_URL", DJANGO_ALLOWED_HOSTS="qf.mairie.fr,www.qf.mairie.fr"
    ) == ("https://qf.mairie.fr")
    assert (
        _production_setting(
            "WAGTAILADMIN_BASE_URL",
            DJANGO_ALLOWED_HOSTS="qf.mairie.fr",
            QF_BASE_URL="https://admin.mairie.fr",
        )
        == "https://admin.mairie.fr"
    )
