"""The background check of the dossiers made without FranceConnect (``journey.lookup``)."""

import datetime
import json
import logging

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from wagtail_qf.journey import lookup
from wagtail_qf.journey.lookup import check, match_children, run_due
from wagtail_qf.models import Submission
from wagtail_qf.particulier.types import Person
from wagtail_qf.signals import submission_created
from wagtail_qf.tasks import check_identity

from ..factories import SubmissionFactory
from ..fakes import particulier as api
from .identity_helpers import ZORGLUB

T0 = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


# -- declared children matched to the family's ---------------------------------------
def child(prenoms, date, nom="DUPONT", nom_usage=None):
    return Person(nom, prenoms, date, "F", nom_usage)


def declared(*pairs):
    return [{"prenoms": p, "date_naissance": d, "matched": False} for p, d in pairs]


LEA, JEAN = child("LEA", "2018-01-30"), child("JEAN", "2012-03-04", nom_usage="MARTIN")


@pytest.mark.parametrize("typed", ["Léa", "LÉA", "lea", " léa "])
def test_matching_ignores_accents_and_case(typed):
    assert match_children(declared((typed, "2018-01-30")), [JEAN, LEA]) == [LEA]


@pytest.mark.parametrize("typed", ["Jean Martin", "Jean Dupont", "Jean"])
def test_matching_leaves_the_birth_or_usage_name_typed_with_the_first_names(typed):
    assert match_children(declared((typed, "2012-03-04")), [LEA, JEAN]) == [JEAN]


def test_matching_hyphens_spaces_and_the_first_of_several_first_names():
    family = [
        child("JEAN-PIERRE", "2010-05-05"),
        child("MARIE CLAIRE LOUISE", "2011-06-06"),
        child("ANNE", "2012-07-07"),
    ]
    typed = declared(("jean pierre", "2010-05-05"), ("Marie", "2011-06-06"), ("Anne-Sophie", "2012-07-07"))
    assert match_children(typed, family) == family  # « Anne-Sophie » for ANNE: the first one matches


def test_twins_are_matched_by_their_names():
    tom, zoe = child("TOM", "2015-04-01"), child("ZOE", "2015-04-01")
    assert match_children(declared(("Zoé", "2015-04-01"), ("Tom", "2015-04-01")), [tom, zoe]) == [zoe, tom]
    jean_pierre, jean_marc = child("JEAN PIERRE", "2015-04-01"), child("JEAN MARC", "2015-04-01")
    # « Jean » fits both: « Jean-Pierre », a better match, takes its twin first.
    typed = declared(("Jean", "2015-04-01"), ("Jean-Pierre", "2015-04-01"))
    assert match_children(typed, [jean_pierre, jean_marc]) == [jean_marc, jean_pierre]
    # « Jean » alone fits both twins equally: neither (the agent checks with the family).
    assert match_children(declared(("Jean", "2015-04-01")), [jean_pierre, jean_marc]) == [None]


def test_one_declared_child_unmatched_and_each_child_matched_once():
    typed = declared(
        ("Léa", "2018-01-30"), ("Léa", "2018-01-30"), ("Jean", "2012-03-05"), ("Léo", "2018-01-30")
    )
    assert match_children(typed, [LEA, JEAN]) == [LEA, None, None, None]


# -- the check -------------------------------------------------------------------------
@pytest.fixture
def page(make_qf_page):
    return make_qf_page(allow_identity_form=True, collect_children=True, collect_allocataires=True)


def make_dossier(page, children=(), **fields):
    return SubmissionFactory(
        page=page,
        without_franceconnect=True,
        family_name="Zorglubowski",
        declared_children=declared(*children),
        **fields,
    )


def identite(respx_mock, *answers):
    """The fake ``identite`` endpoint answering ``answers`` in turn (the last one then on)."""
    queue = list(answers)

    def answer(request):
        status, body = queue.pop(0) if len(queue) > 1 else queue[0]
        return api.httpx.Response(status, json=body)

    return api.route(respx_mock, api.IDENTITY_PATH).mock(side_effect=answer)


FOUND = (200, ZORGLUB)
NOT_FOUND = (404, api.error_body("23003", "Allocataire non référencé"))
DOWN = (503, api.error_body("37999"))
TOKEN_REFUSED = (401, api.error_body("00101"))


