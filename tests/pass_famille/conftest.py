"""Pass Famille: a page's data sources (QF, DGFiP tax data, crèche data), upstreams faked by respx."""

import httpx
import pytest
from django.conf import settings
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory, override_settings

from wagtail_qf.franceconnect.identity import CitizenIdentity
from wagtail_qf.journey.session import CitizenSession
from wagtail_qf.particulier.eaje import EAJE_PATH

from ..fakes import dgfip as gw
from ..fakes import particulier as api
from ..fakes.franceconnect import DUPONT, issue_access_token

# WAGTAIL_QF of the tests, with the DGFiP gateway of the fake.
WITH_DGFIP = {**settings.WAGTAIL_QF, "DGFIP": gw.SETTINGS}


@pytest.fixture
def dgfip_on():
    with override_settings(WAGTAIL_QF=WITH_DGFIP):
        yield


@pytest.fixture
def citizen():
    """A citizen just logged in on ``page`` through FranceConnect, as the callback leaves it."""

    def make(page):
        request = RequestFactory().get("/")
        request.session = SessionStore()
        session = CitizenSession(request, page)
        identity = CitizenIdentity.from_claims({"sub": "sub-1", **DUPONT})
        session.login(identity, "header.payload.signature")
        session.keep_access_token(issue_access_token())
        return session

    return make


def eaje_route(respx_mock, status=200, code="37003", answer=None):
    """The crèche endpoint of API Particulier (FranceConnect token checked as the QF's is)."""
    from ..particulier.test_eaje import ANSWER

    if status == 200:
        response = httpx.Response(200, json=answer or ANSWER)
    else:
        response = httpx.Response(status, json=api.error_body(code))
    return respx_mock.get(f"{api.BASE_URL}{EAJE_PATH}").mock(side_effect=api.strict(response))


def dgfip_routes(respx_mock, year, status=200, body=None):
    """The DGFiP gateway: its token endpoint and the situation of ``year``."""
    return gw.token_route(respx_mock), gw.situation_route(respx_mock, year, status=status, body=body)
