"""The statistics page: figures per status, source, bracket and period; seen like the inbox (issue 19)."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail_qf.dossiers import history, statistics
from wagtail_qf.models import DossierLogEntry

pytestmark = pytest.mark.django_db

URL = reverse("wagtail_qf_statistics")


def days_ago(days, hour=10):
    moment = timezone.localtime() - datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def sections(response):
    assert response.status_code == 200
    return {section["key"]: section for section in response.context["sections"]}


def rows(section):
    return {row[0]: row[-1] for row in section["rows"]}


@pytest.fixture
def communes(two_communes, make_agent, make_submission):
    """Commune A: five dossiers of this month (one of last year), commune B: two."""
    home_a, page_a, home_b, page_b = two_communes
    make_submission(page_a, status="new", qf_provider="CNAF", tariff_bracket="A", submitted_at=days_ago(1))
    make_submission(page_a, status="new", qf_provider="CNAF", tariff_bracket="B", submitted_at=days_ago(2))
    make_submission(
        page_a, status="awaiting", qf_provider="MSA", tariff_bracket="A", submitted_at=days_ago(3)
    )
    make_submission(page_a, status="done", qf_provider="CNAF", tariff_bracket="A", submitted_at=days_ago(20))
    make_submission(page_a, status="done", qf_provider="CNAF", tariff_bracket="C", submitted_at=days_ago(400))
    make_submission(page_b, status="refused", qf_provider="MSA", tariff_bracket="Z", submitted_at=days_ago(1))
    make_submission(page_b, status="new", without_franceconnect=True, submitted_at=days_ago(2))
    for page, event, code in (
        (page_a, statistics.START, ""),
        (page_a, statistics.START, ""),
        (page_a, statistics.LOGGED_IN, ""),
        (page_a, statistics.UPSTREAM_FAILURE, "dgfip:timeout"),
        (page_b, statistics.START, ""),
        (page_b, statistics.UPSTREAM_FAILURE, "franceconnect:provider_unavailable"),
    ):
        statistics.record(page.pk, event, code)
    return {
        "page_a": page_a,
        "page_b": page_b,
        "agent_a": make_agent("sandrine", home_a),
        "agent_b": make_agent("rennais", home_b),
    }


def test_counts_per_status_source_bracket_and_period(client, communes):
    client.force_login(communes["agent_a"])
    figures = sections(client.get(URL))
    # Today's statuses: the inbox's counters, whatever the transmission date.
    assert rows(figures["statuts"]) == {
        "Nouveau": 2,
        "Reçu": 0,
        "En cours": 0,
        "En attente de compléments": 1,
        "Refusé": 0,
        "Traité": 2,
        "Clos": 0,
    }
    assert "20 %" in figures["statuts"]["note"]  # one awaiting of five
    # The default period (twelve weeks) leaves out last year's dossier.
    assert rows(figures["organismes"])["CAF"] == 3
    assert rows(figures["organismes"])["MSA"] == 1
    assert rows(figures["tranches"]) == {"A": 3, "B": 1}
    assert rows(figures["parcours"])["FranceConnect"] == 4
    assert sum(n for _slot, n in figures["periode"]["rows"]) == 4
    assert len(figures["periode"]["rows"]) in (12, 13)  # every week of the period, empty ones too


def test_period_and_status_filters(client, communes):
    client.force_login(communes["agent_a"])
    start = (timezone.localdate() - datetime.timedelta(days=500)).isoformat()
    figures = sections(client.get(URL, {"date_from": start, "status": "done"}))
    assert rows(figures["tranches"]) == {"A": 1, "C": 1}
    assert sum(n for _slot, n in figures["periode"]["rows"]) == 2
    assert figures["periode"]["headings"][0] == "Mois"  # a long period, per month
    recent = sections(
        client.get(URL, {"date_from": (timezone.localdate() - datetime.timedelta(days=2)).isoformat()})
    )
    assert sum(n for _slot, n in recent["periode"]["rows"]) == 2


def test_a_reversed_period_is_explained(client, communes):
    client.force_login(communes["agent_a"])
    response = client.get(URL, {"date_from": "2026-11-10", "date_to": "2026-11-01"})
    assert response.status_code == 200
    assert "La date de début doit précéder la date de fin" in response.content.decode()


def test_an_agent_of_a_sees_nothing_of_b(client, communes):
    client.force_login(communes["agent_a"])
    response = client.get(URL)
    html = response.content.decode()
    assert "QF Cesson" in html and "QF Rennes" not in html  # the page filter offers A only
    figures = sections(response)
    assert rows(figures["statuts"])["Refusé"] == 0
    assert rows(figures["organismes"])["MSA"] == 1
    assert "Z" not in rows(figures["tranches"])
    assert rows(figures["demarche"])["Connexion FranceConnect lancée"] == 2
    assert [row[:2] for row in figures["echecs"]["rows"]] == [("DGFiP (impôts)", "timeout")]
    # Asking for B's page by its id shows nothing of B either.
    forced = sections(client.get(URL, {"page": communes["page_b"].pk}))
    assert rows(forced["statuts"])["Refusé"] == 0
    assert rows(forced["demarche"])["Connexion FranceConnect lancée"] == 2
    assert "FranceConnect" not in {row[0] for row in forced["echecs"]["rows"]}


def test_a_superuser_sees_both_communes(client, communes, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@test", "pw"))
    figures = sections(client.get(URL))
    assert rows(figures["statuts"])["Refusé"] == 1
    assert rows(figures["demarche"])["Connexion FranceConnect lancée"] == 3
    assert len(figures["echecs"]["rows"]) == 2
    only_b = sections(client.get(URL, {"page": communes["page_b"].pk}))
    assert rows(only_b["statuts"]) == {**dict.fromkeys(rows(only_b["statuts"]), 0), "Nouveau": 1, "Refusé": 1}
    assert rows(only_b["parcours"])["Identité saisie (sans FranceConnect)"] == 1


def test_without_any_page_the_statistics_are_refused(client, db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("visiteur", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert "Statistiques des dossiers de quotient familial" not in client.get("/admin/").content.decode()


def test_the_menu_shows_the_statistics_to_an_agent(client, communes):
    client.force_login(communes["agent_a"])
    assert "Statistiques des dossiers de quotient familial" in client.get("/admin/").content.decode()


def test_time_from_transmission_to_processed(client, communes, make_submission):
    page, agent = communes["page_a"], communes["agent_a"]
    for days in (1, 2, 3, 10):
        dossier = make_submission(page, submitted_at=days_ago(days + 5))
        history.change_status(dossier, "done", agent)
        DossierLogEntry.objects.filter(object_id=str(dossier.pk), action=history.STATUS).update(
            timestamp=dossier.submitted_at + datetime.timedelta(days=days)
        )
    client.force_login(agent)
    delays = rows(sections(client.get(URL))["delais"])
    assert delays["Dossiers traités ou clos"] == 4
    assert delays["Délai médian"] == "2 jours"
    assert delays["Délai dans lequel 90 % des dossiers sont traités"] == "10 jours"


def test_queries_do_not_grow_with_the_dossiers(client, communes, make_submission):
    client.force_login(communes["agent_a"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    for _ in range(3):
        make_submission(communes["page_a"], submitted_at=days_ago(4))
    few = queries()
    for _ in range(27):
        make_submission(communes["page_a"], status="done", tariff_bracket="D", submitted_at=days_ago(5))
    assert queries() == few


def test_csv_of_the_tables(client, communes, make_submission):
    make_submission(communes["page_a"], tariff_bracket="=SUM(A1)", submitted_at=days_ago(1))
    client.force_login(communes["agent_a"])
    response = client.get(URL, {"export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="statistiques-quotients-familiaux.csv"' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Statut", "Dossiers"] in lines
    assert ["Traité", "2"] in lines
    assert ["'=SUM(A1)", "1"] in lines  # a formula is written as text
    assert ["DGFiP (impôts)", "timeout", "1"] in lines
    assert not any("provider_unavailable" in cell for line in lines for cell in line)  # B's failure
