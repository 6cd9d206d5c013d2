"""A failed FranceConnect callback drops only the pending login it names, never the citizen's journey."""

import pytest

from ..fakes import particulier as api
from ..fakes.franceconnect import FakeFranceConnect

pytestmark = pytest.mark.django_db

CALLBACK = "/qf/franceconnect/callback/"


@pytest.fixture
def fc(respx_mock):
    return FakeFranceConnect(respx_mock)


def logged_in_through_franceconnect(client, fc, respx_mock, page):
    api.particulier_ok(respx_mock, api.DUPONT)
    callback = fc.authorize(client, page.url + "connexion/")
    assert client.get(callback)["Location"] == page.url + "consentement/"
    return callback


def still_mid_journey(client, page):
    assert client.session["wagtail_qf"]["identity"]["family_name"] == "DUPONT"
    assert "1\xa0234 €" in client.get(page.url + "quotient/").content.decode()


@pytest.mark.parametrize("query", ["?code=abc&state=forged", "?code=abc", "?error=access_denied", ""])
def test_cross_site_callback_does_not_log_the_citizen_out(client, fc, respx_mock, qf_page, query):
    logged_in_through_franceconnect(client, fc, respx_mock, qf_page)
    assert client.get(CALLBACK + query).status_code == 400
    still_mid_journey(client, qf_page)


def test_replayed_callback_does_not_log_the_citizen_out(client, fc, respx_mock, qf_page):
    callback = logged_in_through_franceconnect(client, fc, respx_mock, qf_page)
    replay = client.get(callback)
    assert replay.status_code == 400
    assert "expiré ou a déjà été utilisée" in replay.content.decode()
    still_mid_journey(client, qf_page)


def test_failed_callback_drops_only_its_own_pending_login(client, fc, respx_mock, qf_page):
    logged_in_through_franceconnect(client, fc, respx_mock, qf_page)
    # Two more logins started in two tabs; the first one is cancelled at FranceConnect.
    cancelled = fc.authorize(client, qf_page.url + "connexion/", error="access_denied")
    pending = fc.authorize(client, qf_page.url + "connexion/")
    assert client.get(cancelled).status_code == 400
    assert len(client.session["wagtail_qf_fc_states"]) == 1
    still_mid_journey(client, qf_page)
    # The other tab's login still completes.
    assert client.get(pending)["Location"] == qf_page.url + "consentement/"


def test_cross_site_callback_creates_no_session(client, fc):
    response = client.get(CALLBACK + "?code=abc&state=forged")
    assert response.status_code == 400
    assert "sessionid" not in response.cookies
