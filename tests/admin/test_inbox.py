"""The agents' inbox: listing, tabs, filters, search, detail, history, bulk, exports, rights."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from wagtail_qf.admin.exports import neutralise
from wagtail_qf.dossiers.creation import create_submission
from wagtail_qf.models import Submission

pytestmark = pytest.mark.django_db

INDEX = "wagtail_qf_submissions:index"


def index_url(**params):
    from urllib.parse import urlencode

    return reverse(INDEX) + ("?" + urlencode(params) if params else "")


@pytest.fixture
def agent_a(make_agent, two_communes):
    return make_agent("sandrine", two_communes[0])


@pytest.fixture
def dossiers(two_communes, make_submission, now):
    _home_a, page_a, _home_b, page_b = two_communes
    return {
        "a_new": make_submission(page_a, family_name="MARTIN"),
        "a_new2": make_submission(
            page_a, family_name="BERNARD", qf_provider="MSA", submitted_at=now - datetime.timedelta(days=40)
        ),
        "a_done": make_submission(page_a, family_name="PETIT", status="done"),
        "a_progress": make_submission(page_a, family_name='=HYPERLINK("http://x")', status="in_progress"),
        "b_new": make_submission(page_b, family_name="DURAND"),
    }


def refs(response):
    return {row.reference for row in response.context["object_list"]}


def test_menu_and_listing_with_status_counts(client, agent_a, dossiers):
    client.force_login(agent_a)
    response = client.get(index_url())
    assert response.status_code == 200
    tabs = {tab["value"]: tab["count"] for tab in response.context["status_tabs"]}
    assert tabs == {
        "": 4,
        "new": 2,
        "received": 0,
        "in_progress": 1,
        "awaiting": 0,
        "refused": 0,
        "done": 1,
        "closed": 0,
    }
    labels = [tab["label"] for tab in response.context["status_tabs"]]
    assert labels[1:] == [
        "Nouveau",
        "Reçu",
        "En cours",
        "En attente de compléments",
        "Refusé",
        "Traité",
        "Clos",
    ]
    # Newest first.
    listed = [row.reference for row in response.context["object_list"]]
    assert listed[-1] == dossiers["a_new2"].reference
    admin_home = client.get("/admin/").content.decode()
    assert "Quotients familiaux" in admin_home


def test_filters(client, agent_a, dossiers, now, two_communes):
    client.force_login(agent_a)
    assert refs(client.get(index_url(status="new"))) == {
        dossiers["a_new"].reference,
        dossiers["a_new2"].reference,
    }
    assert refs(client.get(index_url(qf_provider="MSA"))) == {dossiers["a_new2"].reference}
    since = (now - datetime.timedelta(days=10)).date().isoformat()
    recent = refs(client.get(index_url(submitted_at_from=since)))
    assert dossiers["a_new2"].reference not in recent and dossiers["a_new"].reference in recent
    assert refs(client.get(index_url(page=two_communes[1].pk))) == {
        d.reference for k, d in dossiers.items() if k.startswith("a_")
    }
    for params in ({"status": "new"}, {"qf_provider": "MSA"}, {"q": "MARTIN"}, {"status": "done", "q": "x"}):
        response = client.get(index_url(**params))
        assert response.context["paginator"].count == len(response.context["object_list"])
    # Tabs count within the other filters.
    tabs = {t["value"]: t["count"] for t in client.get(index_url(qf_provider="MSA")).context["status_tabs"]}
    assert tabs["new"] == 1 and tabs[""] == 1


def test_search_by_reference_or_name(client, agent_a, dossiers):
    client.force_login(agent_a)
    assert refs(client.get(index_url(q="martin"))) == {dossiers["a_new"].reference}
    reference = dossiers["a_done"].reference
    assert refs(client.get(index_url(q=reference))) == {reference}


def test_commune_a_never_sees_commune_b(client, agent_a, dossiers, make_agent, two_communes):
    client.force_login(agent_a)
    assert dossiers["b_new"].reference not in refs(client.get(index_url()))
    detail_b = reverse("wagtail_qf_submissions:inspect", args=[dossiers["b_new"].pk])
    assert client.get(detail_b).status_code == 404
    # Commune B's page is not even offered as a filter; forcing it lists nothing of B.
    page_choices = client.get(index_url()).context["filters"].filters["page"].queryset
    assert {p.pk for p in page_choices} == {two_communes[1].pk}
    assert dossiers["b_new"].reference not in refs(client.get(index_url(page=two_communes[3].pk)))
    agent_b = make_agent("bruno", two_communes[2])
    client.force_login(agent_b)
    assert refs(client.get(index_url())) == {dossiers["b_new"].reference}


def test_user_without_page_rights_sees_nothing(client, django_user_model, dossiers):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("curieux", "c@x.test", "pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="change_submission")
    )
    client.force_login(user)
    assert client.get(index_url()).status_code in (302, 403)


def test_superuser_sees_all(admin_client, dossiers):
    assert len(refs(admin_client.get(index_url()))) == 5


def test_detail_shows_everything_and_logs_the_view(client, agent_a, dossiers):
    client.force_login(agent_a)
    submission = dossiers["a_new"]
    url = reverse("wagtail_qf_submissions:inspect", args=[submission.pk])
    html = client.get(url).content.decode()
    for text in (
        submission.reference,
        "MARTIN",
        "Paul Louis",
        "1\xa0234 €",
        "novembre 2026",
        "CAF",
        "JEAN",
        "QF Cesson",
        "Cesson-Sévigné",
    ):
        assert text in html, text
    html = client.get(url).content.decode()
    assert "Sandrine a consulté le dossier" in html


def test_status_change_and_comment_history(client, agent_a, dossiers):
    client.force_login(agent_a)
    submission = dossiers["a_new"]
    url = reverse("wagtail_qf_submissions:inspect", args=[submission.pk])
    client.post(url, {"status": "in_progress", "message": "Pris en charge", "change_status": ""})
    submission.refresh_from_db()
    assert submission.status == "in_progress"
    client.post(url, {"comment": "Attestation CAF vérifiée", "add_comment": ""})
    html = client.get(url).content.decode()
    assert "Sandrine a modifié le statut : Nouveau &gt; En cours" in html
    assert "Pris en charge" in html and "Attestation CAF vérifiée" in html


def test_comment_length_limit(client, agent_a, dossiers):
    client.force_login(agent_a)
    url = reverse("wagtail_qf_submissions:inspect", args=[dossiers["a_new"].pk])
    response = client.post(url, {"comment": "x" * 501, "add_comment": ""})
    assert response.status_code == 200
    assert "500" in response.content.decode()
    assert client.post(url, {"comment": "x" * 500, "add_comment": ""}).status_code == 302


def test_agent_without_change_permission_cannot_change(client, make_agent, two_communes, dossiers):
    reader = make_agent("lecteur", two_communes[0], perms=())
    client.force_login(reader)
    url = reverse("wagtail_qf_submissions:inspect", args=[dossiers["a_new"].pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "done"}).status_code in (302, 403)
    # Opened (« Reçu », issue 18), not changed by the POST.
    assert Submission.objects.get(pk=dossiers["a_new"].pk).status == "received"
    export = client.get(index_url(export="csv"))
    assert export.status_code in (302, 403) and not getattr(export, "streaming", False)


def test_bulk_status_change_only_touches_own_dossiers(client, agent_a, dossiers):
    client.force_login(agent_a)
    ids = [dossiers["a_new"].pk, dossiers["a_new2"].pk, dossiers["b_new"].pk]
    response = client.post(reverse("wagtail_qf_submissions:bulk"), {"ids": ids, "status": "closed"})
    assert response.status_code == 302
    statuses = dict(Submission.objects.values_list("pk", "status"))
    assert statuses[dossiers["a_new"].pk] == statuses[dossiers["a_new2"].pk] == "closed"
    assert statuses[dossiers["b_new"].pk] == "new"


def test_csv_export_is_streamed_filtered_and_neutralised(client, agent_a, dossiers):
    client.force_login(agent_a)
    response = client.get(index_url(export="csv", status="in_progress"))
    assert response.streaming
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][0] == "Référence"
    assert len(rows) == 2
    assert rows[1][5] == '\'=HYPERLINK("http://x")'
    url = reverse("wagtail_qf_submissions:inspect", args=[dossiers["a_progress"].pk])
    assert "a exporté le dossier" in client.get(url).content.decode()


def test_xlsx_export(client, agent_a, dossiers):
    client.force_login(agent_a)
    response = client.get(index_url(export="xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.values)
    assert rows[0][0] == "Référence" and len(rows) == 5
    names = {row[5] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in names and "MARTIN" in names


@pytest.mark.parametrize("value", ["=1+1", "+33", "-2", "@SUM(A1)", "\t=x"])
def test_neutralise(value):
    assert neutralise(value) == "'" + value
    assert neutralise("Dupont") == "Dupont" and neutralise(12) == 12


def test_dashboard_panel_and_page_editor_panel(client, agent_a, dossiers, two_communes):
    client.force_login(agent_a)
    home = client.get("/admin/").content.decode()
    assert "2 nouveaux dossiers de quotient familial" in home
    edit = client.get(f"/admin/pages/{two_communes[1].pk}/edit/").content.decode()
    assert "4 dossiers reçus" in edit and "(2 nouveaux)" in edit


def test_dashboard_panel_reads_the_counters_not_the_dossiers(client, agent_a, dossiers, two_communes):
    """The agents' home page costs the same at a million dossiers: no query of the dossiers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wagtail_qf.models import Submission

    client.force_login(agent_a)
    with CaptureQueriesContext(connection) as captured:
        home = client.get("/admin/").content.decode()
    assert "2 nouveaux dossiers de quotient familial" in home  # commune A's only
    table = connection.ops.quote_name(Submission._meta.db_table)
    assert not [query["sql"] for query in captured if table in query["sql"]]


