"""The family answers a request for complements from « Suivre ma demande » (issue 18): a message
and documents for a dossier the follow-up opens, never for another; the documents it may see
are downloaded during its session only."""

import datetime
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from wagtail_qf.dossiers import documents
from wagtail_qf.models import DossierDocument, FollowUpLink, Submission
from wagtail_qf.models.follow_up import token_hash

from ..documents.files import pdf

pytestmark = pytest.mark.django_db

ANSWER = "Voici l'attestation de la CAF de mars."


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "DOCUMENTS": {"DIRECTORY": str(tmp_path / "private")}}


@pytest.fixture
def dossiers(qf_page, make_submission, private_storage):
    """Two dossiers awaiting complements: the family's (opened by its follow-up) and a neighbour's."""
    return (
        make_submission(qf_page, status="awaiting", email="famille@example.org"),
        make_submission(qf_page, status="awaiting", email="voisin@example.org"),
    )


def follow_up(page):
    return page.url + "suivi/"


def open_follow_up(client, page, *submissions):
    """Open the follow-up of ``submissions`` with a link, as the e-mail gives it."""
    token = secrets.token_urlsafe(32)
    FollowUpLink.objects.create(
        page=page,
        submissions=[submission.pk for submission in submissions],
        token_hash=token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert client.post(follow_up(page), {"action": "lien", "lien": token}).status_code == 302


def attestation(name="attestation.pdf", data=None):
    return SimpleUploadedFile(name, data if data is not None else pdf(), content_type="application/pdf")


def test_the_family_sends_complements_for_its_dossier(
    client, qf_page, dossiers, django_capture_on_commit_callbacks
):
    mine, _neighbours = dossiers
    open_follow_up(client, qf_page, mine)
    html = client.get(follow_up(qf_page)).content.decode()
    assert "Envoyer les compléments demandés" in html and 'enctype="multipart/form-data"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            follow_up(qf_page),
            {"action": "complements", "dossier": mine.reference, "message": ANSWER, "files": [attestation()]},
        )
    assert response.status_code == 302 and response["Location"].endswith("suivi/?complements=envoyes")
    mine.refresh_from_db()
    assert mine.status == "received"
    (document,) = DossierDocument.objects.filter(submission=mine)
    html = client.get(response["Location"]).content.decode()
    assert "Vos compléments ont été envoyés à la mairie." in html
    assert "votre réponse (attestation.pdf)" in html and "Voici l&#x27;attestation de la CAF de mars." in html
    assert "Envoyer les compléments demandés" not in html  # no longer awaited
    download = client.get(follow_up(qf_page), {"document": document.pk})
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_no_complements_for_a_dossier_the_follow_up_does_not_open(client, qf_page, dossiers):
    mine, neighbours = dossiers
    open_follow_up(client, qf_page, mine)
    response = client.post(
        follow_up(qf_page),
        {
            "action": "complements",
            "dossier": neighbours.reference,
            "message": ANSWER,
            "files": [attestation()],
        },
    )
    assert response.status_code == 403
    assert not DossierDocument.objects.exists()
    assert Submission.objects.get(pk=neighbours.pk).status == "awaiting"
    # Without any access at all, neither.
    response = Client().post(
        follow_up(qf_page), {"action": "complements", "dossier": mine.reference, "message": ANSWER}
    )
    assert response.status_code == 403 and Submission.objects.get(pk=mine.pk).status == "awaiting"


def test_a_refused_document_is_explained_next_to_the_form(client, qf_page, dossiers):
    mine, _neighbours = dossiers
    open_follow_up(client, qf_page, mine)
    renamed = attestation("attestation.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(
        follow_up(qf_page),
        {"action": "complements", "dossier": mine.reference, "message": ANSWER, "files": [renamed]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f'href="#complements-{mine.reference}"' in html  # the error summary links to the field
    assert f'id="complements-{mine.reference}-errors"' in html and 'aria-invalid="true"' in html
    assert ANSWER.replace("'", "&#x27;") in html  # the message typed is kept
    assert not DossierDocument.objects.exists() and Submission.objects.get(pk=mine.pk).status == "awaiting"


def test_documents_are_served_only_for_the_dossiers_opened(client, qf_page, dossiers, admin_user):
    mine, neighbours = dossiers
    theirs = documents.add_agent_document(
        neighbours, admin_user, attestation("decision.pdf"), visible_to_family=True
    )
    internal = documents.add_agent_document(
        mine, admin_user, attestation("note.pdf"), visible_to_family=False
    )
    letter = documents.add_agent_document(
        mine, admin_user, attestation("decision.pdf"), visible_to_family=True
    )
    assert Client().get(follow_up(qf_page), {"document": letter.pk}).status_code == 404  # no session
    open_follow_up(client, qf_page, mine)
    html = client.get(follow_up(qf_page)).content.decode()
    assert f"?document={letter.pk}" in html and f"?document={internal.pk}" not in html
    assert client.get(follow_up(qf_page), {"document": letter.pk}).status_code == 200
    for refused in (theirs.pk, internal.pk, "x"):
        assert client.get(follow_up(qf_page), {"document": refused}).status_code == 404


def test_a_message_typed_when_the_access_ended_is_given_back(client, qf_page, dossiers):
    """The access ends while the family writes (its hour is up, or it logged out in another tab):
    nothing is sent, and the message it typed is shown back to copy, not lost."""
    mine, _neighbours = dossiers
    open_follow_up(client, qf_page, mine)
    assert client.post(follow_up(qf_page), {"action": "deconnexion"}).status_code == 302
    response = client.post(
        follow_up(qf_page),
        {"action": "complements", "dossier": mine.reference, "message": ANSWER, "files": [attestation()]},
    )
    html = response.content.decode()
    assert response.status_code == 403 and "Votre accès au suivi a pris fin" in html
    assert ANSWER.replace("'", "&#x27;") in html and 'id="lost-message"' in html
    assert 'for="lost-message"' in html  # a labelled field, to copy from
    assert "choisir de nouveau" in html  # the files are not kept: said plainly
    assert not DossierDocument.objects.exists() and Submission.objects.get(pk=mine.pk).status == "awaiting"
