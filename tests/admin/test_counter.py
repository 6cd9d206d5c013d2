"""« Nouveau dossier au guichet »: an agent creates a dossier for a family at the town hall (issue 15).

API Particulier is faked at the transport (respx)."""

import re
import time

import httpx
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from wagtail_qf.admin.counter import SESSION_KEY
from wagtail_qf.dossiers import history
from wagtail_qf.models import DossierLogEntry, Submission

from ..fakes import particulier as api

pytestmark = pytest.mark.django_db

INDEX = "/admin/quotients-familiaux/"
COUNTER = "/admin/quotients-familiaux/guichet/"
RESULT = "/admin/quotients-familiaux/guichet/resultat/"
BUTTON = "Nouveau dossier au guichet"
IDENTITY = {
    "nom_naissance": "Dupont",
    "prenoms": "Paul Louis",
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
JEAN = "DUPONT|JEAN|2012-03-04"
LEA = "DUPONT|LEA|2018-01-30"
COUNTER_PERMS = ("change_submission", "export_submission", "add_submission")


@pytest.fixture
def communes(two_communes, make_agent):
    home_a, page_a, home_b, page_b = two_communes
    return {
        "agent_a": make_agent("sandrine", home_a, perms=COUNTER_PERMS),
        "reader_a": make_agent("lecteur", home_a),  # sees commune A's dossiers, may not create
        "page_a": page_a,
        "page_b": page_b,
    }


@pytest.fixture
def agent(client, communes):
    client.force_login(communes["agent_a"])
    return communes["agent_a"]


def search(client, page, **changes):
    return client.post(COUNTER, {**IDENTITY, "page": page.pk, **changes})


def token(client):
    return client.session[SESSION_KEY]["token"]


# -- permissions -----------------------------------------------------------------
def test_counter_mode_needs_add_submission_no_button_and_403(client, communes, respx_mock):
    route = api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    client.force_login(communes["reader_a"])
    assert BUTTON not in client.get(INDEX).content.decode()
    assert client.get(COUNTER).status_code == 403
    assert search(client, communes["page_a"]).status_code == 403
    assert client.get(RESULT).status_code == 403
    assert client.post(RESULT, {"form_token": "x"}).status_code == 403
    assert not route.called and not Submission.objects.exists()


def test_counter_mode_needs_a_page_the_agent_may_edit(client, communes, django_user_model):
    """``add_submission`` alone is not enough: the agent must also have a QF page to edit."""
    user = django_user_model.objects.create_user("sans_page", "p@mairie.test", "pw")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "add_submission"]))
    client.force_login(user)
    assert client.get(COUNTER).status_code == 403


def test_counter_mode_button_for_agents_who_may(client, agent):
    html = client.get(INDEX).content.decode()
    assert BUTTON in html and f'href="{COUNTER}"' in html


def test_counter_mode_logged_out_goes_to_login(client, communes):
    response = client.get(COUNTER)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_counter_mode_agent_of_commune_a_cannot_create_for_commune_b(client, agent, communes, respx_mock):
    route = api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    page_b = communes["page_b"]
    # Only commune A's page is offered: with one page, no choice is asked.
    html = client.get(COUNTER).content.decode()
    assert f'name="page" value="{communes["page_a"].pk}"' in html and "QF Rennes" not in html
    # A forged POST with commune B's page is refused before any call.
    response = search(client, page_b)
    assert response.status_code == 400
    assert "Choisissez une page de la liste." in response.content.decode()
    assert not route.called and SESSION_KEY not in client.session
    # A session pointing at commune B's page (forged, or rights removed since) creates nothing.
    session = client.session
    session[SESSION_KEY] = {
        "page": page_b.pk,
        "identity": {**IDENTITY, "page": str(page_b.pk)},
        "token": "t-b",
        "result": None,
        "until": time.time() + 600,
    }
    session.save()
    assert client.get(RESULT)["Location"] == COUNTER
    client.post(RESULT, {"form_token": "t-b", "children": [JEAN]})
    assert not Submission.objects.filter(page=page_b).exists() and not route.called


# -- the dossier -----------------------------------------------------------------
def test_counter_dossier_marked_counter_with_agent_history_and_ticked_children_only(
    client, agent, communes, respx_mock
):
    route = api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    page = communes["page_a"]
    response = search(client, page)
    assert response.status_code == 302 and response["Location"] == RESULT
    call = route.calls.last.request
    assert call.headers["Authorization"] == "Bearer test-api-particulier-token"  # the commune's token
    assert call.url.params["recipient"] == page.siret
    assert call.url.params["nomNaissance"] == "Dupont"
    assert call.url.params["codeCogInseeCommuneNaissance"] == "26086"

    html = client.get(RESULT).content.decode()  # the answer, shown to the agent
    assert re.search(r"1\s234 €", html)  # the QF, in the locale's format
    assert "MARIE DUPONT (MARTIN)" in html  # allocataires
    for child in ("JEAN DUPONT", "LUCIE DUPONT", "LEA DUPONT"):
        assert child in html
    response = client.post(
        RESULT, {"form_token": token(client), "children": [JEAN, LEA], "email": "famille.dupont@example.fr"}
    )

    submission = Submission.objects.get()
    assert response["Location"] == reverse("wagtail_qf_submissions:inspect", args=[submission.pk])
    assert submission.source == "counter" and submission.entered_by == agent
    assert submission.page_id == page.pk and submission.email == "famille.dupont@example.fr"
    assert (submission.family_name, submission.given_names, submission.birthplace) == (
        "Dupont",
        "Paul Louis",
        "26086",
    )
    assert submission.qf_value == 1234
    assert [c["prenoms"] for c in submission.children] == ["JEAN", "LEA"]
    assert [c["prenoms"] for c in submission.raw_response["enfants"]] == ["JEAN", "LEA"]  # minimised
    entry = DossierLogEntry.objects.for_instance(submission).get(action=history.COUNTER)
    assert entry.user == agent
    assert SESSION_KEY not in client.session  # nothing of the family left in the agent's session

    detail = client.get(response["Location"]).content.decode()
    assert "Saisi au guichet par Sandrine" in detail
    assert "Sandrine a saisi le dossier au guichet" in detail


