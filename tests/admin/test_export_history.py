"""Exports are recorded once per export, and shown in each exported dossier's history."""

import pytest
from django.urls import reverse

from wagtail_qf.dossiers import history
from wagtail_qf.models import DossierLogEntry, Export, ExportedSubmission

pytestmark = pytest.mark.django_db


def test_an_export_is_one_event_and_one_row_per_exported_dossier(
    client, make_agent, two_communes, make_submission
):
    _home_a, page_a, _home_b, page_b = two_communes
    agent = make_agent("sandrine", two_communes[0])
    mine = [make_submission(page_a) for _ in range(3)]
    other = make_submission(page_b)
    client.force_login(agent)
    response = client.get(reverse("wagtail_qf_submissions:index") + "?export=xlsx")
    assert response.status_code == 200

    export = Export.objects.get()
    assert (export.user, export.format, export.count) == (agent, "xlsx", 3)
    exported = set(ExportedSubmission.objects.values_list("submission_id", flat=True))
    assert exported == {s.pk for s in mine}  # never another commune's dossier
    log = DossierLogEntry.objects.get(action=history.EXPORT)
    assert log.object_id == str(export.pk) and log.data == {"count": 3, "format": "xlsx"}
    assert not ExportedSubmission.objects.filter(submission=other).exists()


def test_the_dossier_history_merges_log_entries_and_exports(client, admin_user, qf_page, make_submission):
    dossier = make_submission(qf_page)
    client.force_login(admin_user)
    history.change_status(dossier, "in_progress", admin_user, "pièces reçues")
    client.get(reverse("wagtail_qf_submissions:index") + "?export=csv")
    history.add_comment(dossier, admin_user, "appelé la famille")

    entries = history.entries(dossier)
    assert [e.timestamp for e in entries] == sorted((e.timestamp for e in entries), reverse=True)
    messages = [str(e.message).lower() for e in entries]
    assert messages[0] == "a ajouté un commentaire"
    assert "a exporté le dossier (csv)" in messages
    page = client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    assert "a exporté le dossier (CSV)" in page and "appelé la famille" in page


def test_agents_download_the_pdf_summary_of_their_own_dossiers_only(
    client, make_agent, two_communes, make_submission
):
    _home_a, page_a, _home_b, page_b = two_communes
    agent = make_agent("sandrine", two_communes[0])
    mine, other = make_submission(page_a), make_submission(page_b)
    url = reverse("wagtail_qf_submissions:pdf", args=[mine.pk])
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(agent)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="dossier-{mine.reference}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert DossierLogEntry.objects.filter(action=history.PDF, object_id=str(mine.pk)).exists()
    assert client.get(reverse("wagtail_qf_submissions:pdf", args=[other.pk])).status_code == 404
    detail = client.get(reverse("wagtail_qf_submissions:inspect", args=[mine.pk])).content.decode()
    assert url in detail
