"""No oracle: whatever API Particulier knows of an identity typed without FranceConnect, the
citizen's pages say nothing of it, and the limits protect the families and the commune's budget."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from wagtail_qf.models import Submission

from ..fakes import particulier as api
from .identity_helpers import SECRETS, ZORGLUB, form_url, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(make_qf_page):
    return make_qf_page(
        allow_identity_form=True, collect_children=True, collect_allocataires=True, collect_address=True
    )


OUTCOMES = {
    "found": lambda: api.httpx.Response(200, json=ZORGLUB),
    "not_found": lambda: api.httpx.Response(404, json=api.error_body("23003", "Allocataire non référencé")),
    "upstream_error": lambda: api.httpx.Response(503, json=api.error_body("37999")),
}
LOOKUP = {"found": "found", "not_found": "not_found", "upstream_error": "failed"}
CHILD = {
    "enfant1_prenoms": "Hermenegilde",
    "enfant1_jour": "29",
    "enfant1_mois": "12",
    "enfant1_annee": "2016",
}


def journey(client, page, respx_mock, outcome, capture):
    """Every response the citizen gets on the path, the lookup having run in between."""
    api.route(respx_mock, api.IDENTITY_PATH).mock(side_effect=lambda request: OUTCOMES[outcome]())
    responses = [client.get(page.url), client.get(form_url(page))]
    with capture(execute=True):
        responses.append(send(client, page, **CHILD))
    assert Submission.objects.get(email="famille.dupont@example.org").lookup == LOOKUP[outcome]
    responses += [client.get(page.url + "confirmation/"), client.get(form_url(page)), client.get(page.url)]
    return responses


def leaks(response) -> list[str]:
    text = response.content.decode() + "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return [secret for secret in SECRETS if secret in text]


@pytest.mark.parametrize("outcome", ["found", "not_found"])
def test_the_identity_paths_pages_show_none_of_the_apis_values(
    client, page, respx_mock, django_capture_on_commit_callbacks, outcome
):
    responses = journey(client, page, respx_mock, outcome, django_capture_on_commit_callbacks)
    assert [r.status_code for r in responses] == [200, 200, 302, 200, 200, 200]
    assert [leaks(r) for r in responses] == [[]] * len(responses)
    confirmation = responses[3].content.decode()
    assert (
        "La mairie vérifie votre quotient familial auprès de la CAF ou de la MSA et vous répond par e-mail"
        in (confirmation)
    )
    if outcome == "found":  # the values were there to leak: the dossier has them
        submission = Submission.objects.get()
        assert submission.qf_value == 4321 and submission.children[0]["prenoms"] == "HERMENEGILDE"


def _comparable(response, reference):
    body = response.content.decode().replace(reference, "QF-REFERENCE")
    headers = {k: v for k, v in response.headers.items() if k != "Set-Cookie"}
    cookies = sorted(response.cookies)
    return response.status_code, headers, cookies, body


def test_same_response_for_found_not_found_and_upstream_error(
    page, respx_mock, django_capture_on_commit_callbacks
):
    seen = {}
    for outcome in OUTCOMES:
        client = Client()
        api.route(respx_mock, api.IDENTITY_PATH).mock(side_effect=lambda request, o=outcome: OUTCOMES[o]())
        with django_capture_on_commit_callbacks(execute=True):
            sent = send(client, page, **CHILD)
        confirmation = client.get(page.url + "confirmation/")
        submission = Submission.objects.order_by("-pk").first()
        assert submission.lookup == LOOKUP[outcome]
        seen[outcome] = [_comparable(r, submission.reference) for r in (sent, confirmation)]
    assert seen["found"] == seen["not_found"] == seen["upstream_error"]
    status, headers, _, body = seen["found"][1]
    assert status == 200 and "QF-REFERENCE" in body and headers["Cache-Control"] == "no-store, private"


# -- limits ---------------------------------------------------------------------------
def test_per_identity_limit_whatever_the_spelling_and_the_address(
    client, page, django_capture_on_commit_callbacks
):
    spellings = [
        {"nom_naissance": "Dupont"},
        {"nom_naissance": "DUPONT", "prenoms": "Paul"},
        {"nom_naissance": " dupont ", "prenoms": "PAUL Louis Jean"},
    ]
    for n, spelling in enumerate(spellings):
        assert send(Client(), page, address=f"10.0.0.{n + 1}", **spelling).status_code == 302
    response = send(Client(), page, address="10.0.0.9", nom_naissance="Dupônt")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Plusieurs demandes ont déjà été envoyées aujourd'hui pour cette identité" in html
    assert "déposer votre attestation de quotient familial" in html and f'href="{page.url}"' in html
    assert Submission.objects.count() == 3
    # Another person is not held back.
    assert send(Client(), page, address="10.0.0.9", nom_naissance="Martin").status_code == 302


def test_the_cache_never_holds_an_identity_in_clear(client, page):
    send(client, page)
    keys = " ".join(cache._cache.keys()).lower()  # the test settings' local-memory cache
    assert ":identity_person:" in keys
    assert not re.search(r"dupont|paul|1980|26086", keys)


def test_per_page_limit(page, make_qf_page, settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RATE_LIMITS": {"identity_page": (2, 3600)}}
    other = make_qf_page(allow_identity_form=True, slug="autre-page")
    for n, name in enumerate(["Martin", "Bernard"]):
        assert send(Client(), page, address=f"10.0.1.{n}", nom_naissance=name).status_code == 302
    response = send(Client(), page, address="10.0.1.9", nom_naissance="Petit")
    assert response.status_code == 429
    assert "Le service reçoit un très grand nombre de demandes en ce moment" in response.content.decode()
    assert send(Client(), other, address="10.0.1.9", nom_naissance="Petit").status_code == 302


def test_per_address_limit_counts_every_request(client, page, settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "RATE_LIMITS": {"identity": (2, 600)}}
    assert send(client, page, email="").status_code == 400
    assert send(client, page, nom_naissance="Martin").status_code == 302
    response = send(client, page, nom_naissance="Bernard")
    assert response.status_code == 429
    assert "Patientez quelques minutes" in response.content.decode()
    assert Submission.objects.count() == 1
