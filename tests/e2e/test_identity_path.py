"""The path without FranceConnect in Chromium: the commune combobox, with and without JavaScript."""

import pytest

from wagtail_qf.models import Submission

pytestmark = pytest.mark.e2e


@pytest.fixture
def identity_page(make_qf_page):
    return make_qf_page(allow_identity_form=True)


def fill_identity(page):
    page.fill("#id_nom_naissance", "Dupont")
    page.fill("#id_prenoms", "Paul Louis")
    page.check("#id_sexe_1")
    page.fill("#id_jour", "15")
    page.fill("#id_mois", "6")
    page.fill("#id_annee", "1980")
    page.check("#id_lieu_0")


def test_combobox_with_keyboard(browser_page, live_site, identity_page, screenshot):
    page = browser_page
    page.goto(live_site.url + identity_page.url)
    page.click("text=Continuer sans FranceConnect")
    assert page.url.endswith("/sans-franceconnect/")
    fill_identity(page)
    assert page.is_hidden("#id_pays")  # born in France: no country asked
    combo = page.locator("#id_commune_recherche")
    assert combo.get_attribute("role") == "combobox"
    assert combo.get_attribute("aria-expanded") == "false"
    assert page.is_hidden("[data-qf-communes-button]")
    combo.type("rennes")
    page.wait_for_selector("#id_commune_recherche-listbox [role=option]")
    assert combo.get_attribute("aria-expanded") == "true"
    assert combo.get_attribute("aria-controls") == "id_commune_recherche-listbox"
    page.wait_for_function("document.querySelector('[role=status]').textContent.includes('trouvée')")
    combo.press("ArrowDown")
    active = combo.get_attribute("aria-activedescendant")
    assert active == "id_commune_recherche-listbox-0"
    assert page.get_attribute(f"#{active}", "aria-selected") == "true"
    screenshot(page, "identite-1-combobox")
    combo.press("Enter")
    assert combo.get_attribute("aria-expanded") == "false"
    assert combo.input_value() == "Rennes (35)"
    assert page.input_value("input[type=hidden][name=commune]") == "35238"
    page.click("text=Rechercher mon quotient familial")
    assert page.url.endswith("/quotient/")
    assert "Votre quotient familial de" in page.inner_text(".qf-value")
    page.locator("input[name=children]").first.check()
    page.check("input[name=confirm]")
    page.click("text=Transmettre mes données")
    assert page.url.endswith("/confirmation/")
    assert Submission.objects.get().source == "identity"


def test_escape_closes_the_list(browser_page, live_site, identity_page):
    page = browser_page
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    assert page.is_hidden("#id_commune_recherche") and page.is_hidden("#id_pays")
    page.check("#id_lieu_1")  # abroad: the country, not the commune
    assert page.is_visible("#id_pays") and page.is_hidden("#id_commune_recherche")
    page.check("#id_lieu_0")
    combo = page.locator("#id_commune_recherche")
    combo.type("chatillon e")
    page.wait_for_selector("#id_commune_recherche-listbox [role=option]")
    combo.press("Escape")
    assert combo.get_attribute("aria-expanded") == "false"


def test_commune_search_without_javascript(browser_page_without_js, live_site, identity_page, screenshot):
    page = browser_page_without_js
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    fill_identity(page)
    page.fill("#id_commune_recherche", "rennes")
    page.click("text=Rechercher la commune")
    screenshot(page, "identite-2-sans-js")
    page.check("text=Rennes (35)")
    page.click("text=Rechercher mon quotient familial")
    assert page.url.endswith("/quotient/")
    assert "Votre quotient familial de" in page.inner_text(".qf-value")
