"""An export is recorded whole or not at all: its event, its rows and its count together."""

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse

from wagtail_qf.models import DossierLogEntry, Export, ExportedSubmission

pytestmark = pytest.mark.django_db


def test_an_export_whose_rows_cannot_be_written_leaves_no_record(
    client, admin_user, qf_page, make_submission
):
    make_submission(qf_page)
    client.force_login(admin_user)

    def refuse_the_rows(execute, sql, params, many, context):
        if sql.startswith(f"INSERT INTO {ExportedSubmission._meta.db_table} "):
            raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_the_rows), pytest.raises(DatabaseError):
        client.get(reverse("wagtail_qf_submissions:index") + "?export=csv")
    assert not Export.objects.exists()  # no export « of 0 dossiers » in anybody's history
    assert not DossierLogEntry.objects.filter(content_type__model="export").exists()


def test_an_export_or_a_dossier_deleted_takes_its_own_recorded_rows_only(
    client, admin_user, qf_page, make_submission
):
    kept, purged = make_submission(qf_page), make_submission(qf_page)
    client.force_login(admin_user)
    for _ in range(2):
        client.get(reverse("wagtail_qf_submissions:index") + "?export=csv")
    first, second = Export.objects.order_by("pk")

    first.delete()
    purged.delete()
    assert set(ExportedSubmission.objects.values_list("export_id", "submission_id")) == {(second.pk, kept.pk)}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a BRIN is PostgreSQL's")
def test_on_postgresql_the_rows_of_an_export_are_found_by_a_brin(qf_page):
    """An export writes its rows together at the end of the table: a BRIN finds them, and costs
    a fraction of a B-tree's upkeep for each of the million rows an export can write."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [ExportedSubmission._meta.db_table, "%(export_id)%"],
        )
        assert [row[0].split(" USING ")[1] for row in cursor.fetchall()] == [
            "brin (export_id) WITH (autosummarize='on')"
        ]
