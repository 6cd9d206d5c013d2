"""Intercommunal pages: the citizen chooses their commune of residence before logging in."""

import pytest
from django.core.exceptions import ValidationError

from wagtail_qf.models import ServedCommune, Submission
from wagtail_qf.models.communes import search_served

from ..factories import family_result, page_editor_data
from ..fakes import particulier as api
from ..fakes.franceconnect import FakeFranceConnect

pytestmark = pytest.mark.django_db

THREE = ["35051", "35238", "35024"]  # Cesson-Sévigné, Rennes, Betton
FIFTEEN = [
    "35238",
    "35051",
    "35001",
    "35024",
    "35047",
    "35055",
    "35066",
    "35076",
    "35281",
    "35353",
    "35334",
    "35210",
    "35240",
    "35196",
    "35363",
]


@pytest.fixture
def fc(respx_mock):
    return FakeFranceConnect(respx_mock)


def radios(html):
    return html.count('type="radio" id="id_commune_')


# -- a page without served communes: unchanged -----------------------------------
def test_page_without_served_communes_is_unchanged(client, qf_page, fc):
    html = client.get(qf_page.url).content.decode()
    assert "Votre commune de résidence" not in html and 'name="commune"' not in html
    assert f'<form method="get" action="{qf_page.url}connexion/">' in html
    fc.authorize(client, qf_page.url + "connexion/")  # straight to FranceConnect


def test_page_without_served_communes_stores_its_own_commune(client, qf_page, logged_in):
    token = logged_in(qf_page, family_result())
    html = client.get(qf_page.url + "quotient/").content.decode()
    assert "Commune :" not in html
    client.post(qf_page.url + "quotient/", {"form_token": token, "confirm": "on", "no_child": "on"})
    submission = Submission.objects.get()
    assert (submission.commune_cog, submission.commune_name) == ("35051", "Cesson-Sévigné")


# -- choosing -------------------------------------------------------------------------
def test_few_communes_are_radio_buttons(client, epci):
    page = epci(THREE)
    html = client.get(page.url).content.decode()
    assert "<legend" in html and "Votre commune de résidence" in html
    assert radios(html) == 3 and 'name="commune_recherche"' not in html
    assert 'value="35051"' in html and "Cesson-Sévigné (35510)" in html and "Betton (35830)" in html
    # The choice comes before the FranceConnect button, which submits it.
    assert html.index("Votre commune de résidence") < html.index('class="fr-connect"')
    assert 'form="qf-commune-form" name="suite" value="franceconnect"' in html


def test_many_communes_are_searched_without_javascript(client, epci):
    page = epci(FIFTEEN)
    html = client.get(page.url).content.decode()
    assert 'name="commune_recherche"' in html and radios(html) == 0
    assert 'name="action" value="rechercher"' in html


