"""What the citizen reads: errors, expiry, the recipient, the wording (issue 14, items 11 to 14)."""

import logging

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings

from wagtail_qf.formatting import date_text as qf_date
from wagtail_qf.models import Submission

from ..factories import CHILDREN, family_result, serve_communes
from ..fakes import particulier as api
from ..fakes.franceconnect import FakeFranceConnect
from .identity_helpers import send as send_request

pytestmark = pytest.mark.django_db

NOT_FOUND = {"class": "NotFound", "code": "23003", "status": 404}


@pytest.fixture
def fc(respx_mock):
    return FakeFranceConnect(respx_mock)


def login(client, fc, page):
    return client.get(fc.authorize(client, page.url + "connexion/"))


# -- 11. a failed fetch goes straight to the error -------------------------------------
def test_consent_is_skipped_when_the_data_could_not_be_obtained(client, qf_page, logged_in):
    logged_in(qf_page, error=NOT_FOUND)
    response = client.get(qf_page.url + "consentement/")
    assert response.status_code == 302
    assert response["Location"] == qf_page.url + "quotient/"
    html = client.get(response["Location"]).content.decode()
    assert "ne connaissent pas de dossier" in html
    assert "Vérifiez les données à transmettre" not in html


# -- 12. expiry, no child ticked, the way back -------------------------------------------
def test_expired_session_at_transmission_says_what_happened(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result(), ttl=-1)
    data = {"form_token": token, "children": [CHILDREN[0].key], "confirm": "on"}
    response = client.post(qf_page.url + "quotient/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Votre session a expiré" in html
    assert "Rien n'a été transmis" in html
    assert f'href="{qf_page.url}"' in html and "Recommencer ma démarche" in html
    assert Submission.objects.count() == 0


def test_page_without_login_still_goes_to_the_start_silently(client, qf_page):
    response = client.post(qf_page.url + "quotient/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == qf_page.url


def test_no_child_ticked_asks_for_confirmation_without_javascript(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())
    response = client.post(qf_page.url + "quotient/", {"form_token": token, "confirm": "on"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Vous n&#x27;avez coché aucun enfant" in html
    assert 'type="checkbox" name="no_child"' in html
    assert Submission.objects.count() == 0
    # The second, explicit choice transmits without any child.
    data = {"form_token": token, "confirm": "on", "no_child": "on"}
    assert client.post(qf_page.url + "quotient/", data).status_code == 302
    assert Submission.objects.get().children == []


def test_no_confirmation_is_asked_when_a_child_is_ticked(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())
    html = client.get(qf_page.url + "quotient/").content.decode()
    assert 'name="no_child"' not in html
    data = {"form_token": token, "children": [CHILDREN[1].key], "confirm": "on"}
    assert client.post(qf_page.url + "quotient/", data).status_code == 302


def test_login_error_of_an_unknown_login_leads_back_to_the_page_being_visited(client, qf_page, logged_in):
    logged_in(qf_page, family_result())  # then a callback replayed or sent from another site
    response = client.get("/qf/franceconnect/callback/?state=forged&code=x")
    html = response.content.decode()
    assert response.status_code == 400
    assert f'href="{qf_page.url}"' in html and "Revenir au début de la démarche" in html


def test_login_error_with_no_known_page_offers_the_home_page_as_such(client, qf_page):
    html = client.get("/qf/franceconnect/callback/?state=forged&code=x").content.decode()
    assert "Revenir au début de la démarche" not in html
    assert "Revenir à l'accueil du site" in html


# -- 13. intercommunal pages: the chosen commune receives, the EPCI runs the service ------
@pytest.fixture
def epci(make_qf_page):
    page = make_qf_page(commune_name="Rennes Métropole", commune_cog="35238", commune_postcode="35000")
    return serve_communes(page, ["35051", "35238", "35024"])


def choose(client, page, cog="35051"):
    session = client.session
    data = session.get("wagtail_qf") or {}
    data.setdefault("communes", {})[str(page.pk)] = cog
    session["wagtail_qf"] = data
    session.save()


def test_intercommunal_pages_name_the_chosen_commune_as_recipient(client, epci, logged_in):
    start = client.get(epci.url).content.decode()
    assert "Commune de Rennes Métropole" not in start
    assert "Démarche gérée par Rennes Métropole" in start
    logged_in(epci, family_result())
    choose(client, epci)
    consent = client.get(epci.url + "consentement/").content.decode()
    assert "Commune de Cesson-Sévigné (35510)" in consent
    assert "Données transmises à la commune de Cesson-Sévigné" in consent
    assert "Démarche gérée par Rennes Métropole" in consent
    assert "Rennes Métropole (35000)" not in consent


def test_intercommunal_error_page_sends_to_the_chosen_commune_mairie(client, epci, logged_in):
    logged_in(epci, error=NOT_FOUND)
    choose(client, epci)
    html = client.get(epci.url + "quotient/").content.decode()
    assert "mairie de Cesson-Sévigné" in html
    assert "mairie de Rennes Métropole" not in html


def test_intercommunal_confirmation_names_the_chosen_commune(client, epci, logged_in):
    token = logged_in(epci, family_result())
    choose(client, epci)
    data = {"form_token": token, "children": [CHILDREN[0].key], "confirm": "on"}
    client.post(epci.url + "quotient/", data)
    html = client.get(epci.url + "confirmation/").content.decode()
    assert "La commune de Cesson-Sévigné a bien reçu" in html


# -- 14. wording ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("collect", "children", "announced"),
    [
        (True, CHILDREN, True),
        (False, CHILDREN, False),  # the page does not collect children
        (True, (), False),  # no child known for this family
    ],
)
def test_consent_announces_the_choice_of_children_only_when_there_is_one(
    client, make_qf_page, logged_in, collect, children, announced
):
    page = make_qf_page(collect_children=collect)
    logged_in(page, family_result(children=children))
    html = client.get(page.url + "consentement/").content.decode()
    assert ("les enfants concernés" in html) is announced
    assert ("Les enfants que vous choisirez" in html) is announced


def test_missing_scopes_is_a_service_error_not_a_reconnection(client, fc, respx_mock, qf_page, caplog):
    api.particulier_error(respx_mock, 401, "50003")
    with caplog.at_level(logging.ERROR, logger="wagtail_qf"):
        login(client, fc, qf_page)
    html = client.get(qf_page.url + "quotient/").content.decode()
    assert "Reconnectez-vous" not in html and "se reconnectant" not in html
    assert "mal configuré" in html and "La commune en a été informée" in html
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and "50003" in errors[0].getMessage()


@pytest.mark.parametrize(
    ("title", "words", "absent"),
    [
        ("Erreur inattendue", "erreur inattendue", "ne connaissent pas"),
        ("Allocataire non référencé", "ne connaissent pas", "erreur inattendue"),
    ],
)
def test_35003_is_shown_for_what_it_says(client, fc, respx_mock, qf_page, title, words, absent):
    api.route(respx_mock).respond(404, json=api.error_body("35003", title=title))
    login(client, fc, qf_page)
    html = client.get(qf_page.url + "quotient/").content.decode()
    assert words in html and absent not in html


def test_birth_dates_say_1er_and_agree_with_the_sex(client, make_qf_page, logged_in):
    page = make_qf_page(collect_allocataires=True)
    logged_in(page, family_result())
    html = client.get(page.url + "quotient/").content.decode()
    assert "Paul Louis DUPONT, né le 15 juin 1980" in html
    assert "née le 1er février 1982" in html
    assert "né(e)" not in html
    assert qf_date("2012-03-01") == "1er mars 2012" and qf_date("2012-03-21") == "21 mars 2012"


def test_stepper_counts_the_steps_of_the_path_without_franceconnect(client, make_qf_page):
    page = make_qf_page(allow_identity_form=True)
    form = client.get(page.url + "sans-franceconnect/").content.decode()
    assert "Étape 1 sur 2" in form
    confirmation = client.get(send_request(client, page)["Location"]).content.decode()
    assert "Étape 2 sur 2" in confirmation


def test_stepper_of_the_franceconnect_path_is_unchanged(client, qf_page, logged_in):
    logged_in(qf_page, family_result())
    assert "Étape 2 sur 4" in client.get(qf_page.url + "consentement/").content.decode()
    assert "Étape 3 sur 4" in client.get(qf_page.url + "quotient/").content.decode()


@pytest.mark.parametrize("design", ["dsfr", "standalone"])
def test_header_links_to_the_site_home_on_this_host(client, qf_page, design):
    with override_settings(WAGTAIL_QF={"DESIGN": design}):
        html = client.get(qf_page.url).content.decode()
    assert "http://localhost/" not in html
    assert 'href="/"' in html


@pytest.mark.parametrize(
    ("design", "icon"),
    [
        ("dsfr", "/static/dsfr/dist/favicon/favicon.svg"),
        ("standalone", "/static/wagtail_qf/favicon.svg"),
    ],
)
def test_citizen_pages_declare_a_favicon_that_exists(client, qf_page, design, icon):
    with override_settings(WAGTAIL_QF={"DESIGN": design}):
        html = client.get(qf_page.url).content.decode()
    assert 'rel="icon"' in html and f'href="{icon}"' in html
    assert finders.find(icon.removeprefix("/static/"))


def test_logout_button_names_franceconnect_only_on_its_path(client, make_qf_page, logged_in):
    page = make_qf_page(allow_identity_form=True)
    confirmation = client.get(send_request(client, page)["Location"]).content.decode()
    assert "Se déconnecter de FranceConnect" not in confirmation
    logged_in(page, family_result())  # through FranceConnect
    assert "Se déconnecter de FranceConnect" in client.get(page.url + "quotient/").content.decode()
