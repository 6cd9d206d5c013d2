"""Rate limits count each citizen apart behind the site's reverse proxies (and only there
believe X-Forwarded-For: anyone can write it)."""

import pytest
from django.core.checks import run_checks
from django.test import RequestFactory
from django.urls import reverse

from wagtail_qf.ratelimit import client_address

PROXIES = ["10.0.0.0/8", "2001:db8:cafe::1"]


@pytest.fixture
def behind_proxies(settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "TRUSTED_PROXIES": PROXIES}


def address(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})
    return client_address(RequestFactory().get("/", **headers))


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("10.0.0.2", "203.0.113.7", "203.0.113.7"),
        ("10.0.0.2", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the left one is the client's to write
        ("10.0.0.2", "203.0.113.7, 10.1.2.3", "203.0.113.7"),  # two proxies
        ("2001:db8:cafe::1", "2001:db8::42", "2001:db8::42"),
        ("::ffff:10.0.0.2", " 203.0.113.7 ", "203.0.113.7"),
        ("10.0.0.2", "203.0.113.7:4711", "203.0.113.7"),  # a proxy that adds the port: not the client
        ("10.0.0.2", None, "10.0.0.2"),  # no header: the proxy itself
        ("10.0.0.2", "10.0.0.3", "10.0.0.2"),  # only proxies
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not through a trusted proxy: header ignored
    ],
)
def test_client_is_the_right_most_address_not_a_trusted_proxy(behind_proxies, remote, forwarded, client):
    assert address(remote, forwarded) == client


def test_x_forwarded_for_is_ignored_without_trusted_proxies():
    assert address("10.0.0.2", "203.0.113.7") == "10.0.0.2"


def test_rate_limits_behind_the_proxy_count_each_citizen_apart(client, behind_proxies, settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RATE_LIMITS": {"communes": (2, 10**9)}}
    url = reverse("wagtail_qf:communes")

    def search(citizen):
        return client.get(
            url, {"q": "paris"}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=citizen
        ).status_code

    assert [search("203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert search("198.51.100.1") == 200  # another citizen is not locked out
    assert search("198.51.100.1, 203.0.113.7") == 429  # writing another address changes nothing


def test_a_bad_trusted_proxy_is_reported(settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "TRUSTED_PROXIES": ["10.0.0.0/8", "proxy.internal"]}
    errors = [e for e in run_checks() if e.id == "wagtail_qf.E005"]
    assert len(errors) == 1 and "proxy.internal" in errors[0].msg
