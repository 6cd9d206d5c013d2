"""A FranceConnect set up wrong (a typo in ``DISCOVERY_URL``, no route to it) is told in the log
with what the webmaster needs to mend it: the address asked and the kind of failure (settings,
never personal data), not only « provider_unavailable »."""

import logging

import httpx
import pytest
from django.core.cache import cache

from ..fakes.franceconnect import FakeFranceConnect

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "answer, kind",
    [
        (httpx.ConnectError("no route"), "ConnectError"),
        (httpx.Response(404, text="Not Found"), "HTTPStatusError 404"),
        (httpx.Response(200, text="<html>"), "JSONDecodeError"),
    ],
)
def test_an_unusable_discovery_document_logs_its_address_and_why(
    client, respx_mock, qf_page, caplog, answer, kind
):
    fc = FakeFranceConnect(respx_mock)
    cache.clear()
    if isinstance(answer, Exception):
        fc.discovery_route.mock(side_effect=answer)
    else:
        fc.discovery_route.mock(return_value=answer)
    caplog.set_level(logging.WARNING, logger="wagtail_qf")
    response = client.get(qf_page.url + "connexion/")
    assert response.status_code == 503
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert f"{fc.issuer}/.well-known/openid-configuration" in logged
    assert kind in logged
