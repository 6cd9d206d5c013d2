"""Counts per page and status: kept with every write, read by the inbox tabs."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail_qf.dossiers import counts as counters
from wagtail_qf.dossiers.history import change_status
from wagtail_qf.models import Submission, SubmissionCount

from ..factories import SubmissionFactory

pytestmark = pytest.mark.django_db


def stored():
    return {(c.page_id, c.status): c.count for c in SubmissionCount.objects.all() if c.count}


def actual():
    return dict(Counter(Submission.objects.values_list("page_id", "status")))


def test_counters_follow_creations_changes_and_deletions(two_communes, make_submission, admin_user):
    _home_a, page_a, _home_b, page_b = two_communes
    first = make_submission(page_a)
    make_submission(page_a)
    make_submission(page_b, status="done")
    assert stored() == actual() == {(page_a.pk, "new"): 2, (page_b.pk, "done"): 1}

    change_status(first, "in_progress", admin_user)
    reloaded = Submission.objects.get(pk=first.pk)
    reloaded.status = "refused"
    reloaded.save()  # a plain save counts too
    assert stored() == actual() == {(page_a.pk, "new"): 1, (page_a.pk, "refused"): 1, (page_b.pk, "done"): 1}

    reloaded.status = "closed"
    reloaded.save(update_fields=["updated_at"])  # status not written: not counted
    assert stored() == actual()
    Submission.objects.get(pk=first.pk).delete()
    assert stored() == actual() == {(page_a.pk, "new"): 1, (page_b.pk, "done"): 1}


def test_a_double_submission_counts_once(make_qf_page):
    """The unique form token turns a second POST into the first dossier: one count."""
    from wagtail_qf.dossiers.creation import create_submission
    from wagtail_qf.franceconnect.identity import CitizenIdentity
    from wagtail_qf.particulier.types import QFResult, QuotientFamilial

    page = make_qf_page()
    identity = CitizenIdentity(sub="s", given_name="Paul", family_name="DUPONT", birthdate="1980-06-15")
    result = QFResult(QuotientFamilial("CNAF", 1234, 2026, 11), (), (), None, raw={})
    first = create_submission(page, identity, result, [], "same-token")
    assert create_submission(page, identity, result, [], "same-token") == first
    assert stored() == actual() == {(page.pk, "new"): 1}


def test_bulk_writes_and_raw_sql_are_counted_by_the_database(two_communes, make_submission):
    _home_a, page_a, _home_b, page_b = two_communes
    make_submission(page_a)
    # No signals: the database's triggers count them.
    bulk = Submission.objects.bulk_create(SubmissionFactory.build_batch(3, page=page_b, status="awaiting"))
    Submission.objects.filter(page=page_b).update(status="done")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE wagtail_qf_submission SET status = 'closed' WHERE id = %s", [bulk[0].pk])
    assert stored() == actual() == {(page_a.pk, "new"): 1, (page_b.pk, "done"): 2, (page_b.pk, "closed"): 1}


def test_rebuild_and_command_repair_counts(two_communes, make_submission):
    _home_a, page_a, _home_b, page_b = two_communes
    make_submission(page_a), make_submission(page_b, status="awaiting")
    SubmissionCount.objects.update(count=99)
    counters.rebuild([page_b.pk])
    assert stored() == {(page_a.pk, "new"): 99, (page_b.pk, "awaiting"): 1}
    SubmissionCount.objects.all().delete()
    call_command("qf_recount", stdout=None)
    assert stored() == actual() == {(page_a.pk, "new"): 1, (page_b.pk, "awaiting"): 1}


def test_another_database_than_postgresql_or_sqlite_is_warned_by_the_check(monkeypatch):
    """The counts are the triggers' only: on another database ``manage.py check`` says so."""
    from wagtail_qf.checks import check_database_vendor

    assert check_database_vendor(databases=["default"]) == []
    monkeypatch.setattr(connection, "vendor", "oracle")
    [warning] = check_database_vendor(databases=["default"])
    assert warning.id == "wagtail_qf.W002" and "oracle" in warning.msg


