"""Exports survive any text a citizen can type or an API can send: one dossier per row,
formulas neutralised, no 500 (CSV on SQLite and on PostgreSQL's COPY, XLSX)."""

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from wagtail_qf.formatting import XML_ILLEGAL
from wagtail_qf.models import Submission

pytestmark = pytest.mark.django_db

CONTROLS = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]]
# Line and paragraph separators, byte order mark, direction marks and overrides, non-characters.
OTHERS = ["\u2028", "\u2029", "\ufeff", "\u200e", "\u200f", "\u202e", "\u2066", "\ufffe", "\uffff"]
# PostgreSQL's text cannot hold NUL (and Django's form fields refuse it): not storable there.
CHARACTERS = [c for c in CONTROLS + OTHERS if c != "\x00" or connection.vendor != "postgresql"]


@pytest.fixture
def odd_dossiers(two_communes, make_submission):
    page = two_communes[1]
    for c in CHARACTERS:
        make_submission(
            page,
            family_name=f'{c}=HYPERLINK("x")',
            given_names=f"Anne{c}=1+1",
            usage_name=f"@{c}",
            children=[{"prenoms": f"LÉA{c}", "nom_naissance": c}],
        )
    return Submission.objects.count()


@pytest.fixture
def agent(client, make_agent, two_communes):
    client.force_login(make_agent("sandrine", two_communes[0]))


def export(client, spreadsheet_format):
    response = client.get(reverse("wagtail_qf_submissions:index") + f"?export={spreadsheet_format}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_csv_export_keeps_each_dossier_on_one_row_whatever_its_text(client, agent, odd_dossiers):
    content = export(client, "csv").decode("utf-8").removeprefix("\ufeff")
    # Read as a spreadsheet does: a bare carriage return outside quotes ends a row.
    rows = list(csv.reader(io.StringIO(content, newline=""), delimiter=";"))
    assert len(rows) == 1 + odd_dossiers
    family_names = {row[5] for row in rows[1:]}
    assert family_names == {"'" * (c in "\t\r") + f'{c}=HYPERLINK("x")' for c in CHARACTERS}
    assert {row[6] for row in rows[1:]} == {f"Anne{c}=1+1" for c in CHARACTERS}
    assert {row[7] for row in rows[1:]} == {f"'@{c}" for c in CHARACTERS}
    assert not [cell for row in rows[1:] for cell in row if cell[:1] in ("=", "+", "-", "@")]


def test_xlsx_export_answers_whatever_the_text_and_keeps_it_readable(client, agent, odd_dossiers):
    workbook = load_workbook(io.BytesIO(export(client, "xlsx")))
    rows = list(workbook.active.iter_rows(min_row=2))
    assert len(rows) == odd_dossiers
    assert not [cell for row in rows for cell in row if cell.data_type == "f"]

    def written(text):  # what an XML reader gives back: illegal characters shown as "�", CR read as LF
        return XML_ILLEGAL.sub("\ufffd", text).replace("\r", "\n")

    assert {row[6].value for row in rows} == {written(f"Anne{c}=1+1") for c in CHARACTERS}
    assert {row[5].value for row in rows} == {
        written("'" * (c in "\t\r") + f'{c}=HYPERLINK("x")') for c in CHARACTERS
    }
    # A removed character would have let "=HYPERLINK" through: it is replaced, never dropped.
    assert not [row[5].value for row in rows if row[5].value.startswith("=")]
