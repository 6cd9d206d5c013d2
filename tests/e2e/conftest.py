"""Browser tests: Debian's Chromium driven by Playwright against a live example site.

The live server serves the example site with the development providers on, so
the whole journey runs in the browser with no network. Chromium comes from
Debian (``/usr/bin/chromium``); Playwright never downloads a browser.
"""

import os
from pathlib import Path

import pytest
from django.test import override_settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("QF_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, **options):
    # bypass_csp lets the tests inject axe-core; the pages' own CSP is tested elsewhere.
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1100, "height": 900}, bypass_csp=True, **options
    )
    return context, context.new_page()


@pytest.fixture
def browser_page(browser):
    context, page = _new_page(browser)
    yield page
    context.close()


@pytest.fixture
def browser_page_without_js(browser):
    context, page = _new_page(browser, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source():
    """axe-core from the npm registry, installed on first use."""
    import shutil
    import subprocess

    here = Path(__file__).resolve().parent
    script = here / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if not npm:
            pytest.skip("npm is not installed: axe-core cannot be fetched")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=here, check=True, timeout=300)
    return script.read_text()


@pytest.fixture
def axe(axe_source):
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on a page; return the violations."""

    def check(page):
        # Colours are read as drawn: a message still fading in (Wagtail's) has no contrast yet.
        page.wait_for_function(
            "() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming()"
            ".iterations === Infinity)"
        )
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]

    return check


@pytest.fixture
def design():
    return "standalone"


def dev_providers(base: str) -> dict:
    """``WAGTAIL_QF`` pointing at the development providers served by the site at ``base``."""
    return {
        "FRANCECONNECT": {
            "DISCOVERY_URL": f"{base}/dev/franceconnect/api/v2/.well-known/openid-configuration",
            "CLIENT_ID": "test-client-id",
            "CLIENT_SECRET": "test-client-secret",
        },
        "API_PARTICULIER": {
            "BASE_URL": f"{base}/dev/api-particulier",
            "TOKEN": "test-api-particulier-token",
            "BACKOFF_SECONDS": 0,
        },
    }


@pytest.fixture
def live_site(live_server, transactional_db, design):
    """The example site on a live server, with the development providers on."""
    qf = {"DESIGN": design, **dev_providers(live_server.url)}
    with override_settings(DEBUG=True, DEV_PROVIDERS=True, WAGTAIL_QF=qf):
        yield live_server


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
