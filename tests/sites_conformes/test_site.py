"""wagtail-qf in a real sites-conformes site (issue 20): the QF page inside its layout, the
citizen journey with the development providers, the inbox in its Wagtail admin."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from wagtail_qf.design import layout_template
from wagtail_qf.models import Submission

from ..fakes.devproviders import SETTINGS, bridge
from .conftest import SITE_TAGLINE, SITE_TITLE

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_the_sites_conformes_adapter_is_chosen_on_its_own():
    assert layout_template() == "wagtail_qf/hosts/sites_conformes.html"


def test_the_qf_page_renders_inside_the_site_layout(client, qf_page):
    html = client.get(qf_page.url).content.decode()
    assert re.findall(r"<title>(.*?)</title>", html, re.S) == [
        f"Transmettre mon quotient familial – {qf_page.title} — {SITE_TITLE}"
    ]
    assert html.count("<main") == 1 and html.count("<header") == 1 and html.count("<footer") == 1
    # Its header: its site title and tagline (Configuration du site), its main menu.
    header = text(between(html, '<header role="banner" class="fr-header">', "</header>"))
    assert SITE_TITLE in header and SITE_TAGLINE in header
    menu = text(between(html, 'id="fr-navigation" aria-label="Menu principal">', "</nav>"))
    assert menu == "Accueil Contact Quotient familial"
    # Its footer: the legal pages and its sitemap.
    footer = text(between(html, '<footer class="fr-footer"', "</footer>"))
    assert (
        "Mentions légales" in footer and "Déclaration d’accessibilité" in footer and "Plan du site" in footer
    )
    # Our content in a container of its <main>; none of our own header or footer.
    main = between(html, '<main id="content" role="main">', "</main>")
    assert main.split()[:3] == ["<div", 'id="contenu"', 'class="fr-container']
    assert "<h1>Transmettre mon quotient familial</h1>" in main
    assert "qf-header" not in html and "qf-footer" not in html
    # Its skip links first: to its <main id="content">.
    assert between(html, "<body>", "<header").count('href="#content"') == 1


def test_the_citizen_journey_end_to_end(client, qf_page, respx_mock):
    """Start → FranceConnect (development provider) → consent → quotient → transmit → confirmation."""
    bridge(respx_mock)
    with override_settings(DEBUG=True, DEV_PROVIDERS=True, WAGTAIL_QF=SETTINGS):
        authorize = client.get(qf_page.url + "connexion/")["Location"]
        params = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
        callback = client.post(authorize, {**params, "identity": "sans_nom_dusage", "login": ""})["Location"]
        assert client.get(callback)["Location"] == qf_page.url + "consentement/"
        consent = client.get(qf_page.url + "consentement/").content.decode()
        assert "Paul Louis DUPONT" in consent and SITE_TITLE in consent
        quotient = client.get(qf_page.url + "quotient/")
        form = quotient.context["form"]
        children = [key for key, _label in form.fields["children"].choices]
        done = client.post(
            qf_page.url + "quotient/",
            {"form_token": form.initial["form_token"], "children": children[:1], "confirm": "on"},
        )
        confirmation = client.get(done["Location"]).content.decode()
    submission = Submission.objects.get()
    assert submission.family_name == "DUPONT" and submission.page_id == qf_page.pk
    assert submission.reference in text(between(confirmation, '<main id="content" role="main">', "</main>"))
    assert f"— {SITE_TITLE}</title>" in confirmation


def test_the_inbox_in_its_admin_lists_the_dossier(client, qf_page, make_submission):
    submission = make_submission(qf_page)
    admin = get_user_model().objects.create_superuser("webmestre", "webmestre@example.org", "x" * 16)
    client.force_login(admin)
    html = client.get(reverse("wagtail_qf_submissions:index")).content.decode()
    assert submission.reference in html
    assert reverse("wagtail_qf_submissions:inspect", args=[submission.pk]) in html
    # Its admin: its own stylesheet (sites_conformes.dashboard's hook) and its path.
    assert "/static/css/admin.css" in html
    assert reverse("wagtail_qf_submissions:index").startswith("/cms-admin/")