@pytest.mark.django_db
def test_found_keeps_the_matched_children_only(page, respx_mock):
    route = identite(respx_mock, FOUND)
    dossier = make_dossier(
        page, [("Théodule", "2013-07-19"), ("Hermenegilde", "2016-12-29"), ("Ursule", "2020-01-01")]
    )
    assert check(dossier.pk, T0).lookup == "found"
    dossier.refresh_from_db()
    assert (dossier.lookup, dossier.lookup_attempts, dossier.lookup_at, dossier.lookup_error) == (
        "found",
        1,
        T0,
        "",
    )
    assert (dossier.qf_value, dossier.qf_year, dossier.qf_month, dossier.qf_provider) == (
        4321,
        2031,
        2,
        "CNAF",
    )
    assert [p["prenoms"] for p in dossier.allocataires] == ["PAUL LOUIS", "EUPHRASIE"]
    assert [c["prenoms"] for c in dossier.children] == ["THEODULE", "HERMENEGILDE"]
    assert [c["prenoms"] for c in dossier.raw_response["enfants"]] == ["THEODULE", "HERMENEGILDE"]
    assert [c["matched"] for c in dossier.declared_children] == [True, True, False]
    assert "adresse" not in dossier.raw_response and dossier.address is None  # not collected by the page
    # The child the citizen did not declare is stored nowhere.
    row = Submission.objects.filter(pk=dossier.pk).values().get()
    assert "PERCEVAL" not in json.dumps(row, default=str)
    assert route.call_count == 1


@pytest.mark.django_db
def test_not_found(page, respx_mock):
    identite(respx_mock, NOT_FOUND)
    dossier = make_dossier(page, [("Théodule", "2013-07-19")])
    assert check(dossier.pk, T0) == lookup.Outcome("not_found", None, called=True)
    dossier.refresh_from_db()
    assert (dossier.lookup, dossier.qf_value, dossier.children, dossier.raw_response) == (
        "not_found",
        None,
        [],
        {},
    )
    assert check(dossier.pk, T0 + datetime.timedelta(days=2)).called is False  # settled


@pytest.mark.django_db
def test_upstream_error_then_retry_then_found(page, respx_mock):
    route = identite(respx_mock, DOWN, DOWN, DOWN, FOUND)  # the client itself tries 3 times
    dossier = make_dossier(page)
    outcome = check(dossier.pk, T0)
    assert outcome.lookup == "failed" and outcome.retry_at == T0 + lookup.RETRY_DELAY
    dossier.refresh_from_db()
    assert (dossier.lookup_error, dossier.lookup_attempts, route.call_count) == ("ProviderError:37999", 1, 3)
    assert check(dossier.pk, T0 + datetime.timedelta(minutes=5)).called is False  # not yet
    assert route.call_count == 3
    assert check(dossier.pk, outcome.retry_at).lookup == "found"
    dossier.refresh_from_db()
    assert (dossier.lookup, dossier.lookup_error, dossier.lookup_attempts, dossier.qf_value) == (
        "found",
        "",
        2,
        4321,
    )


@pytest.mark.django_db
def test_transient_errors_are_retried_a_bounded_number_of_times(page, respx_mock):
    route = identite(respx_mock, DOWN)
    dossier = make_dossier(page)
    now = T0
    for _ in range(lookup.MAX_ATTEMPTS):
        outcome = check(dossier.pk, now)
        now = outcome.retry_at or now + datetime.timedelta(days=1)
    assert outcome.retry_at is None
    calls = route.call_count
    assert check(dossier.pk, now + datetime.timedelta(days=30)).called is False
    assert route.call_count == calls
    dossier.refresh_from_db()
    assert (dossier.lookup, dossier.lookup_attempts) == ("failed", lookup.MAX_ATTEMPTS)


