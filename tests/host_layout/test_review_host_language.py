"""Inside a host's base template, our content is read in the visitor's language even when the
host writes another one in ``<html lang>`` (``wagtail start`` writes ``lang="en"``; the host of
these tests, a French commune's, ``lang="fr"``)."""

from pathlib import Path

import pytest
from django.test import override_settings

from ..factories import family_result
from ..journey.test_review_lang_marked import languages

pytestmark = pytest.mark.django_db

HOSTS = Path(__file__).parent / "templates"
ADAPTERS = ["wagtail_qf/hosts/base_adapter.html", "wagtail_qf/hosts/sites_conformes.html"]


@pytest.fixture
def host_templates(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [HOSTS, *settings.TEMPLATES[0]["DIRS"]]}]


@pytest.mark.parametrize("adapter", ADAPTERS)
@pytest.mark.parametrize(
    ("path", "heading", "button"),
    [
        ("", "Send my family quotient", "Data that will be sent"),
        ("quotient/", "Your family quotient", "Log out of FranceConnect"),
        ("suivi/", "Track my request", "Get a link"),
    ],
)
def test_our_english_content_is_marked_english_in_a_french_host(
    client, qf_page, logged_in, host_templates, adapter, path, heading, button
):
    logged_in(qf_page, family_result())
    client.cookies["django_language"] = "en"
    with override_settings(WAGTAIL_QF={"BASE_TEMPLATE": adapter}):
        html = client.get(qf_page.url + path).content.decode()
    assert '<html lang="fr"' in html  # the host's, written by hand
    read = languages(html)
    assert read[heading] == {"en"}
    assert read[button] == {"en"}
