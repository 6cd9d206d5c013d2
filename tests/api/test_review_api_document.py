"""The OpenAPI document as an editor's client generator reads it: what it announces is what the API
answers, and what the API answers is in it."""

import pytest

from wagtail_qf.dossiers import documents

from ..documents.files import pdf, upload

pytestmark = pytest.mark.django_db

API = "/qf/api/v1/"
DOCUMENT = "/dossiers/{reference}/documents/{document_id}/"


@pytest.fixture
def document(client):
    return client.get(API + "openapi.json").json()


def test_the_document_says_the_file_operation_answers_a_file(
    document, api, qf_page, make_token, make_submission, admin_user, settings, tmp_path
):
    """Without a content, a generated client reads nothing from ``get_document``."""
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "DOCUMENTS": {"DIRECTORY": str(tmp_path)}}
    _, clear = make_token(qf_page)
    dossier = make_submission(qf_page)
    stored = documents.add_agent_document(dossier, admin_user, upload("décision.pdf", pdf()))
    response = api(f"dossiers/{dossier.reference}/documents/{stored.pk}/", clear)
    assert response.status_code == 200

    content = document["paths"][DOCUMENT]["get"]["responses"]["200"]["content"]
    assert response["Content-Type"] in content
    assert set(content) == {"application/pdf", "image/jpeg", "image/png"}
    for media in content.values():
        assert media["schema"] == {"type": "string", "format": "binary"}