@pytest.mark.django_db
def test_configuration_error_is_logged_for_the_webmaster_and_not_retried_at_once(page, respx_mock, caplog):
    route = identite(respx_mock, TOKEN_REFUSED)
    dossier = make_dossier(page)
    with caplog.at_level(logging.WARNING, logger="wagtail_qf"):
        outcome = check(dossier.pk, T0)
    assert outcome.lookup == "failed" and outcome.retry_at == T0 + datetime.timedelta(days=1)
    assert route.call_count == 1  # 401 is not retried by the client either
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "check the API Particulier token" in errors[0].getMessage()
    assert "Zorglub" not in caplog.text and "famille@" not in caplog.text
    dossier.refresh_from_db()
    assert dossier.lookup_error == "InvalidApiToken:00101"
    assert check(dossier.pk, T0 + datetime.timedelta(hours=6)).called is False
    assert route.call_count == 1


@pytest.mark.django_db
def test_daily_budget_spent_the_dossier_waits_for_the_next_day(page, respx_mock):
    page.identity_daily_budget = 1
    page.save_revision().publish()
    route = identite(respx_mock, FOUND)
    first, second = make_dossier(page), make_dossier(page)
    assert run_due(T0) == {"found": 1}
    first.refresh_from_db()
    assert first.lookup == "found"
    assert route.call_count == 1
    second.refresh_from_db()
    assert (second.lookup, second.lookup_error, second.lookup_attempts) == ("pending", "budget", 0)
    assert check(second.pk, T0 + datetime.timedelta(hours=1)).retry_at == lookup._start_of_day(T0, days=1)
    assert route.call_count == 1
    assert run_due(T0 + datetime.timedelta(days=1)) == {"found": 1}
    second.refresh_from_db()
    assert (second.lookup, second.lookup_error, route.call_count) == ("found", "", 2)


@pytest.mark.django_db
def test_the_default_daily_budget_comes_from_the_settings(page, settings):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "DEFAULT_IDENTITY_DAILY_BUDGET": 7}
    assert lookup.daily_budget(page) == 7
    page.identity_daily_budget = 0
    assert lookup.daily_budget(page) == 0


@pytest.mark.django_db
def test_task_defers_its_retry_when_the_backend_can(page, respx_mock):
    identite(respx_mock, DOWN)
    dossier = make_dossier(page)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        before = timezone.now()
        assert check_identity.call(dossier.pk) == "failed"
        [retry] = check_identity.get_backend().results
    assert retry.args == [dossier.pk]
    assert before + lookup.RETRY_DELAY <= retry.task.run_after <= timezone.now() + lookup.RETRY_DELAY


@pytest.mark.django_db
def test_qf_lookups_command_checks_what_is_due(page, respx_mock, capsys):
    identite(respx_mock, NOT_FOUND)
    make_dossier(page)
    make_dossier(page, lookup="found")
    call_command("qf_lookups")
    out = capsys.readouterr().out
    assert "1 dossier(s) vérifié(s)." in out and "Non trouvé à la CAF ni à la MSA : 1" in out


@pytest.mark.django_db
def test_receivers_hear_of_the_dossier_once_it_is_checked(
    page, respx_mock, client, django_capture_on_commit_callbacks
):
    from .identity_helpers import send

    identite(respx_mock, FOUND)
    heard = []

    def receiver(sender, submission, **kwargs):
        heard.append((submission.lookup, submission.qf_value))

    submission_created.connect(receiver, dispatch_uid="test-lookup")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            send(client, page)
        assert heard == []  # saved, not yet checked
        for callback in callbacks:
            callback()
    finally:
        submission_created.disconnect(dispatch_uid="test-lookup")
    assert heard == [("found", 4321)]


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["refused", "done", "closed"])
def test_a_dossier_closed_before_its_check_is_not_looked_up(page, respx_mock, admin_user, status):
    """Refused, processed or closed by an agent: asking the CAF for the family's quotient now would
    process personal data for nothing, and spend the page's daily budget."""
    from django.test import Client
    from django.urls import reverse

    route = identite(respx_mock, FOUND)
    dossier = make_dossier(page, [("Théodule", "2013-07-19")], status=status)
    assert run_due(T0) == {}
    assert check(dossier.pk, T0).called is False
    assert route.call_count == 0
    client = Client()
    client.force_login(admin_user)
    html = client.get(reverse("wagtail_qf_submissions:inspect", args=[dossier.pk])).content.decode()
    assert "En attente de vérification" not in html
    assert "Non vérifié : le dossier a été refusé, traité ou clos" in html
