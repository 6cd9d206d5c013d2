"""RGAA 13.1: the end of the citizen's data is written in every step, and the citizen extends it
(issue 22, item 1) — never past the hard cap, only while the FranceConnect login is valid."""

import time

import pytest
from django.test import Client

from wagtail_qf.conf import qf_settings
from wagtail_qf.journey.timeout import clock
from wagtail_qf.models import Submission

from ..factories import CHILDREN, family_result

pytestmark = pytest.mark.django_db

TTL = 15 * 60


def expires_at(client):
    return client.session["wagtail_qf"]["expires_at"]


def move_clock(client, seconds):
    """The clock moves on: the login and its limit were ``seconds`` further in the past."""
    session = client.session
    state = session["wagtail_qf"]
    state["expires_at"] -= seconds
    state["logged_in_at"] = state.get("logged_in_at", state["expires_at"] + seconds - TTL) - seconds
    session.save()


def extend(client, page, back="consent", **headers):
    return client.post(page.url + "prolonger/", {"retour": back}, **headers)


def test_every_step_says_until_when_the_data_is_kept(client, qf_page, logged_in):
    logged_in(qf_page, family_result())
    until = clock(expires_at(client))
    for step in ("consentement/", "quotient/"):
        html = client.get(qf_page.url + step).content.decode()
        assert f"Vos données restent disponibles jusqu'à <strong data-qf-until>{until}</strong>" in html
        assert "Prolonger de 15 minutes" in html
        assert f'data-qf-extend-url="{qf_page.url}prolonger/"' in html


def test_clock_is_written_in_french_in_the_site_time_zone():
    # 2026-11-29 13:32 UTC is 14 h 32 in Paris (winter time).
    assert clock(1795959120) == "14 h 32"


def test_extension_adds_the_ttl_and_goes_back_to_the_step(client, qf_page, logged_in):
    logged_in(qf_page, family_result())
    before = expires_at(client)
    response = extend(client, qf_page)
    assert response.status_code == 302
    assert response["Location"] == qf_page.url + "consentement/?prolongee=1#delai"
    assert expires_at(client) == pytest.approx(before + TTL)
    html = client.get(response["Location"]).content.decode()
    assert f"Votre session est prolongée jusqu'à {clock(before + TTL)}." in html
    assert "autofocus" in html  # back on the button, not at the top of the page


def test_extension_from_the_script_answers_json(client, qf_page, logged_in):
    logged_in(qf_page, family_result())
    before, sent = expires_at(client), time.time()
    data = extend(client, qf_page, HTTP_ACCEPT="application/json").json()
    assert data["expires_at"] == pytest.approx(before + TTL)
    assert data["until"] == clock(before + TTL)
    assert data["can_extend"] is True and data["extend_label"] == "Prolonger de 15 minutes"
    assert sent <= data["now"] <= time.time()  # the server's clock, for the script to count from


def test_extension_stops_at_the_hard_cap(client, qf_page, logged_in, settings):
    settings.WAGTAIL_QF = {"SESSION_MAX_SECONDS": 40 * 60}
    logged_in(qf_page, family_result())
    login = expires_at(client) - TTL
    extend(client, qf_page)  # 30 minutes after the login
    data = extend(client, qf_page, HTTP_ACCEPT="application/json").json()
    assert data["expires_at"] == pytest.approx(login + 40 * 60)  # 10 minutes only, up to the cap
    assert data["can_extend"] is False
    assert extend(client, qf_page, HTTP_ACCEPT="application/json").json()["expires_at"] == data["expires_at"]
    html = client.get(qf_page.url + "consentement/").content.decode()
    assert "Cette session ne peut plus être prolongée" in html
    assert 'name="prolonger"' not in html


def test_default_cap_allows_ten_extensions():
    assert qf_settings.SESSION_MAX_SECONDS >= 11 * qf_settings.SESSION_TTL_SECONDS


def test_expired_session_is_not_extended(client, qf_page, logged_in):
    logged_in(qf_page, family_result())
    move_clock(client, TTL + 1)
    assert extend(client, qf_page, HTTP_ACCEPT="application/json").status_code == 410
    response = extend(client, qf_page, back="confirmation")
    html = response.content.decode()
    assert "Votre session a expiré" in html
    assert "Rien n'a été transmis" not in html  # the citizen may come from the confirmation
    assert "identity" not in client.session["wagtail_qf"]


def test_extension_needs_a_franceconnect_login(client, qf_page):
    assert extend(client, qf_page, HTTP_ACCEPT="application/json").status_code == 410
    assert extend(client, qf_page)["Location"] == qf_page.url


def test_extension_is_protected_against_cross_site_requests(qf_page, logged_in, client):
    logged_in(qf_page, family_result())
    guarded = Client(enforce_csrf_checks=True)
    guarded.cookies = client.cookies
    assert guarded.post(qf_page.url + "prolonger/", {"retour": "consent"}).status_code == 403


def test_extension_without_javascript_keeps_the_ticks(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())
    before = expires_at(client)
    data = {"form_token": token, "children": [CHILDREN[1].key], "confirm": "on", "prolonger": "1"}
    response = client.post(qf_page.url + "quotient/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert Submission.objects.count() == 0  # extended, not sent
    assert expires_at(client) == pytest.approx(before + TTL)
    assert 'value="DUPONT|Marie|2014-09-21" id="id_children_1" checked' in html
    assert 'id="id_children_0" checked' not in html
    assert 'id="id_confirm" aria-required="true" checked' in html
    assert "aria-invalid" not in html and "Cochez cette case" not in html  # nothing checked yet


def test_no_child_confirmation_is_kept_by_an_extension(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())
    data = {"form_token": token, "no_child": "on", "prolonger": "1"}
    html = client.post(qf_page.url + "quotient/", data).content.decode()
    assert 'name="no_child" id="id_no_child" checked' in html


def test_summary_lives_as_long_as_the_extended_session(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())
    data = {"form_token": token, "children": [CHILDREN[0].key], "confirm": "on"}
    assert client.post(qf_page.url + "quotient/", data).status_code == 302
    html = client.get(qf_page.url + "confirmation/").content.decode()
    assert "Vos données restent disponibles" in html  # the summary's limit is said too
    response = extend(client, qf_page, back="confirmation")
    assert response["Location"] == qf_page.url + "confirmation/?prolongee=1#delai"
    move_clock(client, TTL + 1)  # past the first limit, within the extension
    assert client.get(qf_page.url + "confirmation/recapitulatif/").status_code == 200
    move_clock(client, TTL)  # past the extension
    assert client.get(qf_page.url + "confirmation/recapitulatif/").status_code == 302
