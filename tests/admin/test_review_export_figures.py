"""The exports as a town hall opens them: what the inbox shows (same filters, search, order and
rights), recorded once, queries that do not grow with the rows, and decimals a French spreadsheet
reads as numbers (CSV on SQLite, PostgreSQL's COPY, XLSX)."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from wagtail_qf.admin import exports
from wagtail_qf.dossiers.columns import export_columns, export_rows
from wagtail_qf.models import Export, ExportedSubmission, Submission

from ..fakes import dgfip

pytestmark = pytest.mark.django_db

INDEX = reverse("wagtail_qf_submissions:index")
# 23:30 UTC on 31 January is 1 February in Paris.
LAST_OF_JANUARY = datetime.datetime(2026, 1, 31, 23, 30, tzinfo=datetime.UTC)


def csv_rows(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content, newline=""), delimiter=";"))


@pytest.fixture
def agent_a(client, make_agent, two_communes):
    agent = make_agent("sandrine", two_communes[0])
    client.force_login(agent)
    return agent


@pytest.fixture
def inbox(two_communes, make_submission):
    _home_a, page_a, _home_b, page_b = two_communes
    for i in range(6):
        make_submission(
            page_a,
            family_name="DUPONT" if i % 2 else "MARTIN",
            status="new" if i % 3 else "done",
            qf_provider="MSA" if i % 2 else "CNAF",
            qf_value=100 * i,
            submitted_at=LAST_OF_JANUARY - datetime.timedelta(days=i),
        )
    make_submission(page_b, family_name="DUPONT")
    return page_b


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=dupont",
        "status=new&q=dupont",
        "qf_provider=MSA&ordering=-qf_value",
        "page={other}",  # another commune's page: refused, the listing shows the agent's own
        "submitted_at_after=2026-01-27&submitted_at_before=2026-01-31",
        "ordering=reference",
        "commune=35238",
    ],
)
def test_the_export_is_the_listing_as_shown(client, agent_a, inbox, query):
    query = query.format(other=inbox.pk)
    listed = [row.reference for row in client.get(f"{INDEX}?{query}").context["object_list"]]
    exported = [row[0] for row in csv_rows(client.get(f"{INDEX}?{query}&export=csv"))[1:]]
    assert exported == listed
    record = Export.objects.get()  # one record, naming exactly the dossiers exported
    assert record.count == len(exported)
    assert sorted(ExportedSubmission.objects.values_list("submission__reference", flat=True)) == sorted(
        exported
    )


@pytest.mark.parametrize("spreadsheet_format", ["csv", "xlsx"])
def test_the_exports_queries_do_not_grow_with_the_rows(
    client, agent_a, two_communes, make_submission, spreadsheet_format
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{INDEX}?export={spreadsheet_format}")
            b"".join(response.streaming_content)
        return len(captured)

    make_submission(two_communes[1])
    queries()  # the first request fills the caches (content types, sites)
    few = queries()
    for _ in range(2 * exports.CHUNK + 1 if spreadsheet_format == "csv" else 30):
        make_submission(two_communes[1])
    assert queries() == few


@pytest.fixture
def tax_page(make_qf_page):
    with override_settings(WAGTAIL_QF={**settings.WAGTAIL_QF, "DGFIP": dgfip.SETTINGS}):
        yield make_qf_page(source_dgfip=True)


def test_a_decimal_number_of_parts_is_written_with_a_comma_in_the_csv(
    client, admin_user, tax_page, make_submission
):
    """A French spreadsheet reads « 2.5 » as the 2nd of May; « 2,5 » is two parts and a half."""
    make_submission(tax_page, tax_data={"rfr": 36705, "nb_parts": 2.5})
    make_submission(tax_page, tax_data={"rfr": 20000, "nb_parts": 1.0})
    client.force_login(admin_user)
    heading, *rows = csv_rows(client.get(f"{INDEX}?export=csv"))
    parts = [dict(zip(heading, row, strict=True))["Nombre de parts"] for row in rows]
    assert sorted(parts) == ["1,0", "2,5"]
    # The workbook keeps a number.
    workbook = load_workbook(io.BytesIO(b"".join(client.get(f"{INDEX}?export=xlsx").streaming_content)))
    sheet = list(workbook.active.values)
    column = sheet[0].index("Nombre de parts")
    assert sorted(row[column] for row in sheet[1:]) == [1, 2.5]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's (runs in the PostgreSQL pass)"
)
def test_copy_writes_the_decimal_comma_as_python_does(tax_page, make_submission):
    make_submission(tax_page, tax_data={"nb_parts": 2.5})
    make_submission(tax_page, tax_data={"nb_parts": 4.0})
    columns = export_columns()
    queryset = export_rows(Submission.objects.order_by("pk"))
    python = "".join(exports._csv_pieces(columns, queryset))
    assert ";2,5;" in python and ";4,0;" in python
    assert b"".join(exports._copy_pieces(columns, queryset)).decode() == python