@pytest.mark.parametrize(
    "query", ["35510", "cesson sevigne", "35510 CESSON SEVIGNE", "Cesson-Sévigné", "cesson", "CESSON-SEVIGNE"]
)
def test_search_finds_cesson_sevigne(client, epci, query):
    page = epci(FIFTEEN)
    response = client.post(page.url, {"action": "rechercher", "commune_recherche": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert radios(html) == 1 and 'value="35051"' in html and "Cesson-Sévigné (35510)" in html
    assert "1 commune trouvée." in html and f'value="{query}"' in html


def test_search_is_over_the_served_communes_only(client, epci):
    page = epci(FIFTEEN)
    html = client.post(page.url, {"action": "rechercher", "commune_recherche": "35310"}).content.decode()
    assert radios(html) == 2 and "Chavagne" in html and "Mordelles" in html
    html = client.post(page.url, {"action": "rechercher", "commune_recherche": "Brest"}).content.decode()
    assert radios(html) == 0 and "Aucune commune desservie ne correspond à « Brest »" in html
    html = client.post(page.url, {"action": "rechercher", "commune_recherche": ""}).content.decode()
    assert "Saisissez le nom ou le code postal de votre commune avant de lancer la recherche." in html


def test_search_helper_abbreviations_and_accents():
    served = [
        ServedCommune(cog="35281", name="Saint-Jacques-de-la-Lande", postcode="35136"),
        ServedCommune(cog="35334", name="Thorigné-Fouillard", postcode="35235"),
    ]
    assert [c.cog for c in search_served(served, "st jacques")] == ["35281"]
    assert [c.cog for c in search_served(served, "THORIGNE")] == ["35334"]
    assert [c.cog for c in search_served(served, "351")] == ["35281"]
    assert search_served(served, "") == [] and search_served(served, "35000") == []


# -- required before the login ---------------------------------------------------------
def test_login_without_a_choice_goes_back_to_the_start_with_an_error(client, epci):
    page = epci(THREE)
    response = client.get(page.url + "connexion/")
    assert response.status_code == 302
    assert response["Location"] == page.url + "?commune=requise#erreurs"
    response = client.get(response["Location"])
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Erreur – " in html
    assert 'tabindex="-1" id="erreurs" autofocus' in html  # focused on load
    assert '<a href="#id_commune_0">Choisissez votre commune de résidence avant de continuer.</a>' in html
    assert 'id="commune-choix-errors"' in html and 'aria-invalid="true"' in html


def test_franceconnect_button_without_a_choice_is_refused(client, epci):
    page = epci(FIFTEEN)
    response = client.post(page.url, {"suite": "franceconnect", "commune_recherche": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_commune_recherche">Choisissez votre commune de résidence.</a>' in html
    assert client.get(page.url + "connexion/").status_code == 302
    assert client.get(page.url + "connexion/")["Location"].startswith(page.url + "?commune=requise")


@pytest.mark.parametrize("forged", ["29019", "35999", "<script>", "3505"])
def test_forged_commune_code_is_refused(client, epci, forged):
    page = epci(THREE)
    response = client.post(page.url, {"suite": "franceconnect", "commune": forged})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Cette commune n&#x27;est pas desservie par ce service" in html
    assert "communes" not in client.session.get("wagtail_qf", {})


def test_consent_and_quotient_need_the_choice(client, epci, logged_in):
    page = epci(THREE)
    logged_in(page, family_result())
    for step in ("consentement/", "quotient/"):
        response = client.get(page.url + step)
        assert response.status_code == 302 and "commune=requise" in response["Location"]


def test_identity_path_needs_the_choice(client, epci):
    page = epci(THREE, allow_identity_form=True)
    response = client.get(page.url + "sans-franceconnect/")
    assert response.status_code == 302 and "commune=requise" in response["Location"]
    html = client.get(page.url).content.decode()
    assert 'form="qf-commune-form" name="suite" value="identite"' in html
    response = client.post(page.url, {"suite": "identite", "commune": "35024"})
    assert response["Location"] == page.url + "sans-franceconnect/"
    assert client.get(response["Location"]).status_code == 200


# -- through FranceConnect, into the dossier ---------------------------------------------
def test_choice_survives_franceconnect_and_is_stored_in_the_dossier(client, epci, fc, respx_mock):
    page = epci(FIFTEEN)
    api_route = api.particulier_ok(respx_mock, api.DUPONT)
    html = client.post(page.url, {"action": "rechercher", "commune_recherche": "35510"}).content.decode()
    assert 'value="35051"' in html
    response = client.post(
        page.url, {"suite": "franceconnect", "commune": "35051", "commune_recherche": "35510"}
    )
    assert response.status_code == 302 and response["Location"] == page.url + "connexion/"

    response = client.get(fc.authorize(client, response["Location"]))
    assert response["Location"] == page.url + "consentement/"
    assert "recipient=21350051800013" in str(api_route.calls.last.request.url)  # the page's SIRET

    consent = client.get(page.url + "consentement/").content.decode()
    assert "Commune de Cesson-Sévigné (35510)" in consent
    quotient = client.get(page.url + "quotient/")
    assert "Commune : <strong>Cesson-Sévigné (35510)</strong>" in quotient.content.decode()
    form = quotient.context["form"]
    response = client.post(
        page.url + "quotient/", {"form_token": form.initial["form_token"], "confirm": "on", "no_child": "on"}
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.commune_cog, submission.commune_name) == ("35051", "Cesson-Sévigné")


def test_start_keeps_the_choice_checked(client, epci):
    page = epci(FIFTEEN)
    client.post(page.url, {"suite": "franceconnect", "commune": "35024"})
    html = client.get(page.url).content.decode()
    assert 'value="35024" checked' in html and radios(html) == 1


def test_logged_in_citizen_resumes_with_the_choice(client, epci, logged_in):
    page = epci(THREE)
    logged_in(page, family_result())
    html = client.get(page.url).content.decode()
    assert 'value="reprendre"' in html
    response = client.post(page.url, {"suite": "reprendre", "commune": "35238"})
    assert response["Location"] == page.url + "consentement/"
    assert "Commune de Rennes (35000)" in client.get(response["Location"]).content.decode()


# -- the editor -------------------------------------------------------------------------
def test_served_commune_is_filled_from_the_reference_data():
    commune = ServedCommune(cog="35051")
    commune.clean()
    assert (commune.name, commune.postcode) == ("Cesson-Sévigné", "35510")
    kept = ServedCommune(cog="2a004", name="Ajaccio (centre)", postcode="20090")
    kept.clean()
    assert (kept.cog, kept.name, kept.postcode) == ("2A004", "Ajaccio (centre)", "20090")


@pytest.mark.parametrize(
    "cog, message", [("35999", "ne correspond à aucune commune"), ("ABCDE", "comporte 5 caractères")]
)
def test_unknown_cog_is_refused(cog, message):
    with pytest.raises(ValidationError) as error:
        ServedCommune(cog=cog).clean()
    assert message in str(error.value)


def test_page_editor_refuses_an_unknown_cog(client, epci, django_user_model):
    page = epci([])
    admin = django_user_model.objects.create_superuser("webmaster", "w@example.org", "pw")
    client.force_login(admin)
    url = f"/admin/pages/{page.pk}/edit/"
    assert "Communes desservies (site intercommunal)" in client.get(url).content.decode()
    data = page_editor_data(page, [("35051", ""), ("35999", "")])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ne correspond à aucune commune actuelle" in response.content.decode()
    assert not ServedCommune.objects.exists()
    response = client.post(url, dict(data, **{"served_communes-TOTAL_FORMS": "1"}))
    assert response.status_code == 302
    assert [(c.cog, c.name, c.postcode) for c in ServedCommune.objects.all()] == [
        ("35051", "Cesson-Sévigné", "35510")
    ]
