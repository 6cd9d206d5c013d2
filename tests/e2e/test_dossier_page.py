"""The agent's dossier page in Chromium (issue 19): two columns, the side panel with the
actions and the history, the PDF button readable, nothing axe-core can fault."""

import pytest

from .test_webmaster_and_agent import admin_login

pytestmark = pytest.mark.e2e


@pytest.fixture
def dossier(qf_page, make_submission):
    return make_submission(
        qf_page,
        birthplace="35238",
        birthcountry="99100",
        email="famille@example.org",
        email_origin="franceconnect",
        tariff_bracket="C",
        allocataires=[{"nom_naissance": "DUPONT", "prenoms": "PAUL LOUIS", "date_naissance": "1980-06-15"}],
    )


@pytest.fixture
def agent_page(browser_page, live_site, django_user_model):
    django_user_model.objects.create_superuser(
        "sandrine", "s@mairie.test", "motdepasse", first_name="Sandrine"
    )
    admin_login(browser_page, live_site, "sandrine", "motdepasse")
    return browser_page


def open_dossier(page, live_site, dossier):
    page.goto(f"{live_site.url}/admin/quotients-familiaux/inspect/{dossier.pk}/")
    page.wait_for_selector("main h1, main h2")


def test_the_pdf_button_shows_its_text_beside_a_small_icon(agent_page, live_site, dossier):
    """Its icon once drew at 300×150 px and hid the text: an empty box."""
    page = agent_page
    open_dossier(page, live_site, dossier)
    button = page.get_by_role("link", name="Télécharger le récapitulatif (PDF)")
    icon = button.locator("svg").bounding_box()
    assert icon["width"] <= 24 and icon["height"] <= 24
    text = button.locator("text=Télécharger le récapitulatif (PDF)")
    assert text.is_visible()
    box = button.bounding_box()
    assert box["height"] <= 60  # one line of text, not an empty 150 px high box


def test_the_data_on_the_left_the_side_panel_on_the_right_one_column_when_narrow(
    agent_page, live_site, dossier, axe, screenshot
):
    page = agent_page
    open_dossier(page, live_site, dossier)
    side = page.get_by_role("complementary", name="Traitement du dossier")
    side.get_by_label("Nouveau statut").select_option("in_progress")
    side.get_by_label("Message (facultatif)").fill("Votre dossier est pris en charge.")
    side.get_by_role("button", name="Modifier le statut").click()
    page.wait_for_selector(".qf-history >> text=Reçu > En cours")
    side.get_by_label("Commentaire interne").fill("Attestation vérifiée.")
    side.get_by_role("button", name="Ajouter le commentaire").click()
    page.wait_for_selector(".qf-history >> text=Attestation vérifiée.")
    data = page.locator(".qf-dossier__data").bounding_box()
    panel = side.bounding_box()
    assert panel["x"] >= data["x"] + data["width"] and abs(panel["y"] - data["y"]) < 5
    for action in ("Modifier le statut", "Envoyer le message", "Ajouter le commentaire"):
        assert side.get_by_role("button", name=action).is_visible()
    assert side.get_by_role("heading", name="Historique").is_visible()
    assert axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 2600})  # the whole dossier in the picture
    screenshot(page, "admin-3-dossier-complet")

    page.set_viewport_size({"width": 600, "height": 900})
    # Both boxes in one frame: Wagtail's menu folds away with a transition.
    data, panel = page.evaluate(
        """() => ['.qf-dossier__data', '.qf-dossier__side'].map((selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return {x: box.x, y: box.y, width: box.width, height: box.height};
        })"""
    )
    assert panel["y"] >= data["y"] + data["height"] and abs(panel["x"] - data["x"]) < 1
    assert abs(panel["width"] - data["width"]) < 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe(page) == []


def test_the_comment_counter_says_what_is_left_politely(agent_page, live_site, dossier):
    page = agent_page
    open_dossier(page, live_site, dossier)
    count = page.locator("#id_comment_count")
    assert count.get_attribute("aria-live") == "polite"
    assert count.inner_text() == "Il reste 500 caractères."
    page.get_by_label("Commentaire interne").fill("x" * 499)
    assert count.inner_text() == "Il reste 1 caractère."
    page.wait_for_function("document.querySelector('#id_comment_count .w-sr-only').textContent !== ''")
    assert count.locator(".w-sr-only").inner_text() == "Il reste 1 caractère."


def test_the_headings_follow_each_other_in_order(agent_page, live_site, dossier):
    page = agent_page
    open_dossier(page, live_site, dossier)
    levels = page.evaluate(
        """() => [...document.querySelectorAll('main h1, main h2, main h3, main h4, main [role=heading]')]
            .filter((h) => h.offsetParent !== null)
            .map((h) => Number(h.getAttribute('aria-level') || h.tagName.slice(1)))"""
    )
    assert levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:], strict=False))
