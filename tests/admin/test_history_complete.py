"""The dossier page's history shows the newest hundred events, and says so when there are more:
the oldest (the transmission first) are one link away, never silently dropped."""

import pytest
from django.urls import reverse

from wagtail_qf.dossiers import history

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_dossier(make_submission, two_communes, admin_user):
    dossier = make_submission(two_communes[1])
    for number in range(105):
        history.add_comment(dossier, admin_user, f"commentaire {number:03d}")
    return dossier


def test_a_long_history_says_what_it_hides_and_shows_it_on_request(client, admin_user, busy_dossier):
    client.force_login(admin_user)
    url = reverse("wagtail_qf_submissions:inspect", args=[busy_dossier.pk])
    html = client.get(url).content.decode()
    assert "« commentaire 104 »" in html
    assert "« commentaire 000 »" not in html
    assert "Seuls les 100 événements les plus récents sont affichés" in html
    assert "?historique=complet#qf-side-history" in html

    html = client.get(url + "?historique=complet").content.decode()
    assert "« commentaire 000 »" in html and "« commentaire 104 »" in html
    assert "Seuls les 100 événements" not in html


def test_a_short_history_shows_everything_without_a_link(client, admin_user, make_submission, two_communes):
    dossier = make_submission(two_communes[1])
    history.add_comment(dossier, admin_user, "commentaire seul")
    client.force_login(admin_user)
    html = client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    assert "« commentaire seul »" in html
    assert "historique=complet" not in html
