"""The statistics' counters of dossiers (``DossierCount``): kept by the database with every
write of a dossier and of its history, equal to a count of the dossiers themselves (issue 19,
« Counts read from aggregates kept up to date, not scans »)."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail_qf.dossiers import history, statistics
from wagtail_qf.models import DossierCount, DossierLogEntry, Submission

pytestmark = pytest.mark.django_db


def stored():
    return dict(
        Counter(
            {
                (
                    c.page_id,
                    c.hour,
                    c.status,
                    c.qf_provider,
                    c.source,
                    c.with_tax_data,
                    c.tariff_bracket,
                    c.delay_hours,
                ): c.count
                for c in DossierCount.objects.all()
                if c.count
            }
        )
    )


def actual():
    """What the counters must say, counted from the dossiers in Python."""
    counted = Counter()
    for dossier in Submission.objects.all():
        hour = dossier.submitted_at.replace(minute=0, second=0, microsecond=0)
        delay = -1
        if dossier.processed_at:
            delay = max(0, int((dossier.processed_at - dossier.submitted_at).total_seconds()) // 3600)
        key = (
            dossier.page_id,
            hour,
            dossier.status,
            dossier.qf_provider,
            dossier.source,
            dossier.tax_data is not None,
            dossier.tariff_bracket,
            delay,
        )
        counted[key] += 1
    return dict(counted)


def first_processed(dossier):
    return (
        DossierLogEntry.objects.filter(
            object_id=str(dossier.pk), action=history.STATUS, data__new__in=["done", "closed"]
        )
        .order_by("timestamp")
        .values_list("timestamp", flat=True)
        .first()
    )


def test_counters_follow_every_write_of_a_dossier(two_communes, make_submission, admin_user):
    _home_a, page_a, _home_b, page_b = two_communes
    moment = timezone.now() - datetime.timedelta(days=3, minutes=17)
    first = make_submission(page_a, qf_provider="CNAF", tariff_bracket="A", submitted_at=moment)
    second = make_submission(page_a, qf_provider="MSA", tariff_bracket="B", submitted_at=moment)
    make_submission(page_b, status="done", tax_data={"rfr": 1}, submitted_at=moment)
    make_submission(page_b, without_franceconnect=True)
    assert stored() == actual()
    assert sum(stored().values()) == 4

    history.change_status(first, "done", admin_user)  # processed: its time to process is counted
    assert Submission.objects.get(pk=first.pk).processed_at == first_processed(first)
    history.change_status_many(Submission.objects.filter(pk=second.pk), "closed", admin_user)
    assert Submission.objects.get(pk=second.pk).processed_at == first_processed(second)
    assert stored() == actual()
    assert {key[-1] for key in stored() if key[0] == page_a.pk} == {72}  # three days

    # The history's date corrected (as the test of the delays does), a bulk update, a deletion.
    DossierLogEntry.objects.filter(object_id=str(first.pk), action=history.STATUS).update(
        timestamp=first.submitted_at + datetime.timedelta(days=1, hours=5)
    )
    assert Submission.objects.get(pk=first.pk).processed_at == first.submitted_at + datetime.timedelta(
        days=1, hours=5
    )
    Submission.objects.filter(page=page_b).update(tariff_bracket="Z", tax_data=None)
    Submission.objects.filter(pk=second.pk).delete()
    assert stored() == actual()
    # A second « Traité » later does not change when the dossier was first processed.
    history.change_status(first, "in_progress", admin_user)
    history.change_status(first, "done", admin_user)
    assert Submission.objects.get(pk=first.pk).processed_at == first.submitted_at + datetime.timedelta(
        days=1, hours=5
    )
    assert stored() == actual()


def test_rebuild_counts_as_the_triggers_do(two_communes, make_submission, admin_user):
    _home_a, page_a, _home_b, page_b = two_communes
    for status in ("new", "done", "done", "awaiting"):
        make_submission(page_a, status=status, tariff_bracket=status[0])
    history.change_status(make_submission(page_b), "closed", admin_user)
    kept = stored()
    DossierCount.objects.all().delete()
    statistics.rebuild()
    assert stored() == kept == actual()


def test_the_statistics_never_read_the_dossiers(client, two_communes, make_agent, make_submission):
    """Every figure comes from counters: no query reads the dossiers' table (a grouping of a
    million dossiers took seconds)."""
    home_a, page_a, _home_b, _page_b = two_communes
    make_submission(page_a, status="done", tariff_bracket="A")
    client.force_login(make_agent("sandrine", home_a))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("wagtail_qf_statistics"), {"status": "done"})
    assert response.status_code == 200
    table = connection.ops.quote_name(Submission._meta.db_table)
    assert not [query["sql"] for query in captured if table in query["sql"]]
    assert {row[0]: row[-1] for row in response.context["sections"][4]["rows"]} == {"A": 1}


@pytest.mark.django_db(transaction=True)
def test_the_database_empties_whatever_the_order_of_its_tables(make_qf_page, make_submission, admin_user):
    """``manage.py flush`` (and every browser test's cleaning) deletes the tables one by one, in
    no set order, the foreign keys checked at the end: the history of a processed dossier
    deleted after its page and the counters must not write a counter of that page back."""
    from django.core.management.color import no_style
    from django.db import transaction

    dossier = make_submission(make_qf_page())
    history.change_status(dossier, "done", admin_user)
    # The pages and the counters first, then the history, the dossiers after it.
    first = {"wagtailcore_page": 0, DossierCount._meta.db_table: 0, DossierLogEntry._meta.db_table: 1}
    tables = sorted(
        connection.introspection.django_table_names(only_existing=True), key=lambda t: first.get(t, 2)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(no_style(), tables):
            cursor.execute(statement)
    assert not DossierCount.objects.exists()
