"""A citizen completes the journey in Chromium, against the development providers."""

import pytest

from wagtail_qf.models import Submission

pytestmark = pytest.mark.e2e


def start(browser_page, live_site, page):
    browser_page.goto(live_site.url + page.url)
    browser_page.click("button.fr-connect")
    assert "Choisissez une identité de test" in browser_page.content()


def choose(browser_page, identity):
    browser_page.check(f"#identity-{identity}")
    browser_page.click("button[name=login]")


def test_citizen_transmits_two_of_three_children(browser_page, live_site, qf_page, screenshot):
    browser_page.goto(live_site.url + qf_page.url)
    screenshot(browser_page, "1-accueil")
    browser_page.click("button.fr-connect")
    screenshot(browser_page, "2-franceconnect")
    choose(browser_page, "sans_nom_dusage")

    assert browser_page.url.endswith("/consentement/")
    assert "Paul Louis DUPONT" in browser_page.inner_text(".qf-identity")
    screenshot(browser_page, "3-consentement")
    browser_page.click('text="Continuer"')

    assert "Votre quotient familial de" in browser_page.inner_text(".qf-value")
    screenshot(browser_page, "4-quotient")
    boxes = browser_page.locator("input[name=children]")
    assert boxes.count() == 3
    boxes.nth(0).check()
    boxes.nth(2).check()
    browser_page.check("input[name=confirm]")
    browser_page.click("text=Transmettre mes données")

    assert browser_page.url.endswith("/confirmation/")
    reference = browser_page.inner_text(".qf-reference")
    screenshot(browser_page, "5-confirmation")
    submission = Submission.objects.get(reference=reference)
    assert [c["prenoms"] for c in submission.children] == ["JEAN", "LEA"]

    browser_page.click("text=Se déconnecter de FranceConnect")
    assert browser_page.url.endswith("?deconnexion=1")
    assert "Vous êtes déconnecté" in browser_page.content()


@pytest.mark.parametrize(
    "identity, text, shot",
    [
        ("inconnu", "ne connaissent pas de dossier", "erreur-inconnu"),
        ("indisponible", "momentanément indisponible", "erreur-indisponible"),
    ],
)
def test_error_journeys(browser_page, live_site, qf_page, screenshot, identity, text, shot):
    start(browser_page, live_site, qf_page)
    choose(browser_page, identity)  # straight to the error: nothing to check
    assert text in browser_page.inner_text("main")
    screenshot(browser_page, shot)
    assert Submission.objects.count() == 0


def test_cancelled_login(browser_page, live_site, qf_page, screenshot):
    start(browser_page, live_site, qf_page)
    browser_page.click("button[name=cancel]")
    assert "Vous avez annulé la connexion" in browser_page.inner_text("main")
    screenshot(browser_page, "erreur-annulation")
    browser_page.click("text=Réessayer de se connecter")
    assert "Choisissez une identité de test" in browser_page.content()
