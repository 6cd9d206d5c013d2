"""On PostgreSQL the CSV is written by COPY: the identity columns must give Python's text (issue 21)."""

import pytest
from django.db import connection

from wagtail_qf.admin import exports
from wagtail_qf.dossiers.columns import export_columns, export_rows
from wagtail_qf.models import Submission

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="COPY is PostgreSQL's (runs in the PostgreSQL pass)"
    ),
]


def test_copy_gives_the_identity_columns_as_python(qf_page, make_submission):
    make_submission(qf_page, gender="female", birthplace="35238", birthcountry="99100")
    make_submission(qf_page, without_franceconnect=True, birthplace="", birthcountry="99134")
    make_submission(qf_page, source="counter", gender="x-other")  # a value without a label: as it is
    make_submission(qf_page)  # none of them
    columns = export_columns()
    queryset = export_rows(Submission.objects.order_by("pk"))
    python = "".join(exports._csv_pieces(columns, queryset))
    assert "Femme;35238;99100;certifiée par FranceConnect" in python
    assert "Homme;;99134;saisie par le demandeur, non certifiée" in python
    assert "x-other;;;saisie par l'agent au guichet, non certifiée" in python
    assert b"".join(exports._copy_pieces(columns, queryset)).decode() == python
