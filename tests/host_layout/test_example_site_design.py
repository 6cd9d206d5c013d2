"""The example site wears the State's design by default (issue 20); the standalone one stays a setting away."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).parents[2]


def example_site_layout(settings_module: str, **env) -> str:
    code = "import django; django.setup(); from wagtail_qf.design import layout_template; print(layout_template())"
    environ = {key: value for key, value in os.environ.items() if key != "QF_DESIGN"}
    environ.update(DJANGO_SETTINGS_MODULE=settings_module, DJANGO_SECRET_KEY="x" * 50, **env)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("settings_module", ["example_site.settings.dev", "example_site.settings.production"])
def test_the_example_site_is_in_the_dsfr_design_when_django_dsfr_is_installed(settings_module):
    assert example_site_layout(settings_module) == "wagtail_qf/dsfr/layout.html"


def test_the_standalone_design_stays_selectable():
    assert (
        example_site_layout("example_site.settings.dev", QF_DESIGN="standalone") == "wagtail_qf/layout.html"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("design", "header"), [("dsfr", "fr-header"), ("standalone", "qf-header")])
def test_the_site_own_pages_wear_the_same_layout(client, home_page, design, header):
    with override_settings(WAGTAIL_QF={"DESIGN": design}):
        html = client.get(home_page.url).content.decode()
    assert header in html and "<h1>Accueil</h1>" in html
