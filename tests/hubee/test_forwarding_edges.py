"""HubEE forwarding at its edges: what is never deposited, when a deposit is due (issue 23:
mutation testing of ``hubee/forwarding.py``). The ordinary journey is in ``test_forwarding.py``."""

import datetime

import pytest
from django.utils import timezone

from wagtail_qf.hubee import forwarding
from wagtail_qf.models import HubEEForwarding, HubEEState, QFTransmissionPage

pytestmark = pytest.mark.django_db


def test_an_anonymised_or_deleted_dossier_is_never_deposited(hubee, transmit):  # noqa: F811
    submission = transmit(forward=False)
    submission.anonymised_at = timezone.now()
    submission.save(update_fields=["anonymised_at"])
    assert forwarding.deposit(submission.pk) is None
    assert forwarding.deposit(submission.pk + 1000) is None
    assert not HubEEForwarding.objects.exists() and not hubee.folders and hubee.token_requests == 0


def test_which_deposits_are_due(hubee, transmit):  # noqa: F811
    now = timezone.now()
    minute = datetime.timedelta(minutes=1)
    rows = {}
    for name, state, next_attempt_at, updated_at in [
        ("pending", HubEEState.PENDING, None, now),
        ("retry_now", HubEEState.RETRY, now, now),
        ("retry_later", HubEEState.RETRY, now + minute, now),
        ("sending_stuck", HubEEState.SENDING, None, now - forwarding.STALE_SENDING - minute),
        ("sending_at_the_limit", HubEEState.SENDING, None, now - forwarding.STALE_SENDING),
        ("sending", HubEEState.SENDING, None, now - minute),
        ("deposited", HubEEState.DEPOSITED, None, now - datetime.timedelta(days=1)),
        ("failed", HubEEState.FAILED, now - minute, now - datetime.timedelta(days=1)),
    ]:
        submission = transmit(forward=False, token=name)
        # The page's option on, as when its dossier was transmitted (a page that turned it off
        # since has nothing due: test_review_hubee_guards.py).
        QFTransmissionPage.objects.filter(pk=submission.page_id).update(forward_to_hubee=True)
        row = HubEEForwarding.objects.create(submission=submission, state=state)
        HubEEForwarding.objects.filter(pk=row.pk).update(
            next_attempt_at=next_attempt_at, updated_at=updated_at
        )
        rows[row.pk] = name
    due = {rows[pk] for pk in forwarding.due(now).values_list("pk", flat=True)}
    assert due == {"pending", "retry_now", "sending_stuck"}


def test_a_dossier_anonymised_before_its_deposit_is_no_longer_due_nor_counted(hubee, transmit):  # noqa: F811
    """The purge anonymised a dossier still waiting for HubEE: it is never deposited, so it must
    not stay « due » and be counted as retried at every sync."""
    waiting = transmit(forward=False, token="waiting")
    HubEEForwarding.objects.create(submission=waiting, state=HubEEState.PENDING)
    waiting.anonymised_at = timezone.now()
    waiting.save(update_fields=["anonymised_at"])
    assert not forwarding.due().exists()
    outcome = forwarding.sync()
    assert (outcome["retried"], outcome["deposited"]) == (0, 0)
    assert not hubee.folders