def test_deleting_a_page_deletes_its_dossiers_and_counters(two_communes, make_submission):
    _home_a, page_a, _home_b, page_b = two_communes
    make_submission(page_a), make_submission(page_b)
    page_a.delete()
    assert stored() == actual() == {(page_b.pk, "new"): 1}


def _tab_counts(client, query=""):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("wagtail_qf_submissions:index") + query)
    tabs = {t["value"]: t["count"] for t in response.context["status_tabs"]}
    grouped = [
        q["sql"]
        for q in ctx.captured_queries
        if "GROUP BY" in q["sql"] and 'FROM "wagtail_qf_submission"' in q["sql"]
    ]
    return tabs, grouped


def test_tabs_read_the_counters_unless_other_filters_apply(
    client, make_agent, two_communes, make_submission, now
):
    import datetime

    agent_a = make_agent("sandrine", two_communes[0])
    _home_a, page_a, _home_b, page_b = two_communes
    make_submission(page_a), make_submission(page_a, status="done")
    make_submission(page_a, submitted_at=now - datetime.timedelta(days=40))
    make_submission(page_b)  # another commune's: never counted for agent A
    client.force_login(agent_a)

    tabs, grouped = _tab_counts(client)
    assert (tabs[""], tabs["new"], tabs["done"]) == (3, 2, 1)
    assert grouped == []  # no count over the dossiers themselves
    tabs, grouped = _tab_counts(client, f"?page={page_a.pk}&q=")
    assert (tabs[""], tabs["new"]) == (3, 2) and grouped == []
    tabs, _ = _tab_counts(client, f"?page={page_b.pk}")  # not agent A's page: refused, A's listing
    assert tabs[""] == 3

    since = (now - datetime.timedelta(days=10)).date().isoformat()
    tabs, grouped = _tab_counts(client, f"?submitted_at_from={since}")
    assert (tabs[""], tabs["new"], tabs["done"]) == (2, 1, 1)
    assert len(grouped) == 1  # a date filter counts the dossiers


def _copy_by_raw_sql(dossier, token):
    """A dossier inserted by raw SQL (an import): a copy of ``dossier`` under a new reference."""
    quote = connection.ops.quote_name
    columns = [f.column for f in Submission._meta.concrete_fields if not f.primary_key]
    values = {"reference": "%s", "submission_token": "%s"}
    sql = (
        f"INSERT INTO {quote(Submission._meta.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608 -- the model's own names
        f"SELECT {', '.join(values.get(c, quote(c)) for c in columns)} "
        f"FROM {quote(Submission._meta.db_table)} WHERE id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ["QF-RAW0-0001", token, dossier.pk])


def test_cached_filtered_counts_follow_bulk_writes_updates_and_raw_sql(
    admin_client, two_communes, make_submission
):
    """Counts over other filters are cached: the database's version token, renewed by every
    write of a dossier, makes them counted again, with no call from the code that writes."""
    _home_a, page_a, _home_b, page_b = two_communes
    first = make_submission(page_a, qf_provider="MSA")
    msa = "?qf_provider=MSA"
    assert _tab_counts(admin_client, msa)[0][""] == 1

    bulk = Submission.objects.bulk_create(
        SubmissionFactory.build_batch(2, page=page_b, qf_provider="MSA", status="awaiting")
    )
    tabs, _ = _tab_counts(admin_client, msa)
    assert (tabs[""], tabs["new"], tabs["awaiting"]) == (3, 1, 2)

    Submission.objects.filter(pk=bulk[0].pk).update(status="done")
    Submission.objects.filter(pk=bulk[1].pk).update(qf_provider="CNAF")  # a filtered field only
    tabs, _ = _tab_counts(admin_client, msa)
    assert (tabs[""], tabs["awaiting"], tabs["done"]) == (2, 0, 1)

    _copy_by_raw_sql(first, "raw-token")
    tabs, grouped = _tab_counts(admin_client, msa)
    assert (tabs[""], tabs["new"]) == (3, 2)
    assert len(grouped) == 1  # counted again, then cached:
    assert _tab_counts(admin_client, msa) == (tabs, [])
