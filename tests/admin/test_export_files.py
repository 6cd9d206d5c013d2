"""The export files as an agent's spreadsheet opens them: named attachments of the right type,
local times, numbers as numbers, every dossier once however the CSV is cut into pieces
(issue 23: mutation testing of ``admin/exports.py``)."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wagtail_qf.admin import exports
from wagtail_qf.dossiers.columns import export_columns, export_rows
from wagtail_qf.models import Submission

pytestmark = pytest.mark.django_db

# 23:30:05 UTC on 2 January is 00:30:05 on 3 January in Paris (winter time).
SUBMITTED_AT = timezone.make_aware(datetime.datetime(2026, 1, 2, 23, 30, 5, 120000), datetime.UTC)


@pytest.fixture
def agent(client, make_agent, two_communes):
    client.force_login(make_agent("sandrine", two_communes[0]))


@pytest.fixture
def dossier(two_communes, make_submission):
    return make_submission(two_communes[1], submitted_at=SUBMITTED_AT, given_names="", usage_name="-")


def export(client, spreadsheet_format):
    return client.get(reverse("wagtail_qf_submissions:index") + f"?export={spreadsheet_format}")


def test_csv_export_is_a_named_utf8_attachment_a_spreadsheet_reads(client, agent, dossier):
    response = export(client, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dossiers-quotient-familial.csv"'
    content = b"".join(response.streaming_content).decode()
    assert content.startswith("\ufeffRéférence;")  # the BOM: spreadsheets then read UTF-8
    lines = content.removeprefix("\ufeff").split("\n")
    assert lines[-1] == "" and "\r" not in content  # rows end with "\n", as COPY's do
    rows = list(csv.reader(lines[:-1], delimiter=";"))
    assert len(rows) == 2 and len(rows[1]) == len(rows[0]) > 10
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Référence"] == dossier.reference
    assert row["Transmis le"] == "2026-01-03 00:30:05"  # local time, to the second
    assert row["Prénoms"] == ""  # an empty cell stays empty
    assert row["Nom d'usage"] == "'-"  # neutralised


def test_xlsx_export_is_a_named_workbook_with_typed_cells(client, agent, dossier):
    response = export(client, "xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="dossiers-quotient-familial.xlsx"'
    content = b"".join(response.streaming_content)
    assert content.startswith(b"PK\x03\x04")  # the whole file, from its first byte
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Dossiers"]
    heading, *rows = workbook["Dossiers"].values
    assert len(rows) == 1
    row = dict(zip(heading, rows[0], strict=True))
    assert row["Référence"] == dossier.reference
    assert row["Transmis le"] == datetime.datetime(2026, 1, 3, 0, 30, 5, 120000)  # local, a date cell
    assert row["Quotient familial (€)"] == 1234  # a number stays a number (never prefixed)
    assert row["Nom d'usage"] == "'-"


def test_csv_cut_into_pieces_keeps_every_dossier_once(
    client, agent, two_communes, make_submission, monkeypatch
):
    """The CSV is streamed a piece at a time (memory stays flat): pieces never lose or repeat a row."""
    names = ["MARTIN", "BERNARD-DE-LA-FONTAINE", "LI", "PETIT"]
    for name in names:
        make_submission(two_communes[1], family_name=name)
    monkeypatch.setattr(exports, "PIECE", 100)  # about a row: a piece as soon as the buffer holds one
    monkeypatch.setattr(exports, "COPY_ROWS", 1)  # PostgreSQL's COPY: a piece a row
    pieces = list(export(client, "csv").streaming_content)
    assert len(pieces) >= 1 + len(names)  # the heading, then about a piece a row
    rows = list(csv.reader(io.StringIO(b"".join(pieces).decode().removeprefix("\ufeff")), delimiter=";"))
    assert sorted(row[5] for row in rows[1:]) == sorted(names)


def test_neutralise_leaves_what_is_not_a_formula():
    assert exports.neutralise("") == ""
    assert exports.neutralise("Anne-Marie") == "Anne-Marie"
    assert exports.neutralise(None) is None
    assert exports.neutralise(-5) == -5  # a number is never read as a formula
    assert exports.neutralise("\r=1") == "'\r=1"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's (runs in the PostgreSQL pass)"
)
def test_copy_keeps_the_percent_signs_of_a_filtered_export(two_communes, make_submission):
    """A filter binds parameters: the literals of the COPY statement then escape their "%"."""
    page = two_communes[1]
    type(page).objects.filter(pk=page.pk).update(commune_name="Saint-Denis 100 %")
    make_submission(page, family_name="MARTIN")
    columns = export_columns()
    queryset = export_rows(Submission.objects.filter(family_name__startswith="MART"))
    python = "".join(exports._csv_pieces(columns, queryset))
    assert "Saint-Denis 100 %" in python
    assert b"".join(exports._copy_pieces(columns, queryset)).decode() == python
