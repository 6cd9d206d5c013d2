"""A visitor cannot escape the per-address rate limits by changing what it controls: the source
port a proxy may write beside the address (a new one with each connection), or the address
within its own IPv6 network (a /64 is one subscriber: its 2^64 addresses are one client's)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from wagtail_qf.ratelimit import client_address, client_key

PROXY = "10.0.0.2"


@pytest.fixture
def search(client, settings):
    settings.WAGTAIL_QF = {
        **settings.WAGTAIL_QF,
        "TRUSTED_PROXIES": ["10.0.0.0/8"],
        "RATE_LIMITS": {"communes": (2, 10**9)},
    }
    url = reverse("wagtail_qf:communes")

    def get(forwarded, remote=PROXY):
        return client.get(url, {"q": "paris"}, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded).status_code

    return get


@pytest.mark.django_db
def test_a_port_written_by_the_proxy_is_not_a_new_client(search):
    assert [search(f"203.0.113.7:{port}") for port in (4711, 4712, 4713)] == [200, 200, 429]
    assert search("[2001:db8::42]:4711") == 200  # another client, its port written the IPv6 way
    assert search("198.51.100.1:4711") == 200


@pytest.mark.django_db
def test_an_ipv6_client_is_counted_by_its_64_network(search):
    assert [search(f"2001:db8:1:2::{n}") for n in (1, 2)] == [200, 200]
    assert search("2001:db8:1:2:ffff:ffff:ffff:ffff") == 429  # the same /64
    assert search("2001:db8:1:3::1") == 200  # the neighbour's network
    assert search("203.0.113.7") == 200


def test_the_address_itself_is_kept_without_its_port(settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "TRUSTED_PROXIES": ["10.0.0.0/8"]}

    def address(forwarded):
        return client_address(RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded))

    assert address("203.0.113.7:4711") == "203.0.113.7"
    assert address("[2001:db8::42]:4711") == "2001:db8::42"
    assert address("unknown") == "unknown"  # not an address: kept as written by the proxy


def test_ipv4_clients_stay_apart():
    def key(remote):
        return client_key(RequestFactory().get("/", REMOTE_ADDR=remote))

    assert key("203.0.113.7") != key("203.0.113.8")
    assert key("2001:db8:1:2::1") == key("2001:db8:1:2::2") != key("2001:db8:1:3::1")
