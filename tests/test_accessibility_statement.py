"""The accessibility statement (issue 22, item 4): served, filled from the audit, linked from every
citizen page's footer in both designs, its contact set in ``WAGTAIL_QF["ACCESSIBILITY"]``."""

import pytest
from django.test import override_settings

from wagtail_qf import accessibility

pytestmark = pytest.mark.django_db

URL = "/qf/accessibilite/"


def test_statement_follows_the_legal_model(client, home_page):
    html = client.get(URL).content.decode()
    for part in (
        "Déclaration d'accessibilité",
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Dérogations pour charge disproportionnée",
        "Établissement de cette déclaration",
        "Technologies utilisées",
        "Environnement de test",
        "Retour d'information et contact",
        "Voies de recours",
        "Défenseur des droits",
        "Libre réponse 71120",
    ):
        assert part in html, part


@pytest.mark.parametrize("design", ["standalone", "dsfr"])
def test_statement_gives_the_rate_of_the_design_in_use(client, home_page, design):
    with override_settings(WAGTAIL_QF={"DESIGN": design}):
        html = client.get(URL).content.decode()
        rate = accessibility.audit()["designs"][design]["rate"]
        assert f"<strong>{rate:g} %</strong>".replace(".", ",") in html  # written the French way
        assert f"<strong>{accessibility.state(rate)}</strong>" in html


def test_statement_says_the_audit_is_partial_and_what_remains(client, home_page):
    html = client.get(URL).content.decode()
    remaining = accessibility.audit()["to_verify"]
    assert remaining, "the grid has no AV criterion: this test then checks nothing"
    assert "L'audit est partiel" in html
    for item in remaining:
        assert f"Critère {item['criterion']} :" in html
    assert "aucun lecteur d&#x27;écran n&#x27;a été utilisé" in html  # the environment, honestly


def test_statement_contact_comes_from_the_settings(client, home_page):
    contact = {"ENTITY": "Mairie de Cesson-Sévigné", "CONTACT_EMAIL": "accessibilite@ville.fr"}
    with override_settings(WAGTAIL_QF={"ACCESSIBILITY": contact}):
        html = client.get(URL).content.decode()
    assert "Mairie de Cesson-Sévigné s'engage à rendre" in html
    assert 'href="mailto:accessibilite@ville.fr"' in html


def test_statement_without_contact_points_to_the_town_hall(client, home_page):
    html = client.get(URL).content.decode()
    assert "Adressez-vous à la mairie" in html
    assert "mailto:" not in html


@pytest.mark.parametrize("design", ["standalone", "dsfr"])
def test_every_citizen_page_links_to_the_statement(client, qf_page, design):
    with override_settings(WAGTAIL_QF={"DESIGN": design}):
        label = f"Accessibilité : {accessibility.state(accessibility.rate())}"
        for url in (qf_page.url, URL):
            assert f'href="{URL}">{label}</a>' in client.get(url).content.decode()


def test_the_site_can_override_the_statement(client, home_page, tmp_path, settings):
    (tmp_path / "wagtail_qf").mkdir()
    (tmp_path / "wagtail_qf" / "accessibility_statement.html").write_text("Déclaration de la commune")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    assert client.get(URL).content.decode() == "Déclaration de la commune"


def test_statement_names_the_site_as_every_citizen_page_does(client, home_page, settings):
    """Without ``ENTITY``, the statement names the publisher as the pages' header does (site name, else
    ``WAGTAIL_SITE_NAME``, else host): a site ``wagtail start`` made has no name of its own."""
    from wagtail.models import Site

    Site.objects.update(site_name="")
    settings.WAGTAIL_SITE_NAME = "Ville de Montreuil"
    html = client.get(URL).content.decode()
    assert "Ville de Montreuil s'engage à rendre" in html
