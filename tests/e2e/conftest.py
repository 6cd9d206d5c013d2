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


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_site(live_server, transactional_db):
    """The example site on a live server, with the development providers on."""
    base = live_server.url
    qf = {
        "DEV_PROVIDERS": True,
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
    with override_settings(DEBUG=True, WAGTAIL_QF=qf):
        yield live_server


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
