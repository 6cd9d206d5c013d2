"""What a document must be to get in (issue 18): its type read from its content, limits, images
written again, PDFs without scripts, actions, attachments or password, the site's virus scan."""

import io
import logging

import pytest
from PIL import Image

from wagtail_qf.dossiers import documents
from wagtail_qf.dossiers.documents import DocumentRefused

from .files import EICAR, SCANNER, handmade_pdf, image, pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(qf_page, make_submission, documents_dir):
    return make_submission(qf_page, status="in_progress")


def attach(dossier, name, data):
    return documents.add_agent_document(dossier, None, upload(name, data), visible_to_family=True)


def refusal(dossier, name, data) -> DocumentRefused:
    with pytest.raises(DocumentRefused) as caught:
        attach(dossier, name, data)
    assert not dossier.documents.exists()
    return caught.value


def stored_bytes(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_a_pdf_is_stored_with_its_name_type_size_and_fingerprint(dossier, documents_dir):
    data = pdf()
    document = attach(dossier, "Attestation CAF.pdf", data)
    assert (document.original_name, document.content_type, document.size) == (
        "Attestation CAF.pdf",
        "application/pdf",
        len(data),
    )
    assert stored_bytes(document) == data
    assert len(document.sha256) == 64
    stored = list(documents_dir().rglob("*.pdf"))
    assert len(stored) == 1 and "Attestation" not in stored[0].name  # a random name on disk


def test_a_renamed_html_file_is_refused_whatever_its_name_and_type_say(dossier, caplog):
    html = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
    with caplog.at_level(logging.WARNING, logger="wagtail_qf.documents"):
        refused = refusal(dossier, "avis-imposition.pdf", html)
    assert refused.reason == "type"
    assert "n'est pas un fichier PDF ou JPEG ou PNG" in refused.message
    assert "avis-imposition.pdf" in refused.message  # the person knows which file
    assert "reason=type" in caplog.text and "avis-imposition" not in caplog.text  # logs: no name


def test_an_oversized_pdf_is_refused_with_the_limit(dossier, documents_dir):
    documents_dir(MAX_SIZE=5000)
    assert len(attach(dossier, "petit.pdf", pdf()).file.name) > 0
    refused = refusal_of_new(dossier, "gros.pdf", pdf(padding=6000))
    assert refused.reason == "too_large"
    assert "4,9\xa0Kio" in refused.message  # the limit, in the person's units


def refusal_of_new(dossier, name, data) -> DocumentRefused:
    before = dossier.documents.count()
    with pytest.raises(DocumentRefused) as caught:
        attach(dossier, name, data)
    assert dossier.documents.count() == before
    return caught.value


def test_an_encrypted_pdf_is_refused(dossier):
    refused = refusal(dossier, "releve.pdf", pdf(password="secret"))
    assert refused.reason == "encrypted"
    assert "mot de passe" in refused.message


def test_a_pdf_with_javascript_is_refused(dossier):
    refused = refusal(dossier, "courrier.pdf", pdf(javascript=True))
    assert refused.reason == "active_pdf"


def test_a_pdf_with_an_escaped_javascript_name_is_refused(dossier):
    """``/J#61vaScript`` is ``/JavaScript`` once decoded: no search of the raw bytes would see it."""
    data = handmade_pdf(
        "/Names << /J#61vaScript << /Names [(x) 4 0 R] >> >>",
        action="<< /S /J#61va#53cript /J#53 (app.alert(1)) >>",
    )
    assert b"/JavaScript" not in data and b"/JS" not in data
    assert refusal(dossier, "courrier.pdf", data).reason == "active_pdf"


@pytest.mark.parametrize(
    "catalog",
    ["/OpenAction 4 0 R", "/OpenAction << /S /Launch /F (calc.exe) >>", "/AA << /O 4 0 R >>"],
    ids=["open-action", "launch", "additional-actions"],
)
def test_a_pdf_acting_on_its_own_is_refused(dossier, catalog):
    assert refusal(dossier, "courrier.pdf", handmade_pdf(catalog)).reason == "active_pdf"


def test_a_pdf_carrying_a_file_is_refused(dossier):
    assert refusal(dossier, "courrier.pdf", pdf(attachment=True)).reason == "active_pdf"


def test_a_pdf_opening_at_its_first_page_is_accepted(dossier):
    """A destination (an array) in ``/OpenAction`` is what office software writes: no action."""
    assert b"/OpenAction [" in pdf()
    assert attach(dossier, "courrier.pdf", pdf()).content_type == "application/pdf"


def test_a_broken_pdf_is_refused_as_unreadable(dossier):
    assert refusal(dossier, "courrier.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50).reason == "unreadable"


def test_a_polyglot_jpeg_loses_what_was_appended_to_it(dossier):
    """A JPEG followed by an HTML page and a ZIP archive: written again, only the image stays."""
    polyglot = image("JPEG") + b"<html><script>alert(1)</script></html>" + b"PK\x03\x04" + b"\x00" * 30
    document = attach(dossier, "photo.jpg", polyglot)
    data = stored_bytes(document)
    assert b"<html" not in data and b"PK\x03\x04" not in data
    assert data.endswith(b"\xff\xd9")
    assert Image.open(io.BytesIO(data)).size == (40, 30)
    assert document.size == len(data) and document.content_type == "image/jpeg"


def test_an_image_loses_its_metadata_and_comments(dossier):
    data = image("JPEG", exif=True, comment=b"<script>alert(1)</script>")
    assert b"Appareil de Mme Martin" in data and b"<script>" in data
    stored = stored_bytes(attach(dossier, "photo.jpg", data))
    assert b"Appareil de Mme Martin" not in stored and b"<script>" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_a_png_is_written_again_as_a_png(dossier):
    document = attach(dossier, "scan", image("PNG") + b"<svg onload=alert(1)>")
    assert document.original_name == "scan.png" and document.content_type == "image/png"
    assert b"<svg" not in stored_bytes(document)


def test_a_type_the_site_does_not_accept_is_refused(dossier, documents_dir):
    documents_dir(TYPES=["pdf"])
    refused = refusal(dossier, "photo.jpg", image("JPEG"))
    assert refused.reason == "type" and "n'est pas un fichier PDF" in refused.message


def test_the_eicar_file_is_refused_by_the_sites_scanner(dossier, documents_dir):
    documents_dir(SCAN=SCANNER)
    refused = refusal(dossier, "scan.pdf", pdf(padding=10) + EICAR)
    assert refused.reason == "virus" and "antivirus" in refused.message
    assert attach(dossier, "propre.pdf", pdf()).original_name == "propre.pdf"


@pytest.mark.parametrize(
    ("sent", "kind", "shown"),
    [
        ("../../etc/passwd.pdf", "pdf", "passwd.pdf"),
        ("C:\\Users\\Mme M\\avis.PDF", "pdf", "avis.pdf"),
        ("photo.jpeg", "jpeg", "photo.jpeg"),
        ("facture.html", "pdf", "facture.html.pdf"),
        ("<script>.pdf", "pdf", "script.pdf"),
        ("", "png", "document.png"),
    ],
)
def test_the_name_shown_has_no_folder_and_the_extension_of_its_real_type(sent, kind, shown):
    assert documents.clean_name(sent, kind) == shown
