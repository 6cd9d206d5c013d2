"""In a browser: the citizen pages inside a site's own base template, and the « Je donne mon avis »
button of the confirmation page, with no axe violation (issue 20)."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

pytestmark = pytest.mark.e2e

HOSTS = Path(__file__).parents[1] / "host_layout" / "templates"
OPINION = (
    "https://jedonnemonavis.numerique.gouv.fr/Demarches/3846?&view-mode=formulaire-avis&nd_source=button"
)


@pytest.fixture(params=["standalone", "dsfr"])
def design(request):
    return request.param


def transmit(page, live_site, qf_page):
    page.goto(live_site.url + qf_page.url)
    page.click("button.fr-connect")
    page.check("#identity-sans_nom_dusage")
    page.click("button[name=login]")
    page.click('text="Continuer"')
    page.click("label[for=id_confirm]")  # the label: the DSFR draws the box over the input
    page.click("label[for=id_children_0]")
    page.click("text=Transmettre mes données")
    page.wait_for_url("**/confirmation/")


def test_the_opinion_button_is_accessible(browser_page, live_site, make_qf_page, axe, design):
    qf_page = make_qf_page(opinion_url=OPINION)
    transmit(browser_page, live_site, qf_page)
    button = browser_page.get_by_role("link", name="Je donne mon avis")
    assert button.get_attribute("href") == OPINION
    assert axe(browser_page) == []


def test_a_step_inside_the_host_layout(browser_page, live_site, qf_page, axe, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [HOSTS, *settings.TEMPLATES[0]["DIRS"]]}]
    qf = {**django_settings.WAGTAIL_QF, "BASE_TEMPLATE": "wagtail_qf/hosts/base_adapter.html"}
    with override_settings(WAGTAIL_QF=qf):
        browser_page.goto(live_site.url + qf_page.url)
        assert browser_page.title().startswith(f"Transmettre mon quotient familial – {qf_page.title}")
        assert browser_page.locator("header.host-header").is_visible()
        assert browser_page.locator("footer.host-footer").is_visible()
        assert browser_page.locator("main#host-main h1").inner_text() == "Transmettre mon quotient familial"
        assert axe(browser_page) == []
        browser_page.click("button.fr-connect")
        browser_page.check("#identity-sans_nom_dusage")
        browser_page.click("button[name=login]")
        browser_page.wait_for_url("**/consentement/")
        assert browser_page.locator("main#host-main h1").inner_text() == "Vérifiez les données à transmettre"
        assert axe(browser_page) == []
