"""The family is told of a change of status by the domain (``dossiers.history``), whoever made it:
an agent on the dossier, a bulk action of the inbox, the commune's software through the editors'
API. One e-mail per dossier that has an address; nothing when the page asks for no notice and
there is no message."""

import pytest
from django.core import mail

from wagtail_qf.dossiers import history
from wagtail_qf.models import DossierLogEntry, Submission

pytestmark = pytest.mark.django_db

MESSAGE = "Votre dossier est complet : merci."


def message_entries(*submissions):
    ids = [str(submission.pk) for submission in submissions]
    return list(DossierLogEntry.objects.filter(object_id__in=ids, action=history.MESSAGE).order_by("pk"))


@pytest.fixture
def page(make_qf_page):
    return make_qf_page(slug="qf-notices", title="QF Cesson", notify_status_changes=True)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run ``action`` and what waits for its commit (the e-mails, as the worker would send them)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def test_a_bulk_status_change_emails_each_dossier_with_an_address_once(
    page, make_submission, admin_user, committed, monkeypatch
):
    monkeypatch.setattr(history, "BULK_BATCH", 2)  # several batches
    reachable = [make_submission(page, email=f"famille{n}@example.org") for n in range(3)]
    unreachable = make_submission(page)  # no address
    already = make_submission(page, email="deja@example.org", status="done")

    changed = committed(history.change_status_many, Submission.objects.filter(page=page), "done", admin_user)

    assert changed == 4
    assert sorted(email.to[0] for email in mail.outbox) == [f"famille{n}@example.org" for n in range(3)]
    assert all("a changé de statut : Traité." in email.body for email in mail.outbox)
    entries = message_entries(*reachable, unreachable, already)
    assert sorted(entry.object_id for entry in entries) == sorted(str(s.pk) for s in reachable)
    assert {(entry.data["state"], entry.data["notice"], entry.user) for entry in entries} == {
        ("sent", True, admin_user)
    }


def test_a_bulk_status_change_with_a_message_sends_it_even_without_notices(
    make_qf_page, make_submission, admin_user, committed
):
    quiet = make_qf_page(slug="qf-quiet", notify_status_changes=False)
    dossiers = [make_submission(quiet, email=f"famille{n}@example.org") for n in range(2)]

    committed(history.change_status_many, Submission.objects.filter(page=quiet), "done", admin_user, MESSAGE)

    assert len(mail.outbox) == 2 and all(MESSAGE in email.body for email in mail.outbox)
    assert [entry.data["message"] for entry in message_entries(*dossiers)] == [MESSAGE, MESSAGE]


@pytest.mark.parametrize(("notify", "sent"), [(False, 0), (True, 1)])
def test_a_change_without_message_sends_the_notice_only_on_a_page_that_asks(
    make_qf_page, make_submission, admin_user, committed, notify, sent
):
    dossier = make_submission(make_qf_page(notify_status_changes=notify), email="famille@example.org")

    committed(history.change_status, dossier, "in_progress", admin_user)
    committed(history.change_status_many, Submission.objects.filter(pk=dossier.pk), "done", admin_user)

    assert len(mail.outbox) == 2 * sent and len(message_entries(dossier)) == 2 * sent


def test_a_change_of_status_says_what_became_of_the_email(make_qf_page, make_submission, admin_user):
    dossier = make_submission(make_qf_page(notify_status_changes=True), email="famille@example.org")
    nowhere = make_submission(dossier.page)
    assert history.change_status(dossier, "in_progress", admin_user) == "queued"
    assert history.change_status(nowhere, "in_progress", admin_user) == "no_address"
    assert history.change_status(dossier, "in_progress", admin_user) is None  # no change: nothing sent


def test_the_editors_api_fetching_a_new_dossier_tells_the_family(
    page, make_submission, make_token, api, committed
):
    dossier = make_submission(page, email="famille@example.org")
    _token, clear = make_token(page)

    assert committed(api, f"dossiers/{dossier.reference}/", clear).json()["status"] == "received"

    (email,) = mail.outbox
    assert email.to == ["famille@example.org"] and "a changé de statut : Reçu." in email.body
    committed(api, f"dossiers/{dossier.reference}/", clear)  # fetched again: no change, no e-mail
    assert len(mail.outbox) == 1
