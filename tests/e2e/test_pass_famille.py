"""Pass Famille in Chromium, against the development providers: a tax-data page (DGFiP gateway)
and a crèche page (API Particulier's EAJE endpoint), their partial and blocking failures, in both
designs (standalone and DSFR), each with axe-core finding no violation."""

import pytest
from django.conf import settings
from django.test import override_settings

from wagtail_qf.models import Submission, TariffBracket

from .test_citizen_journey import choose, start

pytestmark = pytest.mark.e2e


@pytest.fixture(params=["standalone", "dsfr"])
def design(request):
    return request.param


@pytest.fixture
def dgfip_site(live_site):
    """The live site with the development DGFiP gateway as the settings' gateway."""
    base = live_site.url
    dgfip = {
        "BASE_URL": f"{base}/dev/dgfip/impotparticulier/1.0",
        "TOKEN_URL": f"{base}/dev/dgfip/token",
        "CLIENT_ID": "e2e-dgfip",
        "CLIENT_SECRET": "e2e-dgfip-secret",
        # No ID_TELESERVICE: Django's development server drops headers whose name holds "_".
        "BACKOFF_SECONDS": 0,
        "MAX_RETRIES": 0,
    }
    with override_settings(WAGTAIL_QF={**settings.WAGTAIL_QF, "DGFIP": dgfip}):
        yield live_site


@pytest.fixture
def tax_page(dgfip_site, make_qf_page):
    """As the demo's: tax data required, the QF optional, brackets on the income per part."""
    page = make_qf_page(
        slug="tarifs-avis-impot",
        require_qf=False,
        source_dgfip=True,
        require_dgfip=True,
        dgfip_family_situation=True,
        collect_children=False,
        bracket_basis="rfr_per_part",
    )
    for order, (label, low, high) in enumerate([("Tarif 1", 0, 8000), ("Tarif 2", 8001, None)]):
        TariffBracket.objects.create(page=page, sort_order=order, label=label, qf_min=low, qf_max=high)
    return page


def no_violation(axe, browser_page):
    violations = axe(browser_page)
    assert violations == [], violations


def test_tax_data_journey(browser_page, dgfip_site, tax_page, axe, screenshot, design):
    start(browser_page, dgfip_site, tax_page)
    choose(browser_page, "sans_nom_dusage")
    assert browser_page.url.endswith("/consentement/")
    assert "Votre revenu fiscal de référence" in browser_page.inner_text("main")
    no_violation(axe, browser_page)
    browser_page.click('text="Continuer"')

    main = browser_page.inner_text("main")
    assert "Vos données fiscales" in main and "Revenu fiscal de référence : 52" in main
    assert "Votre tranche tarifaire : Tarif 2. Elle est calculée sur votre revenu fiscal de référence" in main
    screenshot(browser_page, f"pass-famille-impots-{design}")
    no_violation(axe, browser_page)
    browser_page.click("label[for=id_confirm]")  # DSFR draws its own box
    browser_page.click("text=Transmettre mes données")

    assert browser_page.url.endswith("/confirmation/")
    dossier = Submission.objects.get(reference=browser_page.inner_text(".qf-reference"))
    assert dossier.tax_data["nb_parts"] == 4.0 and dossier.tariff_bracket == "Tarif 2"
    assert dossier.qf_value is not None  # the optional QF was obtained too


def test_tax_data_not_available_blocks_the_transmission(
    browser_page, dgfip_site, tax_page, axe, screenshot, design
):
    start(browser_page, dgfip_site, tax_page)
    choose(browser_page, "impots_indisponible")  # the gateway answers 503
    main = browser_page.inner_text("main")
    assert "Vos données n'ont pas pu être obtenues" in main
    assert "Le service de l'administration fiscale est momentanément indisponible." in main
    assert "Rien n'a été transmis à la commune" in main
    screenshot(browser_page, f"pass-famille-impots-erreur-{design}")
    no_violation(axe, browser_page)
    assert not Submission.objects.exists()


def test_creche_journey(browser_page, live_site, make_qf_page, axe, screenshot, design):
    page = make_qf_page(slug="creche", source_qf=False, require_qf=False, source_eaje=True, require_eaje=True)
    start(browser_page, live_site, page)
    choose(browser_page, "sans_nom_dusage")
    assert "participation en crèche" in browser_page.inner_text("main")
    no_violation(axe, browser_page)
    browser_page.click('text="Continuer"')

    main = browser_page.inner_text("main")
    assert "Votre participation en crèche" in main and "Ressources annuelles retenues" in main
    screenshot(browser_page, f"pass-famille-creche-{design}")
    no_violation(axe, browser_page)
    browser_page.click("label[for=id_children_0]")
    browser_page.click("label[for=id_confirm]")  # DSFR draws its own box
    browser_page.click("text=Transmettre mes données")

    assert browser_page.url.endswith("/confirmation/")
    dossier = Submission.objects.get(reference=browser_page.inner_text(".qf-reference"))
    assert dossier.eaje_data["nombre_enfants_a_charge"] == 3 and len(dossier.children) == 1


def test_creche_page_with_optional_tax_data_not_obtained(
    browser_page, dgfip_site, make_qf_page, axe, screenshot, design
):
    """Partial success: the crèche data are there, the optional tax data are not (the gateway
    answers 503); the citizen is told, may try again, and may transmit what was obtained."""
    page = make_qf_page(
        slug="creche-impots",
        source_qf=False,
        require_qf=False,
        source_eaje=True,
        require_eaje=True,
        source_dgfip=True,
        collect_children=False,  # the development identities with a DGFiP error have no child
    )
    start(browser_page, dgfip_site, page)
    choose(browser_page, "impots_indisponible")
    browser_page.goto(dgfip_site.url + page.url + "quotient/")
    main = browser_page.inner_text("main")
    assert "Votre participation en crèche" in main and "Données non obtenues" in main
    assert "Le service de l'administration fiscale est momentanément indisponible." in main
    screenshot(browser_page, f"pass-famille-creche-partiel-{design}")
    no_violation(axe, browser_page)

    browser_page.click("text=Réessayer d'obtenir ces données")  # still down: the same page again
    assert browser_page.url.endswith("/quotient/")
    assert "Données non obtenues" in browser_page.inner_text("main")
    browser_page.click("label[for=id_confirm]")  # DSFR draws its own box
    browser_page.click("text=Transmettre mes données")

    assert browser_page.url.endswith("/confirmation/")
    dossier = Submission.objects.get(reference=browser_page.inner_text(".qf-reference"))
    assert dossier.eaje_data is not None and dossier.tax_data is None
    assert dossier.missing_sources["dgfip"]["code"] == "provider_error"


def test_creche_data_not_obtained_blocks_the_transmission(browser_page, live_site, make_qf_page, axe, design):
    page = make_qf_page(slug="creche", source_qf=False, require_qf=False, source_eaje=True, require_eaje=True)
    start(browser_page, live_site, page)
    choose(browser_page, "indisponible")
    main = browser_page.inner_text("main")
    assert "Vos données n'ont pas pu être obtenues" in main
    assert "Transmettre mes données" not in main
    no_violation(axe, browser_page)
    assert not Submission.objects.exists()
