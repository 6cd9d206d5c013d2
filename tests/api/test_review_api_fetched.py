"""A new dossier becomes « Reçu » when the commune's software reads it through the API (README:
« A new dossier read by either becomes « Reçu » »): a request that carries no dossier to it does not
change the dossier, tell the family nor send a webhook."""

import datetime

import pytest
from django.utils import timezone

from wagtail_qf.models import Submission, SubmissionStatus

pytestmark = pytest.mark.django_db

API = "/qf/api/v1/"


@pytest.mark.parametrize("path", ["dossiers/", "dossiers/{reference}/"])
def test_a_head_request_reads_nothing_so_the_dossier_stays_new(
    client, qf_page, make_token, make_submission, path
):
    """HEAD is answered as a GET without its body (a monitoring probe, a link checker): the
    software has not read the dossier."""
    _, clear = make_token(qf_page)
    dossier = make_submission(qf_page, submitted_at=timezone.now() - datetime.timedelta(minutes=1))  # listed
    response = client.head(
        API + path.format(reference=dossier.reference), HTTP_AUTHORIZATION=f"Bearer {clear}"
    )
    assert response.status_code == 200
    assert Submission.objects.get(pk=dossier.pk).status == SubmissionStatus.NEW

    client.get(API + path.format(reference=dossier.reference), HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert Submission.objects.get(pk=dossier.pk).status == SubmissionStatus.RECEIVED  # a GET reads it
