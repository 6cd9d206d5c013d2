"""The whole journey through the FranceConnect callback, upstreams faked with respx."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model

from wagtail_qf.models import Submission

from ..fakes import particulier as api
from ..fakes.franceconnect import FakeFranceConnect

pytestmark = pytest.mark.django_db


@pytest.fixture
def fc(respx_mock):
    return FakeFranceConnect(respx_mock)


def login(client, fc, page):
    callback = fc.authorize(client, page.url + "connexion/")
    return client.get(callback)


def test_login_request_is_franceconnect_v2(client, fc, respx_mock, make_qf_page):
    page = make_qf_page(collect_address=True)
    fc.authorize(client, page.url + "connexion/")
    params = fc.last_authorize
    assert params["response_type"] == "code"
    assert params["client_id"] == "test-client-id"
    assert params["acr_values"] == "eidas1"
    assert params["redirect_uri"] == "http://testserver/qf/franceconnect/callback/"
    assert len(params["nonce"]) >= 22 and len(params["state"]) >= 22
    assert params["code_challenge_method"] == "S256"
    scopes = params["scope"].split()
    assert {
        "openid",
        "family_name",
        "given_name",
        "birthdate",
        "gender",
        "birthplace",
        "birthcountry",
        "cnaf_quotient_familial",
        "cnaf_enfants",
        "cnaf_allocataires",
        "cnaf_adresse",
    } <= set(scopes)


def test_full_journey_with_children(client, fc, respx_mock, qf_page):
    api_route = api.particulier_ok(respx_mock, api.DUPONT)
    users = get_user_model().objects.count()

    response = login(client, fc, qf_page)
    assert response.status_code == 302
    assert response["Location"] == qf_page.url + "consentement/"
    request = api_route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {fc.access_tokens[-1]}"
    query = parse_qs(urlsplit(str(request.url)).query)
    assert query["recipient"] == ["21350051800013"]
    assert "annee" in query and "mois" in query

    consent = client.get(response["Location"]).content.decode()
    assert "Vous êtes connecté en tant que <strong>Paul Louis DUPONT</strong>" in consent

    quotient = client.get(qf_page.url + "quotient/")
    html = quotient.content.decode()
    assert "1\xa0234 €" in html and "Source : CAF" in html
    assert html.count('name="children"') == 3
    form = quotient.context["form"]
    keys = [key for key, _label in form.fields["children"].choices]

    response = client.post(
        qf_page.url + "quotient/",
        {"form_token": form.initial["form_token"], "children": keys[:2], "confirm": "on"},
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert [c["prenoms"] for c in submission.children] == ["JEAN", "LUCIE"]
    assert submission.qf_value == 1234 and submission.qf_provider == "CNAF"
    assert submission.raw_response["quotient_familial"]["valeur"] == 1234
    assert "adresse" not in submission.raw_response
    confirmation = client.get(response["Location"]).content.decode()
    assert submission.reference in confirmation
    assert get_user_model().objects.count() == users

    # Logout: local session cleared, then FranceConnect's end session.
    response = client.post(qf_page.url + "deconnexion/")
    assert response.status_code == 302
    end = urlsplit(response["Location"])
    assert f"{end.scheme}://{end.netloc}{end.path}" == "https://fc.test/api/v2/session/end"
    params = {k: v[0] for k, v in parse_qs(end.query).items()}
    assert params["post_logout_redirect_uri"] == "http://testserver/qf/franceconnect/logout/"
    assert params["id_token_hint"].count(".") == 2
    assert "wagtail_qf" not in client.session
    back = client.get(f"/qf/franceconnect/logout/?state={params['state']}")
    assert back["Location"] == qf_page.url + "?deconnexion=1"
    assert "Vous êtes déconnecté" in client.get(back["Location"]).content.decode()


def test_family_without_children(client, fc, respx_mock, qf_page):
    api.particulier_ok(respx_mock, api.DUBOIS)
    login(client, fc, qf_page)
    html = client.get(qf_page.url + "quotient/").content.decode()
    assert "2\xa0550 €" in html
    assert "Aucun enfant n'est connu" in html


def test_msa_family(client, fc, respx_mock, qf_page):
    api.particulier_ok(respx_mock, api.PLACARD)
    login(client, fc, qf_page)
    html = client.get(qf_page.url + "quotient/").content.decode()
    assert "687 €" in html and "Source : MSA" in html


def test_unknown_allocataire(client, fc, respx_mock, qf_page):
    api.particulier_error(respx_mock, 404, "23003")
    response = login(client, fc, qf_page)
    assert response["Location"] == qf_page.url + "consentement/"
    page = client.get(qf_page.url + "quotient/")
    html = page.content.decode()
    assert "ne connaissent pas de dossier" in html
    assert "attestation" in html
    assert "Transmettre mes données" not in html
    response = client.post(qf_page.url + "quotient/", {"form_token": "x", "confirm": "on"})
    assert Submission.objects.count() == 0


def test_upstream_down_offers_a_retry(client, fc, respx_mock, qf_page):
    route = api.particulier_error(respx_mock, 504, "37001")
    login(client, fc, qf_page)
    html = client.get(qf_page.url + "quotient/").content.decode()
    assert "momentanément indisponible" in html
    assert "Réessayer" in html
    assert route.call_count == 3  # one call and the two retries of the settings
    assert Submission.objects.count() == 0
    assert fc.access_tokens[-1] not in html


def test_cancelled_login(client, fc, qf_page):
    callback = fc.authorize(client, qf_page.url + "connexion/", error="access_denied")
    response = client.get(callback)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vous avez annulé la connexion" in html
    assert f'href="{qf_page.url}connexion/"' in html
    assert "identity" not in client.session.get("wagtail_qf", {})


def test_replayed_state_is_refused(client, fc, respx_mock, qf_page):
    api.particulier_ok(respx_mock, api.DUPONT)
    callback = fc.authorize(client, qf_page.url + "connexion/")
    assert client.get(callback).status_code == 302
    client.post(qf_page.url + "deconnexion/")
    replay = client.get(callback)
    assert replay.status_code == 400
    assert "expiré ou a déjà été utilisée" in replay.content.decode()
    assert "identity" not in client.session.get("wagtail_qf", {})


@pytest.mark.parametrize(
    "forge, code",
    [
        ({"aud": "another-client"}, "audience"),
        ({"iss": "https://evil.test/api/v2"}, "issuer"),
        ({"nonce": "n" * 32}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"acr": "eidas2"}, "acr"),
        ({"exp": 1000}, "expired"),
    ],
)
def test_forged_id_tokens_are_refused(client, fc, respx_mock, qf_page, forge, code, caplog):
    fc.id_token_overrides = forge
    response = login(client, fc, qf_page)
    assert response.status_code == 400
    assert "identity" not in client.session.get("wagtail_qf", {})
    assert f"code={code}" in caplog.text
    assert fc.access_tokens[-1] not in caplog.text


def test_token_signed_with_an_unknown_key_is_refused(client, fc, respx_mock, qf_page, caplog):
    from ..fakes.franceconnect import new_key

    fc.sign_with = (new_key(), fc.kid)
    assert login(client, fc, qf_page).status_code == 400
    assert "code=signature" in caplog.text


def test_userinfo_must_be_a_signed_jwt(client, fc, respx_mock, qf_page, caplog):
    fc.userinfo_as_json = True
    assert login(client, fc, qf_page).status_code == 400
    assert "code=userinfo" in caplog.text


def test_provider_down(client, fc, respx_mock, qf_page):
    import httpx

    fc.token_route.mock(side_effect=httpx.ConnectError("down"))
    response = login(client, fc, qf_page)
    assert response.status_code == 503
    assert "FranceConnect ne répond pas" in response.content.decode()


def test_retry_after_an_upstream_error_without_logging_in_again(client, fc, respx_mock, qf_page):
    import httpx

    route = api.route(respx_mock).mock(
        side_effect=[httpx.Response(504, json=api.error_body("37001"))] * 3
        + [httpx.Response(200, json=api.DUPONT)]
    )
    login(client, fc, qf_page)
    html = client.get(qf_page.url + "quotient/").content.decode()
    assert f'action="{qf_page.url}reessayer/"' in html
    response = client.post(qf_page.url + "reessayer/")
    assert response["Location"] == qf_page.url + "quotient/"
    assert route.call_count == 4
    assert len(fc.token_requests) == 1  # no new FranceConnect login
    assert "1\xa0234 €" in client.get(qf_page.url + "quotient/").content.decode()
    assert "access_token" not in client.session["wagtail_qf"]


def test_retry_after_the_token_expired_goes_through_franceconnect(client, fc, respx_mock, qf_page):
    api.particulier_error(respx_mock, 504, "37001")
    login(client, fc, qf_page)
    session = client.session
    session["wagtail_qf"]["access_token"]["until"] = 0
    session.save()
    html = client.get(qf_page.url + "quotient/").content.decode()
    assert "Réessayer en se reconnectant" in html
    response = client.post(qf_page.url + "reessayer/")
    assert response["Location"] == qf_page.url + "connexion/"


def test_not_found_keeps_no_token_and_offers_no_retry(client, fc, respx_mock, qf_page):
    api.particulier_error(respx_mock, 404, "23003")
    login(client, fc, qf_page)
    assert "access_token" not in client.session["wagtail_qf"]
    assert "Réessayer" not in client.get(qf_page.url + "quotient/").content.decode()


def test_page_unpublished_during_the_login(client, fc, respx_mock, qf_page):
    callback = fc.authorize(client, qf_page.url + "connexion/")
    qf_page.unpublish()
    response = client.get(callback)
    assert response.status_code == 400
    assert "plus disponible" in response.content.decode()
    assert "identity" not in client.session.get("wagtail_qf", {})
