"""The path without FranceConnect: identity form → API Particulier ``identite`` → quotient."""

import json

import pytest
from django.urls import reverse

from wagtail_qf.communes import search as communes
from wagtail_qf.journey.identity import countries
from wagtail_qf.models import Submission

from ..fakes import particulier as api

pytestmark = pytest.mark.django_db

VALID = {
    "nom_naissance": "Dupont",
    "prenoms": "Paul  Louis",
    "nom_usage": "",
    "sexe": "M",
    "jour": "15",
    "mois": "6",
    "annee": "1980",
    "lieu": "france",
    "commune_recherche": "Châtillon-en-Diois (26)",
    "commune": "26086",
    "pays": "",
}


@pytest.fixture
def page(make_qf_page):
    return make_qf_page(allow_identity_form=True)


def form_url(page):
    return page.url + "sans-franceconnect/"


def post(client, page, **changes):
    data = {**VALID, **changes}
    return client.post(form_url(page), {k: v for k, v in data.items() if v is not None})


# -- offered or not ---------------------------------------------------------------
def test_path_not_offered_by_default(client, qf_page):
    assert client.get(form_url(qf_page)).status_code == 404
    assert client.post(form_url(qf_page), VALID).status_code == 404
    html = client.get(qf_page.url).content.decode()
    assert "Continuer sans FranceConnect" not in html
    assert "sans-franceconnect/" not in html
    assert "déposer votre attestation" in html


def test_start_offers_the_path(client, page):
    html = client.get(page.url).content.decode()
    assert f'href="{form_url(page)}"' in html
    assert "Continuer sans FranceConnect" in html


def test_form_renders_accessibly(client, page):
    response = client.get(form_url(page))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Votre identité" in html
    for name, autocomplete in [("nom_naissance", "family-name"), ("prenoms", "given-name"),
                               ("jour", "bday-day"), ("mois", "bday-month"), ("annee", "bday-year")]:  # fmt: skip
        assert f'name="{name}"' in html and f'autocomplete="{autocomplete}"' in html
        assert f'for="id_{name}"' in html
    assert "Prénoms (séparés par des espaces)" in html
    assert 'name="sexe" value="F"' in html and 'name="sexe" value="M"' in html
    assert "En France" in html and "À l&#x27;étranger" in html
    assert '<option value="99109">Allemagne</option>' in html
    assert 'value="99100"' not in html  # France is « En France »
    assert 'name="action" value="rechercher"' in html and "Rechercher la commune" in html
    assert f'data-qf-communes="{reverse("wagtail_qf:communes")}"' in html
    assert "wagtail_qf/communes.js" in html and "<script>" not in html  # CSP: no inline script
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert 'aria-invalid="true"' not in html


