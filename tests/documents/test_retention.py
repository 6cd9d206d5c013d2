"""Documents leave with their dossier (issue 18): the retention purge and a deleted dossier
delete their files from the storage, and the purge takes their names out of the history."""

import datetime

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.utils import timezone

from wagtail_qf.dossiers import documents, history
from wagtail_qf.dossiers.retention import purge
from wagtail_qf.models import DossierDocument, Submission

from .files import pdf, upload

pytestmark = pytest.mark.django_db


def old_dossier(page, make_submission, days_ago=400):
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    dossier = make_submission(page, status="awaiting", submitted_at=moment)
    Submission.objects.filter(pk=dossier.pk).update(updated_at=moment)
    return dossier


def test_the_purge_deletes_the_files_and_their_names(
    qf_page, make_submission, documents_dir, admin_user, django_capture_on_commit_callbacks
):
    gone = old_dossier(qf_page, make_submission)
    kept = make_submission(qf_page, status="awaiting")
    documents.add_family_documents(gone, [upload("avis DUPONT.pdf", pdf())], "Famille DUPONT")
    documents.add_agent_document(gone, admin_user, upload("décision DUPONT.pdf", pdf()))
    download = documents.file_response(gone.documents.first(), user=admin_user)
    # Closing a response ends a request: Django's test client keeps the connection open then (on
    # PostgreSQL, close_old_connections would close the test's transaction); do as it does.
    request_finished.disconnect(close_old_connections)
    try:
        download.close()
    finally:
        request_finished.connect(close_old_connections)
    documents.add_family_documents(kept, [upload("attestation.pdf", pdf())], "")
    assert len(list(documents_dir().rglob("*.pdf"))) == 3

    with django_capture_on_commit_callbacks(execute=True):
        assert purge() == 1

    assert not DossierDocument.objects.filter(submission=gone).exists()
    remaining = list(documents_dir().rglob("*.pdf"))
    assert [path.name for path in remaining] == [kept.documents.get().file.name.rsplit("/", 1)[-1]]
    story = history.entries(gone)
    assert {documents.COMPLEMENT, documents.ATTACHED, documents.DOWNLOADED} <= {
        entry.action for entry in story
    }
    assert all("DUPONT" not in str(entry.data) + entry.message + entry.comment for entry in story)


def test_a_deleted_dossier_takes_its_files_with_it(
    qf_page, make_submission, documents_dir, django_capture_on_commit_callbacks
):
    dossier = make_submission(qf_page, status="awaiting")
    documents.add_family_documents(dossier, [upload("attestation.pdf", pdf())], "")
    assert len(list(documents_dir().rglob("*.pdf"))) == 1
    with django_capture_on_commit_callbacks(execute=True):
        dossier.delete()
    assert not list(documents_dir().rglob("*.pdf"))
