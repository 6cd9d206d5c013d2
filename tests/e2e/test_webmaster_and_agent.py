"""The webmaster publishes a QF page, an agent processes the dossier, in Chromium."""

import pytest

from wagtail_qf.models import QFTransmissionPage

pytestmark = pytest.mark.e2e


def admin_login(page, live_site, username, password):
    page.goto(live_site.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def test_webmaster_creates_and_publishes_a_qf_page(
    browser_page, live_site, home_page, django_user_model, screenshot
):
    django_user_model.objects.create_superuser("webmaster", "w@mairie.test", "motdepasse")
    page = browser_page
    admin_login(page, live_site, "webmaster", "motdepasse")
    page.goto(f"{live_site.url}/admin/pages/add/wagtail_qf/qftransmissionpage/{home_page.pk}/")
    page.fill("#id_title", "Quotient familial 2027")
    page.fill("#id_commune_name", "Cesson-Sévigné")
    page.fill("#id_commune_cog", "35051")
    page.fill("#id_commune_postcode", "35510")
    page.fill("#id_siret", "21350051800013")
    page.select_option("#id_month_rule", "fixed")
    page.select_option("#id_fixed_month", "1")
    screenshot(page, "admin-1-creation-page")
    page.locator("footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']").first.click()
    page.click("button[name=action-publish]")
    page.wait_for_url("**/admin/pages/**")
    created = QFTransmissionPage.objects.get(title="Quotient familial 2027")
    assert created.live and created.fixed_month == 1
    page.goto(live_site.url + created.url)
    assert "La commune retient le quotient familial de janvier" in page.inner_text("main")


def test_agent_finds_processes_and_exports_a_dossier(
    browser_page, live_site, qf_page, make_submission, django_user_model, screenshot
):
    submission = make_submission(qf_page, family_name="DUPONT", given_names="Paul Louis")
    make_submission(qf_page, family_name="MARTIN", given_names="Léa", qf_value=500)
    django_user_model.objects.create_superuser(
        "sandrine", "s@mairie.test", "motdepasse", first_name="Sandrine"
    )
    page = browser_page
    admin_login(page, live_site, "sandrine", "motdepasse")
    page.click("text=Quotients familiaux")
    page.locator("#main input[name=q], main input[name=q]").first.fill(submission.reference)
    page.keyboard.press("Enter")
    page.wait_for_selector("#listing-results >> text=MARTIN", state="detached")
    screenshot(page, "admin-2-boite-de-reception")
    page.click(f"text={submission.reference}")
    assert "Paul Louis" in page.inner_text("main")
    page.select_option("select[name=status]", "in_progress")
    page.fill(".qf-status-form textarea[name=message]", "Pris en charge")
    page.click("button[name=change_status]")
    page.fill("textarea[name=comment]", "Attestation vérifiée")
    page.click("button[name=add_comment]")
    history = page.inner_text(".qf-history")
    # Opened: « Reçu » (issue 18); then the agent's change.
    assert "Sandrine a modifié le statut : Nouveau > Reçu" in history
    assert "Sandrine a modifié le statut : Reçu > En cours" in history
    assert "Attestation vérifiée" in history
    screenshot(page, "admin-3-dossier")
    submission.refresh_from_db()
    assert submission.status == "in_progress"

    page.goto(live_site.url + "/admin/quotients-familiaux/")
    with page.expect_download() as download_info:
        page.evaluate("window.location.href = '/admin/quotients-familiaux/?export=csv'")
    content = open(download_info.value.path(), encoding="utf-8-sig").read()
    assert submission.reference in content and "MARTIN" in content
