"""The country of birth on the path without FranceConnect: every INSEE country in the no-JS
<select>, the JSON endpoint of the combobox, and the code sent to API Particulier."""

import json
import logging
import re

import pytest
from django.urls import reverse

from wagtail_qf.communes import countries as country_list
from wagtail_qf.forms.identity import IdentityForm, countries
from wagtail_qf.models import Submission

from ..fakes import particulier as api
from .identity_helpers import send
from .test_identity_path import VALID, form_url, post

pytestmark = pytest.mark.django_db

ABROAD = {"lieu": "etranger", "commune": "", "commune_recherche": ""}


@pytest.fixture
def page(make_qf_page):
    return make_qf_page(allow_identity_form=True)


def pays_json(client, q, **extra):
    response = client.get(reverse("wagtail_qf:countries"), {"q": q}, **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-cache" in response["Cache-Control"]
    return json.loads(response.content)


# -- the form ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("99104", "Suède"),
        ("99318", "Somalie"),
        ("99246", "Bangladesh"),
        ("99396", "Cap-Vert"),
        ("99399", "Djibouti"),
        ("99407", "Cuba"),
        ("99239", "Corée (République de)"),
    ],
)
def test_a_country_missing_before_is_accepted_and_sent_to_api_particulier(
    client, page, respx_mock, django_capture_on_commit_callbacks, code, name
):
    route = api.particulier_ok(respx_mock, api.DUBOIS, path=api.IDENTITY_PATH)
    with django_capture_on_commit_callbacks(execute=True):  # the check runs once the dossier is saved
        response = send(client, page, **ABROAD, pays=code, sexe="F")
    assert response.status_code == 302
    params = route.calls.last.request.url.params
    assert params["codeCogInseePaysNaissance"] == code
    assert "codeCogInseeCommuneNaissance" not in params
    assert Submission.objects.get().birthcountry == code


def test_the_form_builds_the_identite_query_with_the_country_code():
    form = IdentityForm({**VALID, **ABROAD, "pays": "99104"})
    assert form.is_valid(), form.errors
    query = form.identity_query()
    assert (query.code_pays_naissance, query.code_commune_naissance) == ("99104", "")


def test_born_in_france_is_still_the_commune_of_birth():
    assert "99100" not in dict(countries())
    form = IdentityForm({**VALID, "lieu": "etranger", "pays": "99100", "commune": ""})
    assert not form.is_valid()
    assert form.errors["pays"] == ["Choisissez votre pays de naissance dans la liste."]
    form = IdentityForm(VALID)
    assert form.is_valid(), form.errors
    assert form.identity_query().code_pays_naissance == "99100"


def test_an_unknown_code_gets_a_clear_message(client, page, respx_mock):
    route = api.route(respx_mock, api.IDENTITY_PATH)
    response = post(client, page, **ABROAD, pays="12345")
    assert response.status_code == 400
    assert 'href="#id_pays">Choisissez votre pays de naissance dans la liste.' in response.content.decode()
    assert not route.called


def test_the_select_without_javascript_offers_every_country_by_name(client, page):
    html = client.get(form_url(page)).content.decode()
    select = re.search(r'<select[^>]*id="id_pays".*?</select>', html, re.S).group(0)
    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select)
    assert options[0] == ("", "Choisissez un pays")
    shipped = country_list.all_countries()
    assert len(options) - 1 == len(shipped) >= 230
    assert [code for code, _ in options[1:]] == [c.code for c in shipped]
    assert ("99104", "Suède") in options and ("99407", "Cuba") in options
    assert 'value="99100"' not in select


def test_the_chosen_country_stays_selected_after_an_error(client, page):
    html = post(client, page, **ABROAD, pays="99104", nom_naissance="").content.decode()
    assert '<option value="99104" selected>Suède</option>' in html


def test_the_field_is_marked_for_the_combobox(client, page):
    html = client.get(form_url(page)).content.decode()
    assert f'data-qf-combobox="{reverse("wagtail_qf:countries")}" data-qf-combobox-name="pays"' in html
    assert 'data-qf-found-many="{n} pays trouvés' in html


# -- the JSON endpoint --------------------------------------------------------------
def test_json_endpoint(client):
    assert pays_json(client, "suede") == [{"code": "99104", "label": "Suède"}]
    assert pays_json(client, "SOMAL") == [{"code": "99318", "label": "Somalie"}]
    assert pays_json(client, "zaïre") == [
        {"code": "99312", "label": "Congo (République démocratique) – Zaïre"}
    ]
    assert pays_json(client, "jersey") == [{"code": "99132", "label": "Royaume-Uni – Jersey"}]
    assert len(pays_json(client, "a")) == 10
    assert pays_json(client, "") == [] and pays_json(client, "  ") == [] and pays_json(client, "zzzz") == []
    assert pays_json(client, "x" * 5000) == []


def test_json_endpoint_is_rate_limited(client, settings):
    settings.WAGTAIL_QF = {
        **settings.WAGTAIL_QF,
        "RATE_LIMITS": {"login": (20, 10**9), "transmit": (10, 10**9), "communes": (2, 10**9)},
    }
    url = reverse("wagtail_qf:countries")
    assert client.get(url, {"q": "suede"}).status_code == 200
    assert client.get(reverse("wagtail_qf:communes"), {"q": "paris"}).status_code == 200
    response = client.get(url, {"q": "suede"})
    assert response.status_code == 429
    assert json.loads(response.content) == {"error": "too_many_requests"}


def test_json_endpoint_keeps_no_personal_data(client, caplog):
    caplog.set_level(logging.DEBUG)
    response = client.get(reverse("wagtail_qf:countries"), {"q": "bangladesh"}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    assert not response.cookies  # no session
    assert "bangladesh" not in caplog.text and "203.0.113.7" not in caplog.text


def test_json_endpoint_only_answers_get(client):
    assert client.post(reverse("wagtail_qf:countries"), {"q": "suede"}).status_code == 405
