"""With django-dsfr, the citizen pages use the State's design system, still accessible."""

import pytest

from wagtail_qf.models import Submission

pytestmark = pytest.mark.e2e


@pytest.fixture
def design():
    return "dsfr"


def test_dsfr_journey_is_accessible(browser_page, live_site, qf_page, axe, screenshot):
    page = browser_page
    page.goto(live_site.url + qf_page.url)
    assert page.locator("link[href*='dsfr']").count() >= 1
    assert page.locator("header.fr-header .fr-logo").is_visible()
    assert page.locator(".fr-connect").is_visible()
    assert axe(page) == []
    screenshot(page, "dsfr-1-accueil")
    page.click("button.fr-connect")
    page.check("#identity-sans_nom_dusage")
    page.click("button[name=login]")
    assert axe(page) == []
    page.click('text="Continuer"')
    assert axe(page) == []
    page.locator("label[for=id_children_0]").click()
    page.locator("label[for=id_confirm]").click()
    page.click("text=Transmettre mes données")
    assert page.url.endswith("/confirmation/")
    assert axe(page) == []
    screenshot(page, "dsfr-5-confirmation")
    assert Submission.objects.get(reference=page.inner_text(".qf-reference")).children
