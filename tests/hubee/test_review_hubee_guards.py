"""Review (a1, « hubee »): when nothing may be sent. A page whose HubEE option was turned off, a
dossier anonymised or deleted (with its page) while its deposit waited: HubEE is not called for it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from wagtail_qf.hubee import forwarding
from wagtail_qf.models import HubEEForwarding, HubEEState, QFTransmissionPage, Submission

pytestmark = pytest.mark.django_db


def folder_creations(fake):
    return sum(
        c.request.method == "POST" and str(c.request.url).endswith("/folders") for c in fake.router.calls
    )


@pytest.fixture
def waiting(hubee, transmit):
    """A dossier whose first deposit failed (HubEE down): its retry is due now."""
    hubee.fail("create", 503)
    submission = transmit()
    row = HubEEForwarding.objects.get(submission=submission)
    assert row.state == HubEEState.RETRY
    HubEEForwarding.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert folder_creations(hubee) == 1
    return row


def test_a_page_whose_option_was_turned_off_sends_nothing_more(hubee, waiting):
    """The commune unticks « déposer les dossiers dans HubEE » (its software changes, say): the
    dossiers still waiting for a retry are not deposited behind its back."""
    QFTransmissionPage.objects.filter(pk=waiting.submission.page_id).update(forward_to_hubee=False)

    outcome = forwarding.sync()

    assert folder_creations(hubee) == 1 and not hubee.folders
    assert outcome["retried"] == 0
    waiting.refresh_from_db()
    assert waiting.state == HubEEState.RETRY and waiting.attempts == 1


def test_the_waiting_deposit_goes_out_once_the_option_is_back(hubee, waiting):
    page = QFTransmissionPage.objects.filter(pk=waiting.submission.page_id)
    page.update(forward_to_hubee=False)
    forwarding.sync()
    page.update(forward_to_hubee=True)

    assert forwarding.sync()["deposited"] == 1
    (folder,) = hubee.folders.values()
    assert folder["globalStatus"] == "HUBEE_NOTIFIED"


def test_a_dossier_anonymised_while_waiting_is_never_sent(hubee, waiting):
    Submission.objects.filter(pk=waiting.submission_id).update(anonymised_at=timezone.now())

    call_command("qf_hubee", stdout=StringIO())

    assert folder_creations(hubee) == 1 and not hubee.folders


def test_a_page_deleted_while_its_dossier_waited_sends_nothing(hubee, waiting):
    page = QFTransmissionPage.objects.get(pk=waiting.submission.page_id)
    page.delete()  # its dossiers go with it (Wagtail warns the editor first)

    out = StringIO()
    call_command("qf_hubee", stdout=out)

    assert folder_creations(hubee) == 1 and not hubee.folders
    assert not HubEEForwarding.objects.exists()
    assert "Dépôts relancés : 0" in out.getvalue()


def test_two_runs_of_qf_hubee_deposit_a_waiting_dossier_once(hubee, waiting):
    for _ in range(2):
        call_command("qf_hubee", stdout=StringIO())
    assert folder_creations(hubee) == 2  # the failed one, then the retry
    (folder,) = hubee.folders.values()
    assert folder["externalId"] == waiting.submission.reference


def test_dossiers_failed_through_a_long_outage_can_be_deposited_again(hubee, transmit):
    """HubEE down longer than the retries last (about two and a half hours with the default six
    attempts: a night's maintenance): the dossiers end « Échec ». Once HubEE is back, the operator
    deposits them again with ``qf_hubee --retry-failed``, each once, in its own folder."""
    hubee.fail("create", 503, times=20)
    submission = transmit()
    row = HubEEForwarding.objects.get(submission=submission)
    while row.state == HubEEState.RETRY:
        HubEEForwarding.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        forwarding.sync()
        row.refresh_from_db()
    assert row.state == HubEEState.FAILED and not hubee.folders
    hubee.failures.clear()  # HubEE is back

    out = StringIO()
    call_command("qf_hubee", "--retry-failed", stdout=out)

    assert "Dossiers en échec à redéposer : 1." in out.getvalue()
    row.refresh_from_db()
    assert row.state == HubEEState.DEPOSITED and row.last_error == ""
    (folder,) = hubee.folders.values()
    assert folder["externalId"] == submission.reference and folder["globalStatus"] == "HUBEE_NOTIFIED"
    call_command("qf_hubee", "--retry-failed", stdout=out)  # run again: nothing more is sent
    assert len(hubee.folders) == 1


def test_retrying_the_failed_ones_leaves_the_others_alone(hubee, transmit):
    deposited = HubEEForwarding.objects.get(submission=transmit(token="ok"))
    hubee.fail("create", 403)  # refused: not retried by itself
    failed = HubEEForwarding.objects.get(submission=transmit(token="refused"))
    assert (deposited.state, failed.state) == (HubEEState.DEPOSITED, HubEEState.FAILED)
    anonymised = HubEEForwarding.objects.create(
        submission=transmit(forward=False, token="gone"), state=HubEEState.FAILED
    )
    Submission.objects.filter(pk=anonymised.submission_id).update(anonymised_at=timezone.now())

    assert forwarding.retry_failed() == 1
    assert forwarding.sync()["deposited"] == 1
    assert len(hubee.folders) == 2
    anonymised.refresh_from_db()
    assert anonymised.state == HubEEState.FAILED


def test_a_page_deleted_during_its_dossier_s_deposit_does_not_stop_the_run(hubee, waiting):
    """The editor deletes the page (and its dossiers) while the sync is depositing one of them: the
    run goes on (the commune's other events are still read), and says the deposit did not happen."""
    upload = next(r for r in hubee.router.routes if r.pattern and "PUT" in repr(r.pattern))
    page = QFTransmissionPage.objects.get(pk=waiting.submission.page_id)
    sent = upload.side_effect

    def delete_the_page_meanwhile(request, **params):
        if QFTransmissionPage.objects.filter(pk=page.pk).exists():
            page.delete()
        return sent(request, **params)

    upload.side_effect = delete_the_page_meanwhile

    outcome = forwarding.sync()

    assert (outcome["retried"], outcome["deposited"], outcome["notifications_error"]) == (1, 0, "")
    assert not HubEEForwarding.objects.exists()


def test_a_dossier_anonymised_during_its_deposit_reaches_the_commune_never(hubee, waiting):
    """The retention purge anonymises the dossier while its files are being sent: HubEE's folder,
    not completed yet, is deleted, so that the commune's software never receives it."""
    upload = next(r for r in hubee.router.routes if r.pattern and "PUT" in repr(r.pattern))
    sent = upload.side_effect

    def anonymise_meanwhile(request, **params):
        Submission.objects.filter(pk=waiting.submission_id).update(anonymised_at=timezone.now())
        return sent(request, **params)

    upload.side_effect = anonymise_meanwhile

    outcome = forwarding.sync()

    assert (outcome["retried"], outcome["deposited"]) == (1, 0)
    assert not hubee.folders and len(hubee.deleted) == 1
    waiting.refresh_from_db()
    assert waiting.state == HubEEState.FAILED and waiting.folder_id == ""
    assert forwarding.retry_failed() == 0
