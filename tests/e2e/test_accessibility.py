"""Accessibility of the citizen pages: axe-core finds nothing, the keyboard and a
browser without JavaScript are enough to complete the journey."""

import pytest

from wagtail_qf.models import Submission

pytestmark = pytest.mark.e2e


def assert_accessible(axe, page, name):
    violations = axe(page)
    assert violations == [], f"{name}: {violations}"


def to_provider(page, live_site, qf_page):
    page.goto(live_site.url + qf_page.url)
    page.click("button.fr-connect")


def test_every_citizen_page_has_no_axe_violation(browser_page, live_site, qf_page, axe):
    page = browser_page
    page.goto(live_site.url + qf_page.url)
    assert_accessible(axe, page, "start")
    page.click("button.fr-connect")
    page.check("#identity-sans_nom_dusage")
    page.click("button[name=login]")
    assert_accessible(axe, page, "consent")
    page.click('text="Continuer"')
    assert_accessible(axe, page, "quotient")
    page.click("text=Transmettre mes données")  # without the confirmation box: errors shown
    assert page.locator("#confirm-errors").is_visible()
    assert_accessible(axe, page, "quotient with errors")
    page.check("input[name=confirm]")
    page.check("input[name=no_child]")  # asked with the errors: no child ticked
    page.click("text=Transmettre mes données")
    assert_accessible(axe, page, "confirmation")
    page.click("text=Se déconnecter de FranceConnect")
    assert_accessible(axe, page, "logged out")


@pytest.mark.parametrize("identity", ["inconnu", "indisponible", "jeton_refuse"])
def test_error_pages_have_no_axe_violation(browser_page, live_site, qf_page, axe, identity):
    to_provider(browser_page, live_site, qf_page)
    browser_page.check(f"#identity-{identity}")
    browser_page.click("button[name=login]")  # straight to the error: nothing to check
    assert "Votre quotient familial n'a pas pu être obtenu" in browser_page.inner_text("h1")
    assert_accessible(axe, browser_page, identity)


def test_login_error_page_has_no_axe_violation(browser_page, live_site, qf_page, axe):
    to_provider(browser_page, live_site, qf_page)
    browser_page.click("button[name=cancel]")
    assert_accessible(axe, browser_page, "login error")


def _tab_to(page, selector, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the keyboard")


def test_journey_with_the_keyboard_only(browser_page, live_site, qf_page):
    page = browser_page
    page.goto(live_site.url + qf_page.url)
    _tab_to(page, "button.fr-connect")
    page.keyboard.press("Enter")
    page.wait_for_url("**/authorize?**")
    _tab_to(page, "#identity-test")  # the first radio of the provider's list
    page.keyboard.press("ArrowDown")  # next identity: the DUPONT family
    _tab_to(page, "button[name=login]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/consentement/")
    _tab_to(page, "form:has(input[name=email]) button[type=submit]")  # « Continuer », after the address
    page.keyboard.press("Enter")
    page.wait_for_url("**/quotient/")
    _tab_to(page, "input[name=children]")
    page.keyboard.press("Space")
    _tab_to(page, "input[name=confirm]")
    page.keyboard.press("Space")
    _tab_to(page, "button[type=submit].qf-button:not(.qf-button--secondary)")
    page.keyboard.press("Enter")
    page.wait_for_url("**/confirmation/")
    submission = Submission.objects.get(reference=page.inner_text(".qf-reference"))
    assert len(submission.children) == 1


def test_journey_without_javascript(browser_page_without_js, live_site, qf_page):
    page = browser_page_without_js
    page.goto(live_site.url + qf_page.url)
    page.click("button.fr-connect")
    page.check("#identity-test_ELSA")
    page.click("button[name=login]")
    page.click('text="Continuer"')
    assert "Source : MSA" in page.inner_text("main")
    page.locator("input[name=children]").nth(1).check()
    page.check("input[name=confirm]")
    page.click("text=Transmettre mes données")
    assert page.url.endswith("/confirmation/")
    submission = Submission.objects.get(reference=page.inner_text(".qf-reference"))
    assert submission.qf_provider == "MSA" and len(submission.children) == 1
    page.click("text=Se déconnecter de FranceConnect")
    assert "Vous êtes déconnecté" in page.inner_text("main")


def test_axe_does_report_violations(browser_page, axe):
    """The checker itself works: an image without alt text and an unlabeled field are found."""
    browser_page.set_content(
        '<html lang="fr"><body><main><img src="x.png"><input type="text"></main></body></html>'
    )
    found = {violation["id"] for violation in axe(browser_page)}
    assert {"image-alt", "label"} <= found
