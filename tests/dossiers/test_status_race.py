"""Two changes of one dossier's status at once (an agent's double click, two agents, HubEE and an
agent): the second acts on the status as it is now, read under a lock, not on the one its page
loaded. Without that, the family got the same e-mail twice and the history a change « from
Reçu » that had already been made."""

import pytest

from wagtail_qf.dossiers import history
from wagtail_qf.models import DossierLogEntry, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(make_submission, two_communes):
    return make_submission(two_communes[1], status="received", email="famille@example.org")


def _status_entries(dossier):
    return DossierLogEntry.objects.for_instance(dossier).filter(action=history.STATUS)


def test_a_change_already_made_by_another_request_is_not_made_again(dossier, admin_user):
    loaded_first = Submission.objects.get(pk=dossier.pk)  # the page of the first click
    loaded_second = Submission.objects.get(pk=dossier.pk)  # the page of the second
    assert history.change_status(loaded_first, "in_progress", admin_user, "Pièce reçue.")
    assert history.change_status(loaded_second, "in_progress", admin_user, "Pièce reçue.") is None
    assert _status_entries(dossier).count() == 1
    assert DossierLogEntry.objects.for_instance(dossier).filter(action=history.MESSAGE).count() == 1
    assert loaded_second.status == "in_progress"  # the caller now holds the status as it is


def test_the_old_status_logged_is_the_one_replaced(dossier, admin_user):
    stale = Submission.objects.get(pk=dossier.pk)
    history.change_status(Submission.objects.get(pk=dossier.pk), "in_progress", admin_user)
    history.change_status(stale, "validated", admin_user)
    latest = _status_entries(dossier).order_by("-pk").first()
    assert latest.data["old"] == "in_progress" and latest.data["new"] == "validated"


def test_a_change_made_on_a_status_no_longer_current_is_refused(dossier, admin_user):
    """``seen``: the status the agent saw when choosing; another having changed it, nothing is done."""
    stale = Submission.objects.get(pk=dossier.pk)
    history.change_status(Submission.objects.get(pk=dossier.pk), "in_progress", admin_user)
    outcome = history.change_status(stale, "refused", admin_user, "Refusé.", seen="received")
    assert outcome == history.STALE
    assert Submission.objects.get(pk=dossier.pk).status == "in_progress"
    assert _status_entries(dossier).count() == 1
