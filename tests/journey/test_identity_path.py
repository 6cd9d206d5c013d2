"""The path without FranceConnect: the form, the dossier made at once, the check in the background."""

import json

import pytest
from django.urls import reverse

from wagtail_qf.communes import search as communes
from wagtail_qf.forms.identity import countries
from wagtail_qf.journey.identity import FORM_TOKENS
from wagtail_qf.models import Submission

from ..fakes import particulier as api
from .identity_helpers import IDENTITY, form_token, send

pytestmark = pytest.mark.django_db

VALID = IDENTITY


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
    for name, autocomplete in [
        ("nom_naissance", "family-name"),
        ("prenoms", "given-name"),
        ("jour", "bday-day"),
        ("mois", "bday-month"),
        ("annee", "bday-year"),
    ]:
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
    assert 'aria-describedby="id_nom_naissance-errors"' in html
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
    response = post(client, page, action="rechercher", commune="", commune_recherche="chatillon e", sexe="")
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
    html = post(client, page, action="rechercher", commune="", commune_recherche=former.name).content.decode()
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
    settings.WAGTAIL_QF = {
        **settings.WAGTAIL_QF,
        "RATE_LIMITS": {"login": (20, 10**9), "transmit": (10, 10**9), "communes": (2, 10**9)},
    }
    url = reverse("wagtail_qf:communes")
    assert client.get(url, {"q": "paris"}).status_code == 200
    assert client.get(url, {"q": "paris"}).status_code == 200
    assert client.get(url, {"q": "paris"}).status_code == 429


# -- sending the request -----------------------------------------------------------
def test_valid_request_makes_a_dossier_then_calls_identite_in_the_background(
    client, page, respx_mock, django_capture_on_commit_callbacks
):
    route = api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    token = form_token(client, page)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = send(client, page, token, nom_usage="Martin", prenoms="Paul Louis Jean")
    assert response.status_code == 302
    assert response["Location"] == page.url + "confirmation/"
    # The dossier exists before any call: the call is the background task's.
    submission = Submission.objects.get()
    assert (submission.source, submission.lookup, route.call_count) == ("identity", "pending", 0)
    assert submission.submission_token == token
    assert submission.email == "famille.dupont@example.org"
    assert submission.family_name == "Dupont" and submission.given_names == "Paul Louis Jean"
    assert submission.usage_name == "Martin" and str(submission.birthdate) == "1980-06-15"
    assert (submission.birthplace, submission.birthcountry, submission.gender) == ("26086", "99100", "male")

    for callback in callbacks:
        callback()
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
        "1980",
        "6",
        "15",
    )
    assert params["codeCogInseePaysNaissance"] == "99100"
    assert params["codeCogInseeCommuneNaissance"] == "26086"
    assert (params["annee"], params["mois"]) == (str(month.year), str(month.month))
    submission.refresh_from_db()
    assert (submission.lookup, submission.qf_value, submission.lookup_attempts) == ("found", 1234, 1)


def test_born_abroad_sends_the_country_and_no_commune(
    client, page, respx_mock, django_capture_on_commit_callbacks
):
    route = api.particulier_ok(respx_mock, api.DUBOIS, path=api.IDENTITY_PATH)
    with django_capture_on_commit_callbacks(execute=True):
        send(client, page, lieu="etranger", pays="99350", commune="", commune_recherche="", sexe="F")
    params = route.calls.last.request.url.params
    assert params["codeCogInseePaysNaissance"] == "99350"
    assert "codeCogInseeCommuneNaissance" not in params
    assert params["sexeEtatCivil"] == "F"


def test_email_and_certification_are_required(client, page):
    response = send(client, page, email="", confirm=None)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_email">Indiquez votre adresse électronique' in html
    assert 'href="#id_confirm">Cochez la case de certification' in html
    assert 'type="email" id="id_email"' in html and 'autocomplete="email"' in html
    html = send(client, page, email="pas-une-adresse").content.decode()
    assert "Indiquez une adresse électronique valide" in html
    assert Submission.objects.count() == 0


def test_the_session_keeps_only_the_reference(client, page):
    send(client, page)
    reference = Submission.objects.get().reference
    state = client.session["wagtail_qf"]
    assert "identity" not in state and state["id_token"] == ""
    assert state["pages"] == {str(page.pk): {"reference": reference}}
    assert state["expires_at"] > 0  # forgotten with the session's time to live
    assert FORM_TOKENS not in client.session or str(page.pk) not in client.session[FORM_TOKENS]


