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
