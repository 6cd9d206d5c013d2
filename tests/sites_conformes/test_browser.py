"""In a browser: the QF page inside the sites-conformes site has no axe violation, and its
screenshot for the README (header, menus, our content, footer)."""

from pathlib import Path

import pytest
from django.test import override_settings

from ..e2e.conftest import dev_providers
from .conftest import SITE_TITLE

pytestmark = pytest.mark.e2e

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "sites-conformes-qf.png"


@pytest.fixture
def live_site(live_server, transactional_db):
    """The site on a live server, with the development providers on (as tests/e2e's)."""
    qf = dev_providers(live_server.url)
    with override_settings(DEBUG=True, DEV_PROVIDERS=True, WAGTAIL_QF=qf):
        yield live_server


def test_the_qf_page_inside_the_site_has_no_axe_violation(browser_page, live_site, qf_page, axe):
    browser_page.goto(live_site.url + qf_page.url)
    assert browser_page.title().endswith(f"— {SITE_TITLE}")
    assert browser_page.locator("header.fr-header .fr-header__service-title").inner_text() == SITE_TITLE
    assert browser_page.locator("#fr-navigation").get_by_role("link", name="Quotient familial").is_visible()
    assert browser_page.locator("footer.fr-footer").get_by_role("link", name="Mentions légales").is_visible()
    assert axe(browser_page) == []
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    browser_page.screenshot(path=str(SCREENSHOT), full_page=True)

    # The next steps, in its layout too.
    browser_page.click("button.fr-connect")
    browser_page.check("#identity-sans_nom_dusage")
    browser_page.click("button[name=login]")
    browser_page.wait_for_url("**/consentement/")
    assert axe(browser_page) == []
    browser_page.click('text="Continuer"')
    browser_page.wait_for_url("**/quotient/")
    assert axe(browser_page) == []
    browser_page.click("label[for=id_confirm]")
    browser_page.click("label[for=id_children_0]")
    browser_page.click("text=Transmettre mes données")
    browser_page.wait_for_url("**/confirmation/")
    assert browser_page.locator("main#content h1").is_visible()
    assert axe(browser_page) == []