def test_a_request_sent_twice_makes_one_dossier(client, page):
    token = form_token(client, page)
    first = send(client, page, token)
    second = send(client, page, token)  # double click, or the back button and « Envoyer » again
    assert first["Location"] == second["Location"] == page.url + "confirmation/"
    assert Submission.objects.count() == 1


def test_an_expired_form_is_said_and_sent_again(client, page):
    form_token(client, page)
    response = send(client, page, token="a-token-of-another-session")
    assert response.status_code == 400
    assert "Ce formulaire a expiré" in response.content.decode()
    assert Submission.objects.count() == 0
    assert send(client, page, token=response.context["form_token"]).status_code == 302


def test_no_pdf_summary_and_no_franceconnect_logout(client, page):
    send(client, page)
    html = client.get(page.url + "confirmation/").content.decode()
    assert "recapitulatif" not in html and "Télécharger" not in html
    assert "Se déconnecter" not in html and "deconnexion" not in html
    assert client.get(page.url + "confirmation/recapitulatif/").status_code == 302


def test_the_quotient_step_never_shows_data_to_a_typed_identity(client, page, logged_in):
    """A session of an older version, logged in through the form: no data without FranceConnect."""
    from ..factories import family_result

    logged_in(page, family_result())
    session = client.session
    session["wagtail_qf"]["identity"]["source"] = "identity"
    session["wagtail_qf"]["id_token"] = ""
    session.save()
    for step in ("consentement/", "quotient/"):
        assert client.get(page.url + step)["Location"] == page.url
    assert client.post(page.url + "reessayer/")["Location"] == page.url


def test_children_rows_only_on_pages_that_collect_children(client, make_qf_page):
    without = make_qf_page(allow_identity_form=True, slug="sans-enfants", collect_children=False)
    assert "enfant1_prenoms" not in client.get(form_url(without)).content.decode()
    with_children = make_qf_page(allow_identity_form=True, slug="avec-enfants", collect_children=True)
    html = client.get(form_url(with_children)).content.decode()
    for n in range(1, 7):
        assert f'name="enfant{n}_prenoms"' in html and f'for="id_enfant{n}_prenoms"' in html
        assert f'<legend class="fr-fieldset__legend">Enfant {n} (facultatif)</legend>' in html
        assert f'aria-describedby="enfant{n}-date-hint"' in html
    assert 'name="enfant7_prenoms"' not in html
    assert 'autocomplete="bday-day"' in html and html.count('autocomplete="bday-day"') == 1


def test_declared_children_are_kept_as_typed_until_checked(client, make_qf_page):
    page = make_qf_page(allow_identity_form=True, collect_children=True)
    response = send(
        client,
        page,
        enfant1_prenoms="  Léa  Marie ",
        enfant1_jour="30",
        enfant1_mois="1",
        enfant1_annee="2018",
        enfant3_prenoms="Jean",
        enfant3_jour="4",
        enfant3_mois="3",
        enfant3_annee="2012",
    )
    assert response.status_code == 302
    assert Submission.objects.get().declared_children == [
        {"prenoms": "Léa Marie", "date_naissance": "2018-01-30", "matched": False},
        {"prenoms": "Jean", "date_naissance": "2012-03-04", "matched": False},
    ]


def test_a_child_row_half_filled_is_explained(client, make_qf_page):
    page = make_qf_page(allow_identity_form=True, collect_children=True)
    response = send(
        client,
        page,
        enfant2_prenoms="Léa",
        enfant2_jour="31",
        enfant2_mois="2",
        enfant2_annee="2018",
        enfant4_jour="1",
        enfant4_mois="1",
        enfant4_annee="2015",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_enfant2_jour">Enfant 2 : La date de naissance doit être une date réelle' in html
    assert 'href="#id_enfant4_prenoms">Enfant 4 : indiquez son prénom.' in html
    assert 'id="enfant2-date-errors"' in html
    assert 'value="Léa"' in html  # what was typed is kept
    assert Submission.objects.count() == 0


def test_countries_are_insee_codes():
    codes = dict(countries())
    assert codes["99109"] == "Allemagne" and codes["99350"] == "Maroc" and codes["99352"] == "Algérie"
    assert "99100" not in codes
    assert all(len(code) == 5 and code.startswith("99") for code in codes)
