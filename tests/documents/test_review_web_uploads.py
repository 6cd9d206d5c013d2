"""A refused file is named in the message as the person knows it: its own name, without the
folder the browser may send, invisible characters or an endless length (review of uploads)."""

import pytest

from wagtail_qf.dossiers.documents import file_response

from .files import pdf
from .test_checks import attach, dossier, refusal  # noqa: F401 -- the fixture is used by name

pytestmark = pytest.mark.django_db


def test_a_refused_files_name_is_shown_without_its_folder_and_shortened(dossier):  # noqa: F811
    name = "C:\\Users\\Mme M\\" + "relevé" * 50 + "\u202egpj.pdf"
    refused = refusal(dossier, name, b"")
    assert refused.reason == "empty"
    assert refused.message == f"« {'relevé' * 13}r… » est vide. Choisissez un autre fichier."


def test_a_short_name_is_shown_whole(dossier):  # noqa: F811
    assert refusal(dossier, "avis d'impôt.pdf", b"<html>").message.startswith(
        "« avis d'impôt.pdf » n'est pas"
    )


def test_a_stored_documents_download_name_keeps_its_accents(dossier, client):  # noqa: F811
    document = attach(dossier, "avis d'impôt « 2026 ».pdf", pdf())
    response = file_response(document)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''avis%20d%27imp%C3%B4t%20%C2%AB%202026%20%C2%BB.pdf"
        in response["Content-Disposition"]
    )
