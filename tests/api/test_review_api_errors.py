"""What the editors' API answers to a request it cannot serve, read as an editor's developer reads
the README and the OpenAPI document: always the documented JSON ``{"detail": "..."}`` in French
with a documented status, never a 500, an HTML page, ninja's own English list or another language."""

import pytest

from wagtail_qf.dossiers import documents

from ..documents.files import pdf, upload

pytestmark = pytest.mark.django_db

API = "/qf/api/v1/"


def assert_french_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail"} and isinstance(body["detail"], str)
    assert response["Cache-Control"] == "no-store"
    return body["detail"]


@pytest.mark.parametrize(
    "since",
    [
        "9999-12-31T23:59:59-01:00",  # after the last instant a date can hold, once in UTC
        "0001-01-01",  # midnight in Paris is still in year 0 in UTC
        "0001-01-01T00:00:00+14:00",
    ],
)
def test_a_since_out_of_the_datetime_range_is_a_400_not_a_500(api, qf_page, make_token, since):
    _, clear = make_token(qf_page)
    detail = assert_french_json_error(api("dossiers/", clear, since=since), 400)
    assert "« since »" in detail


@pytest.mark.parametrize("path", ["inconnu/", "dossiers/QF-1/inconnu/", "v2/dossiers/", ""])
def test_an_unknown_path_of_the_api_is_a_json_404(client, qf_page, make_token, path):
    _, clear = make_token(qf_page)
    response = client.get(API + path, HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert_french_json_error(response, 404)


def test_a_path_without_its_final_slash_is_still_redirected(client):
    response = client.get(API + "dossiers")
    assert response.status_code == 301 and response["Location"] == API + "dossiers/"


def test_a_document_id_that_is_not_a_number_is_a_404(client, qf_page, make_token, make_submission):
    _, clear = make_token(qf_page)
    reference = make_submission(qf_page).reference
    response = client.get(f"{API}dossiers/{reference}/documents/abc/", HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert_french_json_error(response, 404)  # not ninja's 422 list, which the document does not announce


def test_a_document_whose_file_is_lost_is_a_french_json_404(
    api, qf_page, make_token, make_submission, admin_user, settings, tmp_path
):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "DOCUMENTS": {"DIRECTORY": str(tmp_path)}}
    _, clear = make_token(qf_page)
    dossier = make_submission(qf_page)
    document = documents.add_agent_document(dossier, admin_user, upload("décision.pdf", pdf()))
    document.file.storage.delete(document.file.name)  # a restored database, a lost volume
    detail = assert_french_json_error(
        api(f"dossiers/{dossier.reference}/documents/{document.pk}/", clear), 404
    )
    assert detail == "Document introuvable."


@pytest.mark.parametrize("language", ["en", "en-GB,en;q=0.9", "de"])
def test_errors_are_in_french_whatever_the_accept_language(client, qf_page, make_token, language):
    """The README and the document say it: the ``detail`` is French, whoever's HTTP library adds
    an ``Accept-Language``."""
    _, clear = make_token(qf_page)
    unauthorised = client.get(API + "dossiers/", HTTP_ACCEPT_LANGUAGE=language)
    assert (
        assert_french_json_error(unauthorised, 401)
        == "Jeton d'authentification absent, invalide ou désactivé."
    )
    bad = client.get(
        API + "dossiers/?limit=0", HTTP_ACCEPT_LANGUAGE=language, HTTP_AUTHORIZATION=f"Bearer {clear}"
    )
    assert assert_french_json_error(bad, 400).startswith("Paramètre « limit » invalide")


@pytest.mark.parametrize(
    "path", ["dossiers/QF-1%00/", "dossiers/QF-1%00/echanges/", "dossiers/QF-1%00/documents/1/"]
)
def test_a_reference_with_a_nul_character_is_a_404(client, qf_page, make_token, path):
    """PostgreSQL refuses a NUL in a text parameter: the API must not let it reach a query (a 500)."""
    _, clear = make_token(qf_page)
    assert_french_json_error(client.get(API + path, HTTP_AUTHORIZATION=f"Bearer {clear}"), 404)


def test_a_token_with_a_nul_character_is_a_401(client, qf_page, make_token):
    make_token(qf_page)
    assert_french_json_error(client.get(API + "dossiers/", HTTP_AUTHORIZATION="Bearer qfe_abc\x00defgh"), 401)
