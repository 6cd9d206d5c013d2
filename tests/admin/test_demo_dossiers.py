import pytest
from django.core.management import call_command

from wagtail_qf.models import QFTransmissionPage, Submission, SubmissionStatus

pytestmark = pytest.mark.django_db


def test_demo_dossiers_are_varied_and_spread_over_communes(home_page):
    call_command("qf_demo_dossiers", count=1500, seed=1)
    assert Submission.objects.count() == 1500
    assert QFTransmissionPage.objects.count() == 3
    assert Submission.objects.values("page").distinct().count() == 3
    assert Submission.objects.values("status").distinct().count() == len(SubmissionStatus.values)
    assert Submission.objects.values("qf_provider").distinct().count() == 2
    dates = Submission.objects.dates("submitted_at", "month")
    assert len(dates) >= 10  # spread over the year, not all "now"