def test_counter_form_sent_twice_creates_one_dossier(client, agent, communes, respx_mock):
    api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    search(client, communes["page_a"])
    data = {"form_token": token(client), "children": [JEAN]}
    first = client.post(RESULT, data)
    second = client.post(RESULT, data)
    assert Submission.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert DossierLogEntry.objects.filter(action=history.COUNTER).count() == 1


def test_counter_forged_token_creates_nothing(client, agent, communes, respx_mock):
    api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    search(client, communes["page_a"])
    response = client.post(RESULT, {"form_token": "forged", "children": [JEAN]})
    assert response.status_code == 400
    assert "Ce formulaire a expiré ou a déjà été envoyé" in response.content.decode()
    assert not Submission.objects.exists()


def test_counter_invalid_email_is_explained(client, agent, communes, respx_mock):
    api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    search(client, communes["page_a"])
    response = client.post(RESULT, {"form_token": token(client), "email": "dupont@"})
    assert response.status_code == 400
    assert "Saisissez une adresse électronique valide" in response.content.decode()
    assert not Submission.objects.exists()


def test_counter_identity_form_has_the_same_validation(client, agent, communes, respx_mock):
    route = api.route(respx_mock, api.IDENTITY_PATH)
    response = search(
        client, communes["page_a"], nom_naissance="", jour="31", mois="2", commune="", commune_recherche=""
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "La date de naissance doit être une date réelle" in html
    assert 'href="#id_nom_naissance"' in html and 'href="#id_commune_recherche"' in html
    assert not route.called


def test_counter_commune_search_without_javascript(client, agent, communes):
    typed = {"commune": "", "commune_recherche": "lhay les roses", "action": "rechercher"}
    response = client.post(COUNTER, {**IDENTITY, "page": communes["page_a"].pk, **typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert "L&#x27;Haÿ-les-Roses (94)" in html
    assert 'name="commune" value="94038"' in html
    assert "wagtail_qf/communes.js" in html  # the same combobox, with JavaScript


# -- errors of API Particulier -----------------------------------------------------
NOT_FOUND = "La CAF et la MSA ne connaissent pas de dossier d&#x27;allocataire à cette identité"
DOWN = "La CAF ou la MSA n&#x27;a pas pu répondre pour le moment"
REFUSED = "L&#x27;accès de la commune à API Particulier est refusé"


@pytest.mark.parametrize(
    "status, code, told, retry",
    [
        (404, "23003", NOT_FOUND, False),
        (503, "", DOWN, True),
        (401, "00101", REFUSED, False),
    ],
)
def test_counter_api_errors_shown_to_the_agent_no_dossier(
    client, agent, communes, respx_mock, status, code, told, retry
):
    route = api.route(respx_mock, api.IDENTITY_PATH).mock(
        return_value=httpx.Response(status, json=api.error_body(code) if code else {})
    )
    assert search(client, communes["page_a"])["Location"] == RESULT
    html = client.get(RESULT).content.decode()
    assert told in html
    assert "attestation de quotient familial" in html
    assert "Aucun dossier n'a été créé." in html
    assert ('value="reessayer"' in html) is retry
    assert f'href="{COUNTER}?corriger=1"' in html
    assert "Créer le dossier" not in html
    assert client.post(RESULT, {"form_token": token(client)}).status_code == 400
    assert not Submission.objects.exists()
    if retry:  # the CAF is back: « Réessayer la recherche » calls again, with the same identity
        route.mock(return_value=httpx.Response(200, json=api.DUPONT))
        client.post(RESULT, {"action": "reessayer"})
        assert "Créer le dossier" in client.get(RESULT).content.decode()


def test_counter_correcting_the_identity_fills_the_form_again(client, agent, communes, respx_mock):
    api.particulier_error(respx_mock, 404, "23003", path=api.IDENTITY_PATH)
    search(client, communes["page_a"], nom_naissance="Dupond")
    html = client.get(COUNTER + "?corriger=1").content.decode()
    assert 'value="Dupond"' in html and 'value="26086"' in html
    assert 'value="Dupond"' not in client.get(COUNTER).content.decode()  # a new family: a blank form


def test_counter_state_forgotten_after_the_session_ttl(client, agent, communes, respx_mock, settings):
    """The family's identity and data do not linger in the agent's session."""
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "SESSION_TTL_SECONDS": -1}
    api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    search(client, communes["page_a"])
    stale = token(client)
    assert client.get(RESULT)["Location"] == COUNTER
    assert SESSION_KEY not in client.session
    client.post(RESULT, {"form_token": stale, "children": [JEAN]})
    assert not Submission.objects.exists()


def test_counter_searches_are_limited_per_agent(client, agent, communes, respx_mock, settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RATE_LIMITS": {"counter": (2, 10**9)}}
    route = api.particulier_ok(respx_mock, api.DUPONT, path=api.IDENTITY_PATH)
    for _ in range(2):
        assert search(client, communes["page_a"]).status_code == 302
    response = search(client, communes["page_a"])
    assert response.status_code == 429
    assert "patientez un moment" in response.content.decode()
    assert route.call_count == 2
