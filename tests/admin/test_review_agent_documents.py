"""« Joindre un document » tells the agent why a file was refused.

An empty file (a scan that failed, a download cut short) was answered « Choisissez le document à
joindre au dossier. », though the agent had chosen one: the message did not say what was wrong."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def attach(client, settings, tmp_path, make_agent, make_submission, two_communes):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "DOCUMENTS": {"DIRECTORY": str(tmp_path / "private")}}
    home_a, page_a, _home_b, _page_b = two_communes
    client.force_login(make_agent("sandrine", home_a))
    dossier = make_submission(page_a, status="in_progress")

    def post(**data):
        response = client.post(reverse("wagtail_qf_submissions:attach_document", args=[dossier.pk]), data)
        assert response.status_code == 302
        return [str(message) for message in get_messages(response.wsgi_request)], dossier

    return post


def test_an_empty_file_is_refused_as_empty(attach):
    said, dossier = attach(file=SimpleUploadedFile("avis.pdf", b""))
    assert said == ["Le fichier « avis.pdf » est vide : choisissez-en un autre, puis recommencez."]
    assert not dossier.documents.exists()


def test_no_file_asks_for_one(attach):
    said, dossier = attach()
    assert said == ["Choisissez le document à joindre au dossier."]
