"""The example site's error pages, as a citizen meets them in production (``DEBUG`` off): in
French, with a way forward, and with the citizen pages' headers. A Redis that does not answer
stops every page (Wagtail itself reads the cache): the citizen then gets the French page of a
server error, not Django's bare « Server Error (500) » in English."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

REDIS_DOWN = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def assert_citizen_headers(response):
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("no-store")


def test_a_missing_page_is_explained_in_french(visitor, qf_page):
    response = visitor.get(qf_page.url + "page-qui-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Page introuvable" in html and "Not Found" not in html
    assert 'href="/"' in html  # a way forward: the site's home
    assert_citizen_headers(response)


def test_with_redis_down_the_citizen_gets_a_french_page(visitor, qf_page, caplog):
    url = qf_page.url
    with override_settings(CACHES=REDIS_DOWN, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        response = visitor.get(url)
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Server Error" not in html
    assert "Le service rencontre un problème technique" in html
    assert "Réessayez dans quelques minutes" in html
    assert_citizen_headers(response)
    assert "Internal Server Error: /quotient-familial/" in caplog.text


def test_a_missing_page_reads_in_english_for_an_english_reader(visitor, qf_page):
    """The example site's own pages have their English catalogue (``LOCALE_PATHS``): the page
    says « en », and its text is English."""
    response = visitor.get(qf_page.url + "page-qui-n-existe-pas/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and "Page introuvable" not in html
