"""The commune's software reads the conversation of a dossier through the editors' API (issue 18):
the changes of status, the agents' messages to the family with their delivery, the family's
complements, and the documents (the files too) — never an internal comment, never another
commune's dossier, nothing once the dossier is anonymised."""

import pytest

from wagtail_qf.dossiers import documents, history
from wagtail_qf.models import Submission

from .files import pdf, upload

pytestmark = pytest.mark.django_db

ASKED = "Merci d'envoyer l'attestation de la CAF de mars."
INTERNAL = "Appelé M. DUPONT, dossier incomplet."


@pytest.fixture
def conversation(qf_page, make_submission, documents_dir, admin_user, django_capture_on_commit_callbacks):
    documents_dir()
    dossier = make_submission(qf_page, email="famille@example.org", status="received")
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail's task runs once committed
        history.change_status(dossier, "awaiting", admin_user, ASKED)
    history.add_comment(dossier, admin_user, INTERNAL)
    documents.add_family_documents(dossier, [upload("attestation.pdf", pdf())], "Voici l'attestation.")
    documents.add_agent_document(dossier, admin_user, upload("décision.pdf", pdf()), visible_to_family=True)
    return dossier


def test_the_software_reads_the_conversation_without_the_internal_comments(
    api, make_token, qf_page, conversation
):
    _, clear = make_token(qf_page)
    response = api(f"dossiers/{conversation.reference}/echanges/", clear)
    assert response.status_code == 200
    body = response.json()
    kinds = [(event["kind"], event.get("status"), event.get("message")) for event in body["events"]]
    assert kinds == [
        ("status", "awaiting", None),
        ("message", None, ASKED),
        ("complement", None, "Voici l'attestation."),
        ("status", "received", None),  # the dossier back to the agents
    ]
    assert body["events"][1]["delivery"] == "sent"
    assert body["events"][2]["document_names"] == ["attestation.pdf"]
    assert INTERNAL not in response.content.decode()
    assert [(d["name"], d["author"], d["visible_to_family"]) for d in body["documents"]] == [
        ("attestation.pdf", "family", True),  # the family sees what it sent
        ("décision.pdf", "agent", True),
    ]

    download = api(body["documents"][0]["url"].split("/qf/api/v1/", 1)[1], clear)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_another_communes_token_reads_nothing(api, make_token, make_qf_page, conversation):
    _, other = make_token(make_qf_page(slug="autre", title="Autre commune"))
    document = conversation.documents.first()
    assert api(f"dossiers/{conversation.reference}/echanges/", other).status_code == 404
    assert api(f"dossiers/{conversation.reference}/documents/{document.pk}/", other).status_code == 404
    assert api(f"dossiers/{conversation.reference}/echanges/").status_code == 401


def test_an_anonymised_dossier_has_no_conversation_left(api, make_token, qf_page, conversation):
    _, clear = make_token(qf_page)
    document = conversation.documents.first()
    Submission.objects.filter(pk=conversation.pk).update(anonymised_at=conversation.submitted_at)
    assert api(f"dossiers/{conversation.reference}/echanges/", clear).status_code == 404
    assert api(f"dossiers/{conversation.reference}/documents/{document.pk}/", clear).status_code == 404
