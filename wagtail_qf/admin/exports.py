"""Streamed CSV and XLSX exports of the filtered listing.

Rows come from ``queryset.iterator()`` so memory stays flat whatever the
number of dossiers; the XLSX is written by openpyxl's write-only workbook into
a temporary file that spills to disk. Cells starting with ``= + - @`` (or a tab
/ carriage return) are prefixed with a quote so no spreadsheet runs them as
formulas.
"""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def _cells(columns, item):
    values = []
    for _heading, getter in columns:
        value = getter(item)
        if hasattr(value, "tzinfo") and value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        values.append(neutralise(value))
    return values


def csv_response(columns, queryset, filename):
    def rows():
        writer = csv.writer(_Echo(), delimiter=";")
        yield "\ufeff"  # so that spreadsheet software reads UTF-8
        yield writer.writerow([str(heading) for heading, _ in columns])
        for item in queryset.iterator(chunk_size=CHUNK):
            yield writer.writerow(_cells(columns, item))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(columns, queryset, filename):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Dossiers")
    sheet.append([str(heading) for heading, _ in columns])
    for item in queryset.iterator(chunk_size=CHUNK):
        row = []
        for value in _cells(columns, item):
            cell = WriteOnlyCell(sheet, value)
            if cell.data_type == "f":
                cell.data_type = "s"
            row.append(cell)
        sheet.append(row)
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output, as_attachment=True, filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip
