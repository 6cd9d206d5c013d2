"""A webhook leaves only for a token that still covers the dossier's page when it is sent.

A delivery waits in the task queue (minutes, between retries): in the meantime the token may be
given other communes, and its webhook address another editor's. A delivery enqueued for commune
B's dossier must then not reach the token's new address (commune A's editor)."""

import httpx
import pytest
import respx
from django.test import override_settings

from wagtail_qf.api.tasks import deliver_webhook
from wagtail_qf.models import Submission
from wagtail_qf.signals import submission_created

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
HOOK_B = "https://editeur-rennes.test/hook"
HOOK_A = "https://editeur-cesson.test/hook"


def test_a_queued_webhook_is_not_sent_once_its_token_no_longer_covers_the_page(
    two_communes, make_token, make_submission
):
    _home_a, page_a, _home_b, page_b = two_communes
    token, _clear = make_token(page_b, webhook_url=HOOK_B)
    theirs = make_submission(page_b)
    with override_settings(TASKS=DUMMY):
        submission_created.send(Submission, submission=theirs, page=page_b)
        (queued,) = deliver_webhook.get_backend().results
    # Before the worker runs it, the token is handed over to commune A and its editor.
    token.pages.set([page_a])
    token.webhook_url = HOOK_A
    token.save()
    with respx.mock(assert_all_called=False) as mock:
        to_a = mock.post(HOOK_A).mock(return_value=httpx.Response(204))
        to_b = mock.post(HOOK_B).mock(return_value=httpx.Response(204))
        sent = deliver_webhook.call(*queued.args, **queued.kwargs)
    assert (sent, to_a.call_count, to_b.call_count) == (False, 0, 0)


def test_a_queued_webhook_still_leaves_for_a_token_covering_the_page(
    two_communes, make_token, make_submission
):
    _home_a, _page_a, _home_b, page_b = two_communes
    make_token(page_b, webhook_url=HOOK_B)
    theirs = make_submission(page_b)
    with override_settings(TASKS=DUMMY):
        submission_created.send(Submission, submission=theirs, page=page_b)
        (queued,) = deliver_webhook.get_backend().results
    with respx.mock() as mock:
        to_b = mock.post(HOOK_B).mock(return_value=httpx.Response(204))
        assert deliver_webhook.call(*queued.args, **queued.kwargs) is True
    assert to_b.call_count == 1