# -- validation -------------------------------------------------------------------
def test_missing_fields_are_listed_with_links(client, page, respx_mock):
    route = api.route(respx_mock, api.IDENTITY_PATH)
    response = client.post(form_url(page), {"nom_naissance": "", "prenoms": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Erreur" in html
    assert 'href="#id_nom_naissance">Indiquez votre nom de naissance.' in html
    assert 'href="#id_prenoms">Indiquez au moins votre premier prénom.' in html
    assert 'href="#id_sexe_0">' in html
    assert 'href="#id_jour">Indiquez votre date de naissance complète' in html
    assert 'href="#id_lieu_0">' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_nom_naissance-hint id_nom_naissance-errors"' in html
    assert not route.called
    assert "identity" not in client.session.get("wagtail_qf", {})


@pytest.mark.parametrize(
    "day, month, year",
    [("31", "2", "1980"), ("1", "13", "1980"), ("aa", "1", "1980"), ("1", "1", "80"), ("1", "1", "2999")],
)
def test_bad_dates(client, page, day, month, year):
    response = post(client, page, jour=day, mois=month, annee=year)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_jour">La date de naissance' in html
    assert 'id="date-errors"' in html


def test_too_many_first_names(client, page):
    html = post(client, page, prenoms="A B C D").content.decode()
    assert "au plus trois prénoms" in html


def test_born_in_france_without_commune(client, page):
    response = post(client, page, commune="", commune_recherche="")
    assert response.status_code == 400
    assert 'href="#id_commune_recherche">Indiquez votre commune de naissance.' in response.content.decode()
    # A typed text without a chosen commune: asked to choose, and the matches are offered.
    response = post(client, page, commune="", commune_recherche="chatillon e")
    html = response.content.decode()
    assert "Choisissez votre commune de naissance dans la liste." in html
    assert 'name="commune" value="26086"' in html


def test_born_abroad_needs_a_country(client, page):
    html = post(client, page, lieu="etranger", commune="", pays="").content.decode()
    assert 'href="#id_pays">Choisissez votre pays de naissance.' in html


# -- commune search without JavaScript -----------------------------------------
def test_search_without_javascript_offers_radio_buttons(client, page):
    response = post(client, page, action="rechercher", commune="", commune_recherche="chatillon e",
                    sexe="")  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choisissez votre commune de naissance" in html
    assert 'name="commune" value="26086"' in html
    assert "Châtillon-en-Diois (26)" in html
    assert 'aria-invalid="true"' not in html  # a search is not a failed submission
    assert 'value="Dupont"' in html  # what was typed is kept
    assert html.count('type="radio" id="id_commune_') <= 10


def test_search_offers_former_communes(client, page):
    former = next(c for c in communes.search("chatillon", limit=200, include_former=True) if c.is_former)
    html = post(client, page, action="rechercher", commune="",
                commune_recherche=former.name).content.decode()  # fmt: skip
    assert f'name="commune" value="{former.code}"' in html
    assert f"{former.name} ({former.departement}) (ancienne commune)" in html


def test_search_without_match(client, page):
    html = post(client, page, action="rechercher", commune="", commune_recherche="zzzzqx").content.decode()
    assert "Aucune commune ne correspond à « zzzzqx »" in html


# -- the JSON endpoint -------------------------------------------------------------
def communes_json(client, q):
    response = client.get(reverse("wagtail_qf:communes"), {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_json_endpoint(client, db):
    found = communes_json(client, "chatillon e")
    assert {"code": "26086", "label": "Châtillon-en-Diois (26)"} in found
    assert len(found) <= 10
    assert communes_json(client, "CHÂTILLON-EN-DIOIS")[0]["code"] == "26086"
    assert communes_json(client, "chatillon en diois")[0]["code"] == "26086"
    assert len(communes_json(client, "saint")) == 10
    assert communes_json(client, "") == []
    assert communes_json(client, "   ") == []
    assert any("(ancienne commune)" in c["label"] for c in communes_json(client, "chatillon en m"))


def test_json_endpoint_is_rate_limited(client, db, settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RATE_LIMITS": {
        "login": (20, 10**9), "transmit": (10, 10**9), "communes": (2, 10**9)}}  # fmt: skip
    url = reverse("wagtail_qf:communes")
    assert client.get(url, {"q": "paris"}).status_code == 200
    assert client.get(url, {"q": "paris"}).status_code == 200
    assert client.get(url, {"q": "paris"}).status_code == 429


# -- submission ------------------------------------------------------------------
def test_valid_submission_calls_identite_then_shows_the_quotient(client, page, respx_mock):
    route = api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    response = post(client, page, nom_usage="Martin", prenoms="Paul Louis Jean")
    assert response.status_code == 302
    assert response["Location"] == page.url + "quotient/"

    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer test-api-particulier-token"
    params = request.url.params
    month = page.qf_month()
    assert params["recipient"] == "21350051800013"
    assert params["nomNaissance"] == "Dupont"
    assert params.get_list("prenoms[]") == ["Paul", "Louis", "Jean"]
    assert params["nomUsage"] == "Martin"
    assert params["sexeEtatCivil"] == "M"
    assert (params["anneeDateNaissance"], params["moisDateNaissance"], params["jourDateNaissance"]) == (
        "1980", "6", "15")  # fmt: skip
    assert params["codeCogInseePaysNaissance"] == "99100"
    assert params["codeCogInseeCommuneNaissance"] == "26086"
    assert (params["annee"], params["mois"]) == (str(month.year), str(month.month))

    state = client.session["wagtail_qf"]
    assert state["identity"]["source"] == "identity"
    assert state["id_token"] == ""
    html = client.get(page.url + "quotient/").content.decode()
    assert "est de <strong>1\xa0234 €</strong>" in html
    assert "Jean DUPONT" in html


def test_born_abroad_sends_the_country_and_no_commune(client, page, respx_mock):
    route = api.particulier_ok(respx_mock, api.DUBOIS, path=api.IDENTITY_PATH)
    post(client, page, lieu="etranger", pays="99350", commune="", commune_recherche="", sexe="F")
    params = route.calls.last.request.url.params
    assert params["codeCogInseePaysNaissance"] == "99350"
    assert "codeCogInseeCommuneNaissance" not in params
    assert params["sexeEtatCivil"] == "F"


def test_transmission_creates_a_dossier_with_source_identity(client, page, respx_mock):
    api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    post(client, page)
    token = client.session["wagtail_qf"]["pages"][str(page.pk)]["form_token"]
    response = client.post(page.url + "quotient/", {"form_token": token, "confirm": "on",
                                                     "children": ["DUPONT|JEAN|2012-03-04"]})  # fmt: skip
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.source == Submission._meta.get_field("source").choices[1][0] == "identity"
    assert submission.family_name == "Dupont" and submission.given_names == "Paul Louis"
    assert str(submission.birthdate) == "1980-06-15"
    assert submission.birthplace == "26086" and submission.birthcountry == "99100"
    assert submission.gender == "male"
    assert [c["prenoms"] for c in submission.children] == ["JEAN"]


def test_unknown_allocataire_shows_the_clear_message(client, page, respx_mock):
    api.particulier_error(respx_mock, 404, "23003", path=api.IDENTITY_PATH)
    response = post(client, page)
    assert response["Location"] == page.url + "quotient/"
    html = client.get(page.url + "quotient/").content.decode()
    assert "La CAF et la MSA ne connaissent pas de dossier d&#x27;allocataire à votre nom." in html
    assert "Transmettre mes données" not in html
    client.post(page.url + "quotient/", {"form_token": "x", "confirm": "on"})
    assert Submission.objects.count() == 0


def test_upstream_down_retries_without_franceconnect(client, page, respx_mock):
    route = api.particulier_error(respx_mock, 504, "37001", path=api.IDENTITY_PATH)
    post(client, page)
    html = client.get(page.url + "quotient/").content.decode()
    assert f'action="{page.url}reessayer/"' in html
    assert "se reconnectant avec FranceConnect" not in html
    route.mock(return_value=api.httpx.Response(200, json=api.DUPONT))
    response = client.post(page.url + "reessayer/")
    assert response["Location"] == page.url + "quotient/"
    assert "1\xa0234 €" in client.get(page.url + "quotient/").content.decode()


def test_logout_clears_the_session_without_franceconnect(client, page, respx_mock):
    api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    post(client, page)
    response = client.post(page.url + "deconnexion/")
    assert response.status_code == 302
    assert response["Location"] == page.url + "?deconnexion=1"
    assert "wagtail_qf" not in client.session
    assert client.get(page.url + "quotient/")["Location"] == page.url


def test_countries_are_insee_codes():
    codes = dict(countries())
    assert codes["99109"] == "Allemagne" and codes["99350"] == "Maroc" and codes["99352"] == "Algérie"
    assert "99100" not in codes
    assert all(len(code) == 5 and code.startswith("99") for code in codes)
