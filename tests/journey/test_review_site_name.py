"""A site without a name (Wagtail's default site, ``wagtail start``) never shows the package's
name as the commune's: the citizen pages fall back to ``WAGTAIL_SITE_NAME``, then the host."""

import pytest
from wagtail.models import Site

pytestmark = pytest.mark.django_db


def _title_and_header(client, page):
    html = client.get(page.url).content.decode()
    return html.split("<title>")[1].split("</title>")[0], html


@pytest.mark.parametrize("design", ["standalone", "dsfr"])
def test_a_site_without_a_name_shows_the_wagtail_site_name(client, qf_page, settings, design):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "DESIGN": design}
    settings.WAGTAIL_SITE_NAME = "Mairie de Saint-Test"
    Site.objects.update(site_name="")
    title, html = _title_and_header(client, qf_page)
    assert title.endswith("– Mairie de Saint-Test")
    assert "wagtail-qf" not in html


def test_a_named_site_keeps_its_name(client, qf_page, settings):
    settings.WAGTAIL_SITE_NAME = "Mairie de Saint-Test"
    Site.objects.update(site_name="Cesson-Sévigné")
    title, _html = _title_and_header(client, qf_page)
    assert title.endswith("– Cesson-Sévigné")
