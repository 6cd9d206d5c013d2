"""« Suivre ma demande » in a browser (issue 18): after a transmission with FranceConnect, a new
login on the follow-up page lists the dossier with the agent's message; axe finds nothing on
the page, logged out or in, in both designs."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings

from wagtail_qf.dossiers import history, messages
from wagtail_qf.models import DossierDocument, Submission

from ..documents.files import pdf
from .test_webmaster_and_agent import admin_login

pytestmark = pytest.mark.e2e

MESSAGE = "Merci d'envoyer l'attestation de la CAF de mars."


@pytest.fixture(params=["standalone", "dsfr"])
def design(request):
    return request.param


def test_the_follow_up_page_after_franceconnect(browser_page, live_site, qf_page, axe, screenshot, design):
    page = browser_page
    page.goto(live_site.url + qf_page.url)
    page.click("button.fr-connect")
    page.check("#identity-sans_nom_dusage")
    page.click("button[name=login]")
    page.click('text="Continuer"')
    page.locator("label[for=id_children_0]").click()
    page.locator("label[for=id_confirm]").click()
    page.click("text=Transmettre mes données")
    dossier = Submission.objects.get(reference=page.inner_text(".qf-reference"))
    agent = get_user_model().objects.create_user("agent-suivi")
    history.change_status(dossier, "awaiting", agent)
    messages.send_message(dossier, agent, MESSAGE, status="awaiting")
    page.click("text=Se déconnecter de FranceConnect")

    page.goto(live_site.url + qf_page.url + "suivi/")
    assert page.inner_text("h1") == "Suivre ma demande"
    assert axe(page) == []
    page.fill("#id_email", "pas-une-adresse")
    page.click("button[value=courriel]")
    page.locator("#id_email-errors").wait_for()  # the page the form's answer draws
    assert axe(page) == []

    page.click("button.fr-connect")
    page.check("#identity-sans_nom_dusage")
    page.click("button[name=login]")
    page.wait_for_url("**/suivi/")
    text = page.inner_text("main")
    assert dossier.reference in text and "En attente de compléments" in text and MESSAGE in text
    assert axe(page) == []
    screenshot(page, f"{design}-suivi")


@pytest.mark.parametrize("design", ["standalone"])
def open_by_emailed_link(page, live_site, qf_page, email_address):
    """Ask for the follow-up link of ``email_address``'s dossiers, then open it from the e-mail."""
    mail.outbox.clear()
    page.goto(live_site.url + qf_page.url + "suivi/")
    page.fill("#id_email", email_address)
    page.click("button[value=courriel]")
    page.locator("[role=status]").wait_for()
    (email,) = mail.outbox
    link = urlsplit(re.search(r"http://\S+", email.body).group(0))
    page.goto(f"{live_site.url}{link.path}?{link.query}")  # the site's host is the live server's
    page.click("button[value=lien]")
    page.locator(".qf-dossier").wait_for()


def test_complements_through_an_emailed_link(
    browser_page, live_site, make_submission, qf_page, axe, tmp_path
):
    dossier = make_submission(qf_page, without_franceconnect=True, email="famille@example.org")
    agent = get_user_model().objects.create_user("agent-complements")
    history.change_status(dossier, "awaiting", agent)
    messages.send_message(dossier, agent, MESSAGE, status="awaiting")
    page = browser_page
    open_by_emailed_link(page, live_site, qf_page, "famille@example.org")
    assert MESSAGE in page.inner_text("main")
    attestation = tmp_path / "attestation.pdf"
    attestation.write_bytes(pdf())
    private = {"DOCUMENTS": {"DIRECTORY": str(tmp_path / "private")}}
    with override_settings(WAGTAIL_QF={**settings.WAGTAIL_QF, **private}):
        page.fill("textarea[name=message]", "Voici l'attestation.")
        page.set_input_files("input[name=files]", str(attestation))
        page.click("button[value=complements]")
        page.wait_for_url("**/suivi/?complements=envoyes")
    assert "Vos compléments ont été envoyés à la mairie." in page.inner_text("main")
    assert axe(page) == []
    dossier.refresh_from_db()
    assert dossier.status == "received"
    assert [d.original_name for d in DossierDocument.objects.filter(submission=dossier)] == [
        "attestation.pdf"
    ]


@pytest.mark.parametrize("design", ["dsfr"])
def test_the_conversation_from_the_agent_to_the_family_and_back(
    browser_page, browser_page_without_js, live_site, make_submission, qf_page, django_user_model, tmp_path
):
    """Issue 18's whole loop, each person in their own browser: the agent asks for complements
    on the dossier page → the family reads the e-mail, asks for a link, opens it and sends a
    PDF (without JavaScript) → the agent sees the document and closes the dossier."""
    dossier = make_submission(qf_page, without_franceconnect=True, email="famille@example.org")
    django_user_model.objects.create_superuser("sandrine", "s@mairie.test", "motdepasse")
    agent, family = browser_page, browser_page_without_js
    private = {"DOCUMENTS": {"DIRECTORY": str(tmp_path / "private")}}
    with override_settings(WAGTAIL_QF={**settings.WAGTAIL_QF, **private}):
        admin_login(agent, live_site, "sandrine", "motdepasse")
        agent.goto(f"{live_site.url}/admin/quotients-familiaux/inspect/{dossier.pk}/")
        side = agent.get_by_role("complementary", name="Traitement du dossier")
        side.get_by_label("Nouveau statut").select_option("awaiting")
        side.get_by_label("Message (facultatif)").fill(MESSAGE)
        side.get_by_role("button", name="Modifier le statut").click()
        agent.wait_for_selector(".qf-history >> text=En attente de compléments")

        (asked,) = [email for email in mail.outbox if MESSAGE in email.body]
        assert asked.to == ["famille@example.org"] and "suivi/" in asked.body
        follow_up = urlsplit(re.search(r"http://\S+suivi/", asked.body).group(0))
        family.goto(live_site.url + follow_up.path)
        family.fill("#id_email", "famille@example.org")
        family.click("button[value=courriel]")
        family.locator("[role=status]").wait_for()
        (link_email,) = [email for email in mail.outbox if email is not asked and "suivi/?" in email.body]
        link = urlsplit(re.search(r"http://\S+", link_email.body).group(0))
        family.goto(f"{live_site.url}{link.path}?{link.query}")
        family.click("button[value=lien]")
        assert MESSAGE in family.inner_text("main")
        attestation = tmp_path / "attestation.pdf"
        attestation.write_bytes(pdf())
        family.fill("textarea[name=message]", "Voici l'attestation.")
        family.set_input_files("input[name=files]", str(attestation))
        family.click("button[value=complements]")
        assert "Vos compléments ont été envoyés à la mairie." in family.inner_text("main")

        agent.reload()
        assert agent.get_by_role("link", name="attestation.pdf").count() == 1
        assert "Voici l'attestation." in agent.inner_text(".qf-history")
        side.get_by_label("Nouveau statut").select_option("closed")
        side.get_by_role("button", name="Modifier le statut").click()
        agent.wait_for_selector(".qf-history >> text=Clos")
    dossier.refresh_from_db()
    assert dossier.status == "closed"
