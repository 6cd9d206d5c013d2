"""The statistics page, figure by figure, as a town hall reads it: the journey's shares, the
period asked for, the downloaded tables, the counts kept through the purge, and the weeks and
months of Paris time (SQLite and PostgreSQL)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from wagtail_qf.dossiers import retention, statistics
from wagtail_qf.models import Submission
from wagtail_qf.models.submissions import Source

pytestmark = pytest.mark.django_db

URL = reverse("wagtail_qf_statistics")


def sections(response):
    assert response.status_code == 200
    return {section["key"]: section for section in response.context["sections"]}


def shares(section):
    return {row[0]: row[1] for row in section["rows"]}


def counts(section):
    return {row[0]: row[-1] for row in section["rows"]}


def test_the_journeys_shares_are_of_the_franceconnect_logins_launched(client, qf_page, admin_user):
    """Dossiers transmitted without FranceConnect never went through its login: a share of the
    logins launched (« 300 % ») said nothing true of them, nor of a total that includes them."""
    for _ in range(4):
        statistics.record(qf_page.pk, statistics.START)
    for event in (statistics.LOGGED_IN, statistics.DATA_OBTAINED):
        statistics.record(qf_page.pk, event)
        statistics.record(qf_page.pk, event)
    statistics.record(qf_page.pk, statistics.TRANSMITTED, Source.FRANCECONNECT)
    for _ in range(12):
        statistics.record(qf_page.pk, statistics.TRANSMITTED, Source.IDENTITY)
    client.force_login(admin_user)
    journey = sections(client.get(URL))["demarche"]
    assert journey["headings"][1] == "Part des connexions FranceConnect lancées"
    assert shares(journey) == {
        "Connexion FranceConnect lancée": "100 %",
        "Connexion FranceConnect réussie": "50 %",
        "Données obtenues": "50 %",
        "Dossiers transmis": "–",
        "dont avec FranceConnect": "25 %",
        "dont sans FranceConnect": "–",
    }
    assert counts(journey)["Dossiers transmis"] == 13 and counts(journey)["dont sans FranceConnect"] == 12


def test_a_start_date_alone_after_today_never_makes_a_period_ending_before_it(client, qf_page, admin_user):
    client.force_login(admin_user)
    start = timezone.localdate() + datetime.timedelta(days=5)
    response = client.get(URL, {"date_from": start.isoformat()})
    period = response.context["period"]
    assert (period.start, period.end) == (start, start)
    assert counts(sections(response)["periode"]) == {statistics_week_label(start): 0}


def statistics_week_label(day):
    from django.utils.formats import date_format

    return date_format(day - datetime.timedelta(days=day.weekday()), "j F Y")


def test_the_csv_of_the_tables_keeps_a_line_break_inside_its_cell(
    client, qf_page, admin_user, make_submission
):
    """A carriage return left unquoted starts a new row in a spreadsheet, as in the exports."""
    make_submission(qf_page, tariff_bracket="Tranche\rA", submitted_at=timezone.now())
    client.force_login(admin_user)
    content = client.get(URL, {"export": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content, newline=""), delimiter=";"))
    assert ["Tranche\rA", "1"] in rows
    assert ["A", "1"] not in rows


def test_the_purge_leaves_the_dossiers_with_tax_data_counted(client, qf_page, admin_user, make_submission):
    """The README: what the purge leaves « keeps the statistics right »; the tax data's row too."""
    transmitted = timezone.now() - datetime.timedelta(days=3)
    make_submission(qf_page, tax_data={"rfr": 36705}, submitted_at=transmitted)
    make_submission(qf_page, submitted_at=transmitted)
    client.force_login(admin_user)
    before = counts(sections(client.get(URL))["organismes"])
    assert before["dont avec les données fiscales (DGFiP)"] == 1
    qf_page.retention_days = 1
    qf_page.save()
    assert retention.purge() == 2
    assert counts(sections(client.get(URL))["organismes"]) == before


UTC = datetime.UTC


def test_weeks_and_months_are_those_of_paris_across_month_ends_and_dst_nights(
    client, qf_page, admin_user, make_submission
):
    for moment in (
        datetime.datetime(2026, 1, 31, 23, 30, tzinfo=UTC),  # 1 February, 00:30 in Paris
        datetime.datetime(2026, 3, 29, 22, 30, tzinfo=UTC),  # Monday 30 March, 00:30 (summer time)
        datetime.datetime(2026, 3, 31, 22, 30, tzinfo=UTC),  # 1 April, 00:30
        datetime.datetime(2026, 10, 25, 22, 30, tzinfo=UTC),  # Sunday 25 October, 23:30 (winter time)
        datetime.datetime(2026, 10, 25, 23, 30, tzinfo=UTC),  # Monday 26 October, 00:30
    ):
        make_submission(qf_page, submitted_at=moment)
    client.force_login(admin_user)
    year = {"date_from": "2026-01-01", "date_to": "2026-12-31", "unit": "month"}
    months = counts(sections(client.get(URL, year))["periode"])
    assert len(months) == 12 and sum(months.values()) == 5  # every month, the empty ones at 0
    assert (months["janvier 2026"], months["février 2026"], months["mars 2026"]) == (0, 1, 1)
    assert (months["avril 2026"], months["octobre 2026"]) == (1, 2)
    spring_autumn = {"date_from": "2026-03-23", "date_to": "2026-11-01", "unit": "week"}
    weeks = counts(sections(client.get(URL, spring_autumn))["periode"])
    assert (weeks["23 mars 2026"], weeks["30 mars 2026"]) == (0, 2)
    assert (weeks["19 octobre 2026"], weeks["26 octobre 2026"]) == (1, 1)
    # The last day of January in Paris holds none of them.
    january_31 = {"date_from": "2026-01-31", "date_to": "2026-01-31"}
    assert sum(counts(sections(client.get(URL, january_31))["parcours"]).values()) == 0
    assert Submission.objects.count() == 5
