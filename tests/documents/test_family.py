"""The family answers a request for complements (issue 18): message and documents, all or none;
the dossier goes back to the agents, who are e-mailed; the history keeps what came."""

import json

import httpx
import pytest
import respx
from django.core import mail
from standardwebhooks.webhooks import Webhook

from wagtail_qf.dossiers import documents, history
from wagtail_qf.dossiers.documents import DocumentRefused

from .files import EICAR, SCANNER, image, pdf, upload

pytestmark = pytest.mark.django_db


def send(dossier, files, message="Voici l'attestation demandée."):
    return documents.add_family_documents(dossier, files, message)


def test_the_familys_complements_go_back_to_the_agents(awaiting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stored = send(awaiting, [upload("attestation.pdf", pdf()), upload("photo.jpg", image())])
    awaiting.refresh_from_db()
    assert awaiting.status == "received"
    assert [d.original_name for d in stored] == ["attestation.pdf", "photo.jpg"]
    assert all(d.author == "family" and d.visible_to_family for d in stored)
    story = history.entries(awaiting)
    complement = next(entry for entry in story if entry.action == documents.COMPLEMENT)
    assert complement.user_display_name == "Le demandeur"
    assert complement.message == "A envoyé des compléments : attestation.pdf, photo.jpg"
    assert complement.comment == "Voici l'attestation demandée."
    assert any(entry.action == history.STATUS and entry.data["new"] == "received" for entry in story)
    (notice,) = [m for m in mail.outbox if m.to == ["accueil@mairie.test"]]
    assert "Compléments reçus" in notice.subject
    assert awaiting.family_name not in notice.body and f"/{awaiting.pk}/" in notice.body


def test_the_status_after_complements_is_the_sites_choice(awaiting, documents_dir):
    documents_dir(STATUS_AFTER_COMPLEMENT="in_progress")
    send(awaiting, [upload("attestation.pdf", pdf())])
    awaiting.refresh_from_db()
    assert awaiting.status == "in_progress"


def test_a_message_alone_is_a_complement(awaiting):
    assert send(awaiting, [], message="Mon dossier CAF est à jour depuis hier.") == []
    awaiting.refresh_from_db()
    assert awaiting.status == "received"


def test_too_many_files_are_refused_and_nothing_is_kept(awaiting, documents_dir):
    documents_dir(MAX_FILES=2)
    with pytest.raises(DocumentRefused) as caught:
        send(awaiting, [upload(f"page{n}.pdf", pdf()) for n in range(3)])
    assert caught.value.reason == "too_many"
    assert "au plus 2 fichiers" in caught.value.message
    awaiting.refresh_from_db()
    assert awaiting.status == "awaiting" and not awaiting.documents.exists()
    assert not list(documents_dir().rglob("*.pdf"))


def test_one_bad_file_refuses_the_whole_sending(awaiting, documents_dir):
    documents_dir(SCAN=SCANNER)
    with pytest.raises(DocumentRefused) as caught:
        send(awaiting, [upload("attestation.pdf", pdf()), upload("virus.pdf", pdf() + EICAR)])
    assert caught.value.reason == "virus" and "virus.pdf" in caught.value.message
    awaiting.refresh_from_db()
    assert awaiting.status == "awaiting" and not awaiting.documents.exists()
    assert not list(documents_dir().rglob("*.pdf"))


@pytest.mark.parametrize("status", ["new", "received", "in_progress", "done", "closed", "refused"])
def test_only_a_dossier_awaiting_complements_takes_them(qf_page, make_submission, documents_dir, status):
    dossier = make_submission(qf_page, status=status)
    with pytest.raises(DocumentRefused) as caught:
        send(dossier, [upload("attestation.pdf", pdf())])
    assert caught.value.reason == "not_awaiting"
    assert not dossier.documents.exists()


def test_an_empty_sending_is_refused_with_what_to_do(awaiting):
    with pytest.raises(DocumentRefused) as caught:
        send(awaiting, [], message="   ")
    assert caught.value.message == "Écrivez un message ou joignez au moins un document."


def test_the_editors_software_hears_of_the_complement_without_personal_data(
    awaiting, make_token, django_capture_on_commit_callbacks
):
    hook = "https://editeur.test/qf/webhook"
    token, _ = make_token(awaiting.page, webhook_url=hook)
    with respx.mock(assert_all_called=False) as mock, django_capture_on_commit_callbacks(execute=True):
        route = mock.post(hook).mock(return_value=httpx.Response(204))
        send(awaiting, [upload("avis DUPONT.pdf", pdf())], message="M. DUPONT, voici l'avis.")
    payloads = [
        Webhook(token.webhook_secret).verify(c.request.content, c.request.headers) for c in route.calls
    ]
    (complement,) = [p for p in payloads if p["event"] == "dossier.complement_received"]
    assert (complement["reference"], complement["documents"]) == (awaiting.reference, 1)
    assert "DUPONT" not in json.dumps(payloads)