def test_notification_email_has_a_link_and_no_personal_data(make_qf_page, django_capture_on_commit_callbacks):
    from wagtail_qf.franceconnect.identity import CitizenIdentity
    from wagtail_qf.particulier.types import QFResult, QuotientFamilial

    page = make_qf_page(notification_email="famille@mairie.test")
    identity = CitizenIdentity(sub="s", given_name="Paul", family_name="DUPONT", birthdate="1980-06-15")
    result = QFResult(QuotientFamilial("CNAF", 1234, 2026, 11), (), (), None, raw={})
    with django_capture_on_commit_callbacks(execute=True):
        submission = create_submission(page, identity, result, [], "token-notify")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["famille@mairie.test"]
    assert f"/admin/quotients-familiaux/inspect/{submission.pk}/" in message.body
    for secret in ("DUPONT", "Paul", "1234", "1980"):
        assert secret not in message.body and secret not in message.subject


def test_bulk_export_of_the_selection(client, agent_a, dossiers):
    client.force_login(agent_a)
    ids = [dossiers["a_new"].pk, dossiers["a_done"].pk, dossiers["b_new"].pk]
    response = client.post(reverse("wagtail_qf_submissions:bulk"), {"ids": ids, "export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert {row[0] for row in rows[1:]} == {dossiers["a_new"].reference, dossiers["a_done"].reference}


def _count_queries(client, url):
    from django.core.cache import cache
    from django.db import connection

    cache.clear()  # status counts included: compare like with like
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    return len(queries)


def test_listing_queries_do_not_grow_with_the_rows(client, agent_a, two_communes, make_submission):
    client.force_login(agent_a)
    page_a = two_communes[1]
    make_submission(page_a)
    _count_queries(client, index_url())  # warm the caches (content types, permissions)
    few = _count_queries(client, index_url())
    for _ in range(60):
        make_submission(page_a)
    assert _count_queries(client, index_url()) == few
    assert _count_queries(client, index_url(status="new", q="DUPONT")) <= few + 1


def test_status_counts_follow_every_change(client, agent_a, dossiers, make_submission, two_communes):
    client.force_login(agent_a)

    def counts():
        return {t["value"]: t["count"] for t in client.get(index_url()).context["status_tabs"]}

    assert counts()["new"] == 2
    make_submission(two_communes[1])  # a new dossier arrives
    assert counts()["new"] == 3
    url = reverse("wagtail_qf_submissions:inspect", args=[dossiers["a_new"].pk])
    client.post(url, {"status": "done", "change_status": ""})
    after = counts()
    assert after["new"] == 2 and after["done"] == 2


def test_an_agents_pages_are_worked_out_once_per_request(client, agent_a, dossiers, two_communes):
    """The pages an agent sees are read once per view of the inbox, then given to every query as
    ids: the listing, its counts, its filters and the rights checks no longer each run the
    permissions' query (a subquery the database ran once per page: issue 19)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wagtail_qf.dossiers.access import qf_page_types

    qf_types = {str(content_type.pk) for content_type in qf_page_types()}

    def of_qf_pages(sql):  # « the pages of these (QF) types », Wagtail's permission query
        chosen = re.findall(r'content_type_id" IN \(([\d, ]+)\)', sql)
        return any(qf_types & set(ids.replace(" ", "").split(",")) for ids in chosen)

    client.force_login(agent_a)
    client.get(index_url())  # content types and Wagtail's caches
    for url in (index_url(page=two_communes[1].pk), index_url(q="martin"), index_url(status="new")):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert refs(response) <= {d.reference for key, d in dossiers.items() if key.startswith("a_")}
        assert len([query for query in captured if of_qf_pages(query["sql"])]) == 1, url
