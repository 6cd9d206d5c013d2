"""The agents' e-mails and the webhooks link to ``WAGTAILADMIN_BASE_URL``: the value
``wagtail start`` writes (``http://example.com``) or a local address, left in production, sends
every agent to a wrong site. Wagtail warns only when the setting is missing."""

import pytest

from wagtail_qf.checks import check_settings


def _w004(settings, **values) -> list:
    for name, value in values.items():
        setattr(settings, name, value)
    return [e for e in check_settings() if e.id == "wagtail_qf.W004"]


@pytest.mark.parametrize(
    "url", ["http://example.com", "https://www.example.org/", "http://localhost:8000", "http://127.0.0.1"]
)
def test_a_placeholder_or_local_admin_base_url_is_warned_in_production(settings, url):
    (warning,) = _w004(settings, DEBUG=False, WAGTAILADMIN_BASE_URL=url)
    assert url in warning.msg and "WAGTAILADMIN_BASE_URL" in warning.msg


def test_the_site_s_own_address_or_development_is_not_warned(settings):
    assert _w004(settings, DEBUG=False, WAGTAILADMIN_BASE_URL="https://qf.mairie-cesson.fr") == []
    assert _w004(settings, DEBUG=True, WAGTAILADMIN_BASE_URL="http://example.com") == []
