"""The citizen pages inside a site's own base template (issue 20): WAGTAIL_QF["BASE_TEMPLATE"] and the adapters."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.template.loader import get_template
from django.test import override_settings
from wagtail.models import Site

from wagtail_qf.design import layout_template

from ..factories import family_result

pytestmark = pytest.mark.django_db

HOSTS = Path(__file__).parent / "templates"
CITIZEN_TEMPLATES = Path(__file__).parents[2] / "wagtail_qf" / "templates" / "wagtail_qf"


@pytest.fixture
def host_templates(settings):
    """The two host base templates of this folder: a `wagtail start` site's, sites-conformes' stand-in."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [HOSTS, *settings.TEMPLATES[0]["DIRS"]]}]


def titles(html: str) -> list[str]:
    return [" ".join(t.split()) for t in re.findall(r"<title>(.*?)</title>", html, re.S)]


def before_header(html: str, header: str) -> str:
    """The body's text before the host's header: where a misplaced title would be printed."""
    body = html.split("<body>", 1)[1].split(header, 1)[0]
    return re.sub(r"<[^>]+>", "", body)


def in_container(html: str, container: str, text: str) -> bool:
    return text in html.split(container, 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("path", ["", "consentement/"])
def test_the_steps_render_inside_the_host_base_template(client, qf_page, logged_in, host_templates, path):
    logged_in(qf_page, family_result())
    with override_settings(WAGTAIL_QF={"BASE_TEMPLATE": "wagtail_qf/hosts/base_adapter.html"}):
        html = client.get(qf_page.url + path).content.decode()
    step = "Transmettre mon quotient familial" if not path else "Vérifiez les données à transmettre"
    site_name = Site.objects.get(is_default_site=True).site_name
    assert titles(html) == [f"{step} – {qf_page.title}" + (f" – {site_name}" if site_name else "")]
    assert "Menu de la ville hôte" in html and "Pied de page de la ville hôte" in html
    assert "qf-header" not in html and "fr-header" not in html  # the host's header only
    assert "Texte de la page d'accueil de l'hôte" not in html  # the host's content block is ours
    assert before_header(html, '<header class="host-header">').split() == ["Aller", "au", "contenu"]
    assert in_container(html, '<main id="host-main" class="host-container">', f"<h1>{step}</h1>")


def test_a_step_adds_its_head_to_the_host_head(client, make_qf_page, host_templates):
    page = make_qf_page(allow_identity_form=True)
    with override_settings(WAGTAIL_QF={"BASE_TEMPLATE": "wagtail_qf/hosts/base_adapter.html"}):
        html = client.get(page.url + "sans-franceconnect/").content.decode()
    head = html.split("</head>", 1)[0]
    assert "wagtail_qf/communes.js" in head and "/static/ville-hote.css" in head  # the host's own kept


def test_the_sites_conformes_adapter_uses_its_title_header_and_footer(client, qf_page, host_templates):
    with override_settings(WAGTAIL_QF={"BASE_TEMPLATE": "wagtail_qf/hosts/sites_conformes.html"}):
        html = client.get(qf_page.url).content.decode()
    site_name = Site.objects.get(is_default_site=True).site_name
    assert titles(html) == [
        f"Transmettre mon quotient familial – {qf_page.title}" + (f" — {site_name}" if site_name else "")
    ]
    assert "Menu du site conforme" in html and "Pied de page du site conforme" in html
    assert before_header(html, '<header role="banner"').split() == ["Contenu"]
    assert in_container(html, '<main id="content" role="main">', '<div id="contenu" class="fr-container')


def test_the_sites_conformes_title_comes_from_its_settings(qf_page, rf, host_templates):
    """Its site title (CmsDsfrConfig, through Wagtail's settings context processor), not Wagtail's site name."""
    config = {"sites_conformes_content_manager": {"CmsDsfrConfig": {"site_title": "Mairie de Sainte-Hôte"}}}
    html = get_template("wagtail_qf/hosts/sites_conformes.html").template.render(
        _context(rf, qf_page, settings=config)
    )
    assert titles(html) == ["— Mairie de Sainte-Hôte"]


def _context(rf, page, **extra):
    from django.template import RequestContext

    request = rf.get(page.url)
    return RequestContext(request, {"page": page, **extra})


def test_sites_conformes_adapter_is_chosen_when_it_is_installed(monkeypatch):
    installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name == "sites_conformes.core" or installed(name))
    with override_settings(WAGTAIL_QF={"DESIGN": "auto"}):
        assert layout_template() == "wagtail_qf/hosts/sites_conformes.html"
    with override_settings(WAGTAIL_QF={"DESIGN": "standalone"}):
        assert layout_template() == "wagtail_qf/layout.html"
    with override_settings(WAGTAIL_QF={"BASE_TEMPLATE": "commune/qf.html"}):
        assert layout_template() == "commune/qf.html"


@pytest.mark.parametrize(("design", "layout"), [("dsfr", "dsfr/layout.html"), ("standalone", "layout.html")])
def test_without_base_template_the_design_chooses_the_layout(design, layout):
    with override_settings(WAGTAIL_QF={"DESIGN": design}):
        assert layout_template() == f"wagtail_qf/{layout}"


def test_no_citizen_template_fills_a_block_name_of_the_host():
    """``title``, ``content``, ``extra_head``... belong to the host's base template: ours are ``qf_``-prefixed."""
    host_names = re.compile(r"{%\s*block\s+(title|content|extra_head|extra_css|extra_js)\s*%}")
    offenders = [
        str(path.relative_to(CITIZEN_TEMPLATES))
        for path in CITIZEN_TEMPLATES.rglob("*.html")
        if path.parts[len(CITIZEN_TEMPLATES.parts)] not in ("admin", "hosts", "panels", "emails")
        and host_names.search(path.read_text())
    ]
    assert offenders == []
