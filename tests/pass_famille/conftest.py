"""Pass Famille: a page's data sources (QF, DGFiP tax data, crèche data), upstreams faked by respx."""

import datetime
import html
import re

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
from ..fakes.franceconnect import DUPONT, FakeFranceConnect, issue_access_token

# The income year the DGFiP is asked today (``dgfip.years``: last year's from 1 August on).
TODAY = datetime.date.today()
YEAR = TODAY.year - (1 if (TODAY.month, TODAY.day) >= (8, 1) else 2)

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


def flat(text: str) -> str:
    """A page's text without its tags, its spaces as one."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\xa0", " ").split())


@pytest.fixture
def fc(respx_mock):
    return FakeFranceConnect(respx_mock)


def transmit(client, page, children=None):
    """« Transmettre mes données », with ``children`` ticked (by default the family's first)."""
    from wagtail_qf.models import Submission

    form = client.get(page.url + "quotient/").context["form"]
    if children is None:
        children = (
            [key for key, _label in form.fields["children"].choices][:1] if "children" in form.fields else []
        )
    response = client.post(
        page.url + "quotient/",
        {"form_token": form.initial["form_token"], "children": list(children), "confirm": "on"},
    )
    assert response.status_code == 302, flat(response.content.decode())
    return Submission.objects.get()
