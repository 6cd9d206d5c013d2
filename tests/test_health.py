"""The load balancer's health check (/qf/sante/): database and cache reachable, nothing else said."""

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import OperationalError, connection
from django.test import override_settings

pytestmark = pytest.mark.django_db

URL = "/qf/sante/"


class UnreachableCache(LocMemCache):
    """A cache whose server is down, as Redis's client raises it."""

    def set(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    get = set


def broken_database(execute, sql, params, many, context):
    raise OperationalError("connection to server failed")


def test_healthy_when_database_and_cache_answer(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session, no CSRF cookie


def test_an_unreachable_cache_gives_503_naming_it(client, caplog):
    with override_settings(CACHES={"default": {"BACKEND": "tests.test_health.UnreachableCache"}}):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "failed": ["cache"]}
    assert response["Cache-Control"] == "no-store"
    assert "Health check: cache unavailable (ConnectionError)" in caplog.text


def test_a_cache_that_keeps_nothing_is_not_healthy(client):
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_an_unreachable_database_gives_503_naming_it(client):
    with connection.execute_wrapper(broken_database):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "failed": ["database"]}


def test_the_check_leaves_no_key_in_the_cache(client):
    from django.core.cache import cache

    client.get(URL)
    assert not cache._cache  # LocMemCache of the tests: the random key was deleted


def test_only_safe_methods(client):
    assert client.post(URL).status_code == 405
    assert client.head(URL).status_code == 200
