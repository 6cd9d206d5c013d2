"""Bulk actions of the inbox (issue 19): the page's dossiers, or all those matching the
filters, changed or exported without loading them, each with its history entry."""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from wagtail_qf.dossiers import history
from wagtail_qf.models import DossierLogEntry, Export, Submission

pytestmark = pytest.mark.django_db

BULK = "wagtail_qf_submissions:bulk"


@pytest.fixture
def agent_a(make_agent, two_communes):
    return make_agent("sandrine", two_communes[0])


@pytest.fixture
def inbox(two_communes, make_submission):
    """Commune A: three new DUPONT, a new MARTIN, a DUPONT already done; commune B: a new DUPONT."""
    _home_a, page_a, _home_b, page_b = two_communes
    return {
        "dupont_new": [make_submission(page_a) for _ in range(3)],
        "martin_new": make_submission(page_a, family_name="MARTIN", children=[]),
        "dupont_done": make_submission(page_a, status="done"),
        "b_dupont_new": make_submission(page_b),
    }


def statuses():
    return dict(Submission.objects.values_list("pk", "status"))


def post_all(client, filters, **data):
    return client.post(reverse(BULK), {"scope": "all", "query": urlencode(filters), **data})


def test_the_listing_offers_the_page_and_all_matching(client, agent_a, inbox):
    client.force_login(agent_a)
    response = client.get(reverse("wagtail_qf_submissions:index"), {"status": "new", "q": "dupont"})
    html = response.content.decode()
    page_box = html.split('name="page_ids" value="')[1].split('"')[0]
    assert {int(pk) for pk in page_box.split(",")} == {s.pk for s in inbox["dupont_new"]}
    assert 'name="scope" value="all"' in html
    assert "Appliquer aux 3 dossiers correspondant aux filtres" in html
    assert 'name="query" value="status=new&amp;q=dupont"' in html
    # The actions sit in the part of the bar shown once a dossier is ticked.
    actions = html.split('class="qf-bulk__actions"')[1].split("</form>")[0]
    assert 'name="scope"' in actions and "Changer le statut" in actions and "Exporter (CSV)" in actions


def test_no_bulk_bar_on_an_empty_listing(client, agent_a, inbox):
    client.force_login(agent_a)
    html = client.get(reverse("wagtail_qf_submissions:index"), {"q": "zorro"}).content.decode()
    assert "qf-bulk-form" not in html


def test_all_matching_changes_exactly_the_filtered_set(client, agent_a, inbox):
    client.force_login(agent_a)
    before = statuses()
    response = post_all(client, {"status": "new", "q": "dupont"}, status="in_progress")
    assert response.status_code == 302
    after = statuses()
    changed = {pk for pk in after if after[pk] != before[pk]}
    assert changed == {s.pk for s in inbox["dupont_new"]}
    assert {after[pk] for pk in changed} == {"in_progress"}
    assert after[inbox["b_dupont_new"].pk] == "new"  # commune B's, though it matches the filters


def test_all_matching_leaves_a_history_entry_per_dossier(client, agent_a, inbox):
    client.force_login(agent_a)
    post_all(client, {"q": "dupont"}, status="closed")
    entries = DossierLogEntry.objects.filter(action=history.STATUS)
    changed = {s.pk for s in [*inbox["dupont_new"], inbox["dupont_done"]]}
    assert {int(e.object_id) for e in entries} == changed
    assert {(e.data["old"], e.data["new"]) for e in entries} == {("new", "closed"), ("done", "closed")}
    assert {e.user_id for e in entries} == {agent_a.pk} and len({e.uuid for e in entries}) == 1
    detail = reverse("wagtail_qf_submissions:inspect", args=[inbox["dupont_done"].pk])
    assert "a modifié le statut : Traité &gt; Clos" in client.get(detail).content.decode()


def test_all_matching_never_reaches_another_communes_dossiers(client, agent_a, inbox, two_communes):
    client.force_login(agent_a)
    before = statuses()
    # Commune B's page forced into the filters: refused, nothing changes.
    response = post_all(client, {"page": two_communes[3].pk}, status="closed")
    assert response.status_code == 302
    assert statuses() == before
    assert post_all(client, {"q": inbox["b_dupont_new"].reference}, status="closed").status_code == 302
    assert statuses() == before


def test_select_all_on_the_page_without_javascript(client, agent_a, inbox):
    """The page's checkbox posts the page's ids in one value."""
    client.force_login(agent_a)
    page = [s.pk for s in inbox["dupont_new"]] + [inbox["b_dupont_new"].pk]  # B's: forged
    client.post(reverse(BULK), {"page_ids": ",".join(map(str, page)), "status": "awaiting"})
    after = statuses()
    assert {after[s.pk] for s in inbox["dupont_new"]} == {"awaiting"}
    assert after[inbox["b_dupont_new"].pk] == "new" and after[inbox["martin_new"].pk] == "new"


def test_nothing_selected_is_refused_with_a_way_forward(client, agent_a, inbox):
    client.force_login(agent_a)
    response = client.post(reverse(BULK), {"status": "closed"}, follow=True)
    assert "cochez au moins un dossier" in response.content.decode()
    assert set(statuses().values()) == {"new", "done"}


def test_export_of_all_matching_streams_the_filtered_set_and_records_it(client, agent_a, inbox):
    client.force_login(agent_a)
    response = post_all(client, {"status": "new", "q": "dupont"}, export="csv")
    assert response.streaming
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    assert {row[0] for row in rows[1:]} == {s.reference for s in inbox["dupont_new"]}
    assert Export.objects.get().count == 3


def test_bulk_needs_the_permissions(client, make_agent, two_communes, inbox):
    reader = make_agent("lecteur", two_communes[0], perms=())
    client.force_login(reader)
    assert post_all(client, {}, status="closed").status_code in (302, 403)  # Wagtail: back to the admin
    export = post_all(client, {}, export="csv")
    assert export.status_code in (302, 403) and not getattr(export, "streaming", False)
    assert not Export.objects.exists()
    assert set(statuses().values()) == {"new", "done"}


def _queries(client, data):
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.post(reverse(BULK), data).status_code == 302
    return len(queries)


def test_bulk_status_change_queries_do_not_grow_with_the_rows(client, agent_a, two_communes, make_submission):
    client.force_login(agent_a)
    page_a = two_communes[1]
    make_submission(page_a, family_name="MARTIN")
    warm = {"scope": "all", "query": "q=martin", "status": "in_progress"}
    _queries(client, warm)  # content types, permissions
    for _ in range(3):
        make_submission(page_a)
    few = _queries(client, {"scope": "all", "query": "q=dupont", "status": "done"})
    for _ in range(30):
        make_submission(page_a, status="awaiting")
    assert _queries(client, {"scope": "all", "query": "q=dupont", "status": "closed"}) == few
