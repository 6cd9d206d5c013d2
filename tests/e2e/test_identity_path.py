"""The path without FranceConnect in Chromium: the commune combobox, with and without JavaScript,
and the blind transmission: a request sent, its reference, nothing of what API Particulier knows."""

import pytest

from wagtail_qf.models import Submission

pytestmark = pytest.mark.e2e

# What the development API Particulier knows of Paul Louis DUPONT's family, never to be shown.
FAMILY_VALUES = ["LUCIE", "Lucie", "MARIE", "MARTIN", "2014", "Tranche", "CAF :", "€"]


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


def fill_request(page):
    """The e-mail, one child (Jean, in the family), one not in it, and the certification."""
    page.fill("#id_email", "famille.dupont@example.org")
    page.fill("#id_enfant1_prenoms", "Jean")
    page.fill("#id_enfant1_jour", "4")
    page.fill("#id_enfant1_mois", "3")
    page.fill("#id_enfant1_annee", "2012")
    page.fill("#id_enfant2_prenoms", "Zoé")
    page.fill("#id_enfant2_jour", "1")
    page.fill("#id_enfant2_mois", "1")
    page.fill("#id_enfant2_annee", "2020")
    page.check("#id_confirm")


def assert_blind_confirmation(page):
    assert page.url.endswith("/confirmation/")
    text = page.inner_text("main")
    assert (
        "La mairie vérifie votre quotient familial auprès de la CAF ou de la MSA et vous répond par e-mail"
        in text
    )
    assert [value for value in FAMILY_VALUES if value in text] == []
    assert page.locator("text=Se déconnecter").count() == 0
    assert page.locator("text=Télécharger").count() == 0
    submission = Submission.objects.get()
    assert page.inner_text(".qf-reference") == submission.reference
    assert submission.lookup == "found" and submission.qf_value  # checked (immediate backend), not shown
    value = str(submission.qf_value)
    assert [
        v for v in (value, f"{value[:-3]}\u00a0{value[-3:]}", f"{value[:-3]} {value[-3:]}") if v in text
    ] == []
    return submission


def test_blind_path_with_keyboard_combobox(browser_page, live_site, identity_page, axe, screenshot):
    page = browser_page
    page.goto(live_site.url + identity_page.url)
    page.click("text=Continuer sans FranceConnect")
    assert page.url.endswith("/sans-franceconnect/")
    assert axe(page) == []
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
    fill_request(page)
    page.click("text=Envoyer ma demande")
    submission = assert_blind_confirmation(page)
    screenshot(page, "identite-3-confirmation")
    assert axe(page) == []
    # Checked in the background (here the immediate backend): the agent's dossier has it all.
    assert submission.source == "identity"
    assert [c["prenoms"] for c in submission.children] == ["JEAN"]
    assert [c["matched"] for c in submission.declared_children] == [True, False]


def test_errors_are_listed_and_accessible(browser_page, live_site, identity_page, axe):
    page = browser_page
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    page.fill("#id_enfant1_prenoms", "Jean")
    page.click("text=Envoyer ma demande")
    assert page.locator("#erreurs").is_visible()
    assert "Indiquez votre adresse électronique" in page.inner_text("#erreurs")
    assert "Enfant 1 : indiquez sa date de naissance complète" in page.inner_text("#erreurs")
    assert axe(page) == []
    assert Submission.objects.count() == 0


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


def test_blind_path_without_javascript(browser_page_without_js, live_site, identity_page, screenshot):
    page = browser_page_without_js
    page.goto(live_site.url + identity_page.url + "sans-franceconnect/")
    fill_identity(page)
    page.fill("#id_commune_recherche", "rennes")
    page.click("text=Rechercher la commune")
    screenshot(page, "identite-2-sans-js")
    page.check("text=Rennes (35)")
    fill_request(page)
    page.click("text=Envoyer ma demande")
    assert_blind_confirmation(page)
