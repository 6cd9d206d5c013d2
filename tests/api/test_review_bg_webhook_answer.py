"""What an editor's endpoint answers to a webhook, reviewed for what runs in the background: only
its status and its Retry-After count; its body, whatever its size or its encoding, is never read."""

import httpx
import pytest
import respx
from django.test import override_settings

from wagtail_qf.api.tasks import deliver_webhook

pytestmark = pytest.mark.django_db

HOOK = "https://editeur.test/qf/webhook"
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class HugeBody(httpx.SyncByteStream):
    """A huge answer (64 MB here; it could never end): counts how many chunks were read."""

    def __init__(self, chunks=1024):
        self.chunks, self.chunks_read = chunks, 0

    def __iter__(self):
        for _chunk in range(self.chunks):
            self.chunks_read += 1
            yield b"x" * 65536  # not gzip, whatever the answer's headers say


@pytest.mark.parametrize(
    ("status", "delivered"),
    [(200, True), (503, False)],
)
def test_the_body_of_the_editors_answer_is_never_read(
    qf_page, make_token, make_submission, status, delivered
):
    token, _clear = make_token(qf_page, webhook_url=HOOK)
    submission = make_submission(qf_page)
    body = HugeBody()
    with respx.mock() as mock, override_settings(TASKS=DUMMY):
        mock.post(HOOK).mock(return_value=httpx.Response(status, stream=body))
        assert deliver_webhook.call(token.pk, submission.pk) is delivered
    assert body.chunks_read == 0


def test_a_2xx_whose_body_is_not_the_gzip_it_claims_is_delivered_not_sent_again(
    qf_page, make_token, make_submission
):
    token, _clear = make_token(qf_page, webhook_url=HOOK)
    submission = make_submission(qf_page)
    answer = httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=HugeBody(chunks=1))
    with respx.mock() as mock, override_settings(TASKS=DUMMY):
        route = mock.post(HOOK).mock(return_value=answer)
        assert deliver_webhook.call(token.pk, submission.pk) is True
        assert deliver_webhook.get_backend().results == []
    assert route.call_count == 1
