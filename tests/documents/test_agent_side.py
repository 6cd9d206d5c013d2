"""The agents' side of documents (issue 18): attach one to a dossier, download one; only for
the agents who may see the dossier (page rights), never from a public URL."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from wagtail_qf.dossiers import documents, history
from wagtail_qf.models import DossierLogEntry

from .files import image, pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(two_communes, make_agent, make_submission, documents_dir):
    home_a, page_a, home_b, page_b = two_communes
    dossier = make_submission(page_a, status="in_progress")
    return {
        "agent_a": make_agent("sandrine", home_a),
        "reader_a": make_agent("lecteur", home_a, perms=()),
        "agent_b": make_agent("rennais", home_b),
        "dossier": dossier,
        "document": documents.add_agent_document(dossier, None, upload("decision.pdf", pdf()), True),
    }


def download_url(document):
    return reverse("wagtail_qf_submissions:document", args=[document.submission_id, document.pk])


def attach_url(dossier):
    return reverse("wagtail_qf_submissions:attach_document", args=[dossier.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_agent_of_the_page_downloads_the_document(client, communes):
    document = communes["document"]
    client.force_login(communes["reader_a"])  # seeing the dossier is enough to read its documents
    response = client.get(download_url(document))
    assert response.status_code == 200
    assert body(response) == pdf() or body(response).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="decision.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    downloads = DossierLogEntry.objects.for_instance(communes["dossier"]).filter(action=documents.DOWNLOADED)
    assert [(entry.user, entry.data["name"]) for entry in downloads] == [
        (communes["reader_a"], "decision.pdf")
    ]


def test_an_anonymous_visitor_never_gets_a_document(client, communes):
    response = client.get(download_url(communes["document"]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert b"%PDF" not in body(response)


def test_another_communes_agent_never_gets_a_document(client, communes):
    client.force_login(communes["agent_b"])
    response = client.get(download_url(communes["document"]))
    assert response.status_code == 404
    assert b"%PDF" not in body(response)


def test_a_document_is_only_found_under_its_own_dossier(client, communes, make_submission, two_communes):
    """Another dossier the agent may see does not open the document through its address."""
    other = make_submission(two_communes[1])
    client.force_login(communes["agent_a"])
    url = reverse("wagtail_qf_submissions:document", args=[other.pk, communes["document"].pk])
    assert client.get(url).status_code == 404


def test_documents_are_never_under_a_public_url(client, communes):
    document = communes["document"]
    path = Path(document.file.path).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() not in path.parents
    with pytest.raises(ValueError, match="no public URL"):
        document.file.url  # noqa: B018 -- the property is what is tested
    assert client.get(settings.MEDIA_URL + document.file.name).status_code == 404


def test_a_documents_directory_under_media_root_is_refused(documents_dir):
    from django.core.exceptions import ImproperlyConfigured

    from wagtail_qf.models.documents import configured_storage

    documents_dir(DIRECTORY=str(Path(settings.MEDIA_ROOT) / "private"))
    with pytest.raises(ImproperlyConfigured, match="served to the public"):
        configured_storage()


def test_the_agent_attaches_a_document_visible_to_the_family(client, communes):
    dossier = communes["dossier"]
    client.force_login(communes["agent_a"])
    page = client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk]))
    assert "Joindre un document" in page.content.decode()
    assert download_url(communes["document"]) in page.content.decode()
    response = client.post(
        attach_url(dossier), {"file": upload("courrier.png", image("PNG")), "visible_to_family": "on"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#documents")
    document = dossier.documents.latest("pk")
    assert (document.original_name, document.author, document.user, document.visible_to_family) == (
        "courrier.png",
        "agent",
        communes["agent_a"],
        True,
    )
    assert list(documents.family_documents(dossier)) == [communes["document"], document]
    latest = next(e for e in history.entries(dossier) if e.action == documents.ATTACHED)
    assert latest.user_display_name == "Sandrine"
    assert latest.message == "A joint le document « courrier.png » (visible par la famille)"


def test_a_refused_document_is_explained_to_the_agent(client, communes):
    dossier = communes["dossier"]
    client.force_login(communes["agent_a"])
    response = client.post(
        attach_url(dossier), {"file": upload("lettre.pdf", b"<html>lettre</html>")}, follow=True
    )
    assert "n&#x27;est pas un fichier PDF" in response.content.decode() or "n'est pas un fichier PDF" in (
        response.content.decode()
    )
    assert dossier.documents.count() == 1


def test_attaching_needs_the_right_to_change_the_dossier(client, communes):
    dossier = communes["dossier"]
    client.force_login(communes["reader_a"])
    response = client.post(attach_url(dossier), {"file": upload("lettre.pdf", pdf())})
    assert response.status_code in (302, 403) and dossier.documents.count() == 1
    client.force_login(communes["agent_b"])
    assert client.post(attach_url(dossier), {"file": upload("lettre.pdf", pdf())}).status_code == 404
    assert dossier.documents.count() == 1


def test_an_anonymised_dossier_takes_no_document(communes):
    from django.utils import timezone

    from wagtail_qf.dossiers.documents import DocumentRefused

    dossier = communes["dossier"]
    dossier.anonymised_at = timezone.now()
    with pytest.raises(DocumentRefused) as caught:
        documents.add_agent_document(dossier, communes["agent_a"], upload("lettre.pdf", pdf()))
    assert caught.value.reason == "anonymised"
    assert dossier.documents.count() == 1


def test_a_file_missing_from_the_storage_is_not_found(client, communes):
    document = communes["document"]
    document.file.storage.delete(document.file.name)
    client.force_login(communes["agent_a"])
    assert client.get(download_url(document)).status_code == 404


def test_a_site_without_media_root_nor_base_dir_starts_and_keeps_documents_private(
    settings, documents_dir, tmp_path, monkeypatch
):
    """The minimal site of the install check has neither: the app must still load (the storage
    is read as the model is), its documents in ``private/wagtail_qf`` of the current directory."""
    from wagtail_qf.models.documents import configured_storage

    monkeypatch.chdir(tmp_path)
    settings.MEDIA_ROOT = ""
    del settings.BASE_DIR
    documents_dir(DIRECTORY="")
    assert Path(configured_storage().location) == tmp_path.resolve() / "private" / "wagtail_qf"
