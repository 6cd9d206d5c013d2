"""The citizen's journey counted per page and day, without any personal data (issue 19)."""

import httpx
import pytest
from django.db import connection
from django.utils import timezone

from wagtail_qf.dossiers import statistics
from wagtail_qf.models import DailyCount

from ..fakes import particulier as api
from ..fakes.franceconnect import FakeFranceConnect

pytestmark = pytest.mark.django_db


@pytest.fixture
def fc(respx_mock):
    return FakeFranceConnect(respx_mock)


def counts(page):
    return {(row.event, row.code): row.count for row in DailyCount.objects.filter(page=page)}


def transmit(client, fc, page):
    """The whole journey: the page, FranceConnect, the quotient, « Transmettre mes données »."""
    assert client.get(page.url).status_code == 200
    callback = fc.authorize(client, page.url + "connexion/")
    assert client.get(callback).status_code == 302
    form = client.get(page.url + "quotient/").context["form"]
    keys = [key for key, _label in form.fields["children"].choices]
    response = client.post(
        page.url + "quotient/",
        {"form_token": form.initial["form_token"], "children": keys[:1], "confirm": "on"},
    )
    assert response.status_code == 302


def test_record_adds_one_in_the_database_per_call(qf_page):
    statistics.record(qf_page.pk, statistics.START)
    statistics.record(qf_page.pk, statistics.START)
    statistics.record(qf_page.pk, statistics.UPSTREAM_FAILURE, "dgfip:timeout")
    assert counts(qf_page) == {("start", ""): 2, ("upstream_failure", "dgfip:timeout"): 1}
    assert DailyCount.objects.get(page=qf_page, event="start").day == timezone.localdate()


def test_a_journey_is_counted_step_by_step(client, fc, respx_mock, qf_page):
    api.particulier_ok(respx_mock, api.DUPONT)
    transmit(client, fc, qf_page)
    assert counts(qf_page) == {
        ("start", ""): 1,
        ("logged_in", ""): 1,
        ("data_obtained", ""): 1,
        ("transmitted", "franceconnect"): 1,
    }


def test_the_counters_hold_no_personal_data(client, fc, respx_mock, qf_page):
    api.particulier_ok(respx_mock, api.DUPONT)
    transmit(client, fc, qf_page)
    api.particulier_error(respx_mock, 404, "23003")
    client.get(fc.authorize(client, qf_page.url + "connexion/"))  # a second login, not found this time

    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, DailyCount._meta.db_table)
        cursor.execute(f"SELECT * FROM {DailyCount._meta.db_table}")  # noqa: S608 -- our table
        rows = cursor.fetchall()
    assert sorted(column.name for column in columns) == ["code", "count", "day", "event", "id", "page_id"]
    # Only a page, a day, an event, a code and a count: nothing of the family.
    assert {row.event for row in DailyCount.objects.all()} == {*statistics.FUNNEL, "upstream_failure"}
    assert set(DailyCount.objects.values_list("code", flat=True)) == {
        "",
        "franceconnect",
        "particulier:23003",
    }
    text = repr(rows).lower()
    for value in ("dupont", "paul", "jean", "1234", "1980", "75107", "martin", "rennes"):
        assert value not in text


def test_an_upstream_failure_is_counted_with_its_provider_and_code(client, fc, respx_mock, qf_page):
    api.particulier_error(respx_mock, 404, "23003")
    client.get(fc.authorize(client, qf_page.url + "connexion/"))
    assert counts(qf_page) == {
        ("start", ""): 1,
        ("logged_in", ""): 1,
        ("upstream_failure", "particulier:23003"): 1,
    }


def test_a_server_error_of_api_particulier_is_counted(client, fc, respx_mock, qf_page):
    api.particulier_error(respx_mock, 504, "37001")
    client.get(fc.authorize(client, qf_page.url + "connexion/"))
    assert counts(qf_page) == {
        ("start", ""): 1,
        ("logged_in", ""): 1,
        ("upstream_failure", "particulier:37001"): 1,
    }


def test_franceconnect_down_at_the_callback_is_counted(client, fc, respx_mock, qf_page):
    fc.token_route.mock(return_value=httpx.Response(503, json={"error": "unavailable"}))
    assert client.get(fc.authorize(client, qf_page.url + "connexion/")).status_code == 503
    assert counts(qf_page) == {
        ("start", ""): 1,
        ("upstream_failure", "franceconnect:provider_unavailable"): 1,
    }


def test_a_login_cancelled_by_the_citizen_is_no_failure(client, fc, respx_mock, qf_page):
    client.get(fc.authorize(client, qf_page.url + "connexion/", error="access_denied"))
    assert counts(qf_page) == {("start", ""): 1}


def test_a_view_of_the_page_starts_nothing(client, fc, qf_page):
    """A crawler, a preview or a family reading before deciding: the funnel starts at the login
    asked for, and a view of the page writes nothing."""
    assert client.get(qf_page.url).status_code == 200
    assert qf_page.make_preview_request().status_code == 200
    assert not DailyCount.objects.exists()
    client.get(qf_page.url + "connexion/")
    assert counts(qf_page) == {("start", ""): 1}
