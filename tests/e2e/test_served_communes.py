"""An intercommunal page in a browser: the commune of residence is chosen before FranceConnect."""

import pytest

from wagtail_qf.models import Submission

from ..factories import serve_communes

pytestmark = pytest.mark.e2e

FIFTEEN = [
    "35238",
    "35051",
    "35001",
    "35024",
    "35047",
    "35055",
    "35066",
    "35076",
    "35281",
    "35353",
    "35334",
    "35210",
    "35240",
    "35196",
    "35363",
]


@pytest.fixture(params=["standalone", "dsfr"])
def design(request):
    return request.param


@pytest.fixture
def epci_page(make_qf_page):
    return serve_communes(
        make_qf_page(commune_name="Rennes Métropole", commune_cog="35238", commune_postcode="35000"), FIFTEEN
    )


def test_search_works_without_javascript(browser_page_without_js, live_site, epci_page, design):
    page = browser_page_without_js
    page.goto(live_site.url + epci_page.url)
    page.fill("#id_commune_recherche", "cesson sevigne")
    page.click("text=Rechercher")
    page.check("text=Cesson-Sévigné (35510)")
    page.click("button.fr-connect")
    assert "/dev/franceconnect/" in page.url


def test_choice_search_then_franceconnect(browser_page, live_site, epci_page, axe, screenshot, design):
    qf_page = epci_page
    page = browser_page
    page.goto(live_site.url + qf_page.url)
    assert axe(page) == []
    page.click("button.fr-connect")  # no choice: an error, linked from a summary
    assert page.locator("#erreurs").is_visible()
    assert "Choisissez votre commune de résidence." in page.inner_text("#commune-choix-errors")
    assert page.title().startswith("Erreur")
    assert axe(page) == []
    page.fill("#id_commune_recherche", "35510 CESSON SEVIGNE")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in the search field searches
    assert page.locator("input[name=commune]").count() == 1
    page.check("text=Cesson-Sévigné (35510)")
    assert axe(page) == []
    screenshot(page, f"commune-choix-{design}")
    page.click("button.fr-connect")
    page.check("#identity-sans_nom_dusage")
    page.click("button[name=login]")
    assert "Commune de Cesson-Sévigné (35510)" in page.inner_text("main")
    page.click('text="Continuer"')
    assert "Commune : Cesson-Sévigné (35510)" in page.inner_text("main")
    page.click("label[for=id_children_0]")
    page.click("label[for=id_confirm]")
    page.click("text=Transmettre mes données")
    submission = Submission.objects.get()
    assert (submission.commune_cog, submission.commune_name) == ("35051", "Cesson-Sévigné")
