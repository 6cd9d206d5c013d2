"""French is the source language; the English translation is complete and used."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

APP = Path(__file__).resolve().parent.parent / "wagtail_qf"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext is not installed")
def test_makemessages_finds_nothing_untranslated(tmp_path, monkeypatch):
    copy = tmp_path / "wagtail_qf"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_wrap=True, verbosity=0)
    po = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    stats = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext is not installed")
def test_compiled_catalogue_is_up_to_date(tmp_path):
    po = APP / "locale" / "en" / "LC_MESSAGES" / "django.po"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
    assert fresh.read_bytes() == (po.parent / "django.mo").read_bytes()


@pytest.mark.django_db
def test_citizen_page_in_english(client, qf_page):
    with override_settings(LANGUAGE_CODE="en"):
        html = client.get(qf_page.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in with" in html and "What is FranceConnect?" in html
    assert "Data that will be sent" in html
