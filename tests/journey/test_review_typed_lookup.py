"""Found in review: the background check of a dossier made without FranceConnect meets a dossier
the retention purge anonymised, or one deleted, before or while API Particulier answers. An
anonymised dossier is no longer checked (its identity is gone: nothing to ask), and what an answer
arriving after the purge or the deletion says is kept nowhere: the purge is final, and the other
dossiers due are still checked."""

import datetime

import pytest
from django.utils import timezone

from wagtail_qf.dossiers import retention
from wagtail_qf.journey.lookup import check, run_due
from wagtail_qf.models import Submission

from ..factories import SubmissionFactory
from ..fakes import particulier as api
from .identity_helpers import ZORGLUB

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=5000)  # past any retention period


@pytest.fixture
def page(make_qf_page):
    return make_qf_page(allow_identity_form=True, collect_children=True, collect_allocataires=True)


def make_dossier(page):
    return SubmissionFactory(page=page, without_franceconnect=True, family_name="Zorglubowski")


def test_an_anonymised_dossier_is_not_checked(page, respx_mock):
    route = api.route(respx_mock, api.IDENTITY_PATH).respond(200, json=ZORGLUB)
    dossier = make_dossier(page)
    assert retention.purge(timezone.now() + LATER) == 1
    assert run_due() == {}
    assert check(dossier.pk).called is False
    assert route.call_count == 0


def test_an_answer_arriving_after_the_purge_is_kept_nowhere(page, respx_mock):
    dossier = make_dossier(page)

    def purged_meanwhile(request):
        retention.purge(timezone.now() + LATER)
        return api.httpx.Response(200, json=ZORGLUB)

    api.route(respx_mock, api.IDENTITY_PATH).mock(side_effect=purged_meanwhile)
    check(dossier.pk)
    dossier.refresh_from_db()
    assert dossier.anonymised_at is not None
    assert (dossier.qf_value, dossier.allocataires, dossier.raw_response) == (None, [], {})


def test_a_dossier_deleted_during_the_call_does_not_stop_the_others(page, respx_mock):
    first, second = make_dossier(page), make_dossier(page)

    def deleted_meanwhile(request):
        Submission.objects.filter(pk=first.pk).delete()
        return api.httpx.Response(200, json=ZORGLUB)

    api.route(respx_mock, api.IDENTITY_PATH).mock(side_effect=deleted_meanwhile)
    run_due()
    second.refresh_from_db()
    assert (second.lookup, second.qf_value) == ("found", 4321)
