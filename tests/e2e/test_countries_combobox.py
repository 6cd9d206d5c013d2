"""The country of birth in Chromium: the <select> becomes the same ARIA combobox as the
commune (one script, wagtail_qf/communes.js), and stays a plain <select> without JavaScript."""

import pytest

from .test_identity_path import fill_identity

pytestmark = pytest.mark.e2e


@pytest.fixture(params=["standalone", "dsfr"])
def design(request):
    return request.param


def born_abroad(page):
    page.click("label[for=id_lieu_1]")  # the label: DSFR draws its own radio buttons


@pytest.fixture
def identity_page(make_qf_page):
    return make_qf_page(allow_identity_form=True)


def test_country_combobox_with_keyboard(browser_page, live_site, identity_page, axe, screenshot):
    page = browser_page
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    born_abroad(page)
    combo = page.locator("#id_pays")
    assert combo.evaluate("el => el.tagName") == "INPUT"
    assert combo.get_attribute("role") == "combobox"
    assert combo.get_attribute("aria-controls") == "id_pays-listbox"
    assert page.locator("select[name=pays]").count() == 0
    combo.type("zaire")
    page.wait_for_selector("#id_pays-listbox [role=option]")
    assert combo.get_attribute("aria-expanded") == "true"
    status = page.locator("[data-qf-combobox] [role=status]")
    page.wait_for_function(
        "document.querySelector('[data-qf-combobox] [role=status]').textContent.includes('1 pays trouvé')"
    )
    combo.press("ArrowDown")
    assert combo.get_attribute("aria-activedescendant") == "id_pays-listbox-0"
    screenshot(page, "identite-3-pays")
    assert axe(page) == []
    combo.press("Enter")
    assert combo.input_value() == "Congo (République démocratique) – Zaïre"
    assert page.input_value("input[type=hidden][name=pays]") == "99312"
    assert "choisi" in status.text_content()
    # The commune's combobox still works beside it.
    page.click("label[for=id_lieu_0]")
    commune = page.locator("#id_commune_recherche")
    commune.type("rennes")
    page.wait_for_selector("#id_commune_recherche-listbox [role=option]")
    commune.press("ArrowDown")
    commune.press("Enter")
    assert page.input_value("input[type=hidden][name=commune]") == "35238"


def test_chosen_country_is_kept_after_an_error(browser_page, live_site, identity_page):
    page = browser_page
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    born_abroad(page)
    page.locator("#id_pays").type("suede")
    page.wait_for_selector("#id_pays-listbox [role=option]")
    page.locator("#id_pays").press("ArrowDown")
    page.locator("#id_pays").press("Enter")
    page.click("text=Envoyer ma demande")  # the name is missing: the form comes back
    assert page.locator("#id_pays").input_value() == "Suède"
    assert page.input_value("input[type=hidden][name=pays]") == "99104"


@pytest.mark.parametrize("design", ["standalone"], indirect=True)
def test_country_select_without_javascript(browser_page_without_js, live_site, identity_page):
    page = browser_page_without_js
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    fill_identity(page)
    page.check("#id_lieu_1")
    page.select_option("#id_pays", label="Suède")
    assert page.locator("#id_pays option").count() > 230
    assert page.input_value("#id_pays") == "99104"
