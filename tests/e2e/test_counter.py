"""Counter mode in Chromium: an agent creates a dossier for a family at the town hall (issue 15).

The live site's development API Particulier knows Paul Louis DUPONT (3 children) and
answers 404 for Jeanne INCONNUE."""

import re

import pytest

from wagtail_qf.dossiers import history
from wagtail_qf.models import DossierLogEntry, Submission

from ..factories import AgentFactory
from .test_webmaster_and_agent import admin_login

pytestmark = pytest.mark.e2e


@pytest.fixture
def agent(home_page, qf_page):
    """An agent of the commune: edits its pages, may create dossiers."""
    return AgentFactory(
        username="accueil",
        password="motdepasse",  # noqa: S106 -- a test password
        first_name="Nadia",
        last_name="Accueil",
        pages=[home_page],
        perms=("add_submission", "change_submission"),
    )


def fill_identity(page, family_name, first_names, sex, day, month, year, commune):
    page.fill("#id_nom_naissance", family_name)
    page.fill("#id_prenoms", first_names)
    page.check(f"#id_sexe_{0 if sex == 'F' else 1}")
    page.fill("#id_jour", day)
    page.fill("#id_mois", month)
    page.fill("#id_annee", year)
    page.check("#id_lieu_0")
    combo = page.locator("#id_commune_recherche")
    combo.type(commune)
    page.wait_for_selector("#id_commune_recherche-listbox [role=option]")
    combo.press("ArrowDown")
    combo.press("Enter")


def test_agent_creates_a_dossier_at_the_counter(browser_page, live_site, qf_page, agent, axe, screenshot):
    page = browser_page
    admin_login(page, live_site, "accueil", "motdepasse")
    page.click("text=Quotients familiaux")
    page.click("text=Nouveau dossier au guichet")
    page.wait_for_url("**/guichet/")
    assert page.locator("#id_commune_recherche").get_attribute("role") == "combobox"  # same autocomplete
    assert axe(page) == []

    fill_identity(page, "Dupont", "Paul Louis", "M", "15", "6", "1980", "rennes")
    assert page.input_value("input[type=hidden][name=commune]") == "35238"
    screenshot(page, "guichet-1-identite")
    page.click("button:has-text('Rechercher le quotient familial')")
    page.wait_for_url("**/guichet/resultat/")
    main = page.inner_text("main")
    assert re.fullmatch(r"1\s\d{3} €", page.inner_text(".qf-value"))  # the family's QF, shown to the agent
    assert "MARIE DUPONT (MARTIN)" in main
    page.check("text=JEAN DUPONT")
    page.check("text=LEA DUPONT")
    page.fill("#id_email", "famille.dupont@example.fr")
    screenshot(page, "guichet-2-reponse")
    assert axe(page) == []
    page.click("button:has-text('Créer le dossier')")
    page.wait_for_url("**/quotients-familiaux/inspect/**")

    submission = Submission.objects.get()
    assert submission.source == "counter" and submission.entered_by == agent
    assert [c["prenoms"] for c in submission.children] == ["JEAN", "LEA"]
    assert (
        DossierLogEntry.objects.for_instance(submission).filter(action=history.COUNTER, user=agent).exists()
    )
    main = page.inner_text("main")
    assert "Saisi au guichet par Nadia Accueil" in main
    assert "Nadia Accueil a saisi le dossier au guichet" in main
    screenshot(page, "guichet-3-dossier")


def test_agent_told_when_the_caf_does_not_know_the_person(browser_page, live_site, qf_page, agent, axe):
    page = browser_page
    admin_login(page, live_site, "accueil", "motdepasse")
    page.goto(live_site.url + "/admin/quotients-familiaux/guichet/")
    fill_identity(page, "Inconnue", "Jeanne", "F", "1", "1", "1990", "paris 7")
    page.click("button:has-text('Rechercher le quotient familial')")
    page.wait_for_url("**/guichet/resultat/")
    main = page.inner_text("main")
    assert "La CAF et la MSA ne connaissent pas de dossier d'allocataire à cette identité." in main
    assert "attestation de quotient familial" in main and "Créer le dossier" not in main
    assert axe(page) == []
    page.click("text=Corriger l'identité saisie")
    assert page.input_value("#id_nom_naissance") == "Inconnue"
    assert not Submission.objects.exists()
