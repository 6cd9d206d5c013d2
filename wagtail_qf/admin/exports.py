"""Streamed CSV and XLSX exports of the filtered listing.

Memory stays flat whatever the number of dossiers: on PostgreSQL the CSV is
written by the database itself (``COPY … TO STDOUT``) and streamed as it comes;
elsewhere rows come from ``queryset.iterator()``. The XLSX is written by
openpyxl's write-only workbook into a temporary file that spills to disk.
Cells starting with ``= + - @`` (or a tab / carriage return) are prefixed with
a quote so no spreadsheet runs them as formulas.

Any text a citizen can type (or an API can send) stays in its cell: the CSV quotes
every value holding a line feed or a carriage return (as ``COPY`` does), and the
XLSX shows the characters XML cannot hold as "�" (replaced, never dropped: dropping
a control character in front of "=" would leave a formula).
"""

import csv
import datetime
import io
import tempfile
from collections.abc import Iterator
from itertools import islice

from django.db import connections, transaction
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from ..dossiers.columns import sql_fragments
from ..formatting import xml_text

# A cell starting with one is a formula to a spreadsheet (full-width forms too: « ＝ », « ＋ »…).
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
# The same rule in SQL, for COPY; empty values become NULL, written unquoted. The first
# character is compared as its code (``ascii``, 0 for an empty text): taking it as a text
# (``left``) and comparing texts made a third of the database's work in the export.
SQL_NEUTRALISE = (
    "CASE WHEN ascii({0}) IN (" + ", ".join(str(ord(c)) for c in sorted(FORMULA_STARTS)) + ")"
    " THEN '''' || {0} ELSE nullif({0}, '') END"
)
CHUNK = 2000
# Characters of CSV per piece of the streamed response: fewer, larger writes.
PIECE = 64 * 1024
# Rows of the ``COPY`` per piece: about as much (a dossier's row is some 250 characters).
COPY_ROWS = 256


def neutralise(value) -> object:
    if type(value) is str and value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


def _cells(getters, item, zone, as_text=False):
    """The row's values; ``as_text`` (CSV): dates written out, and a decimal comma, which a French
    spreadsheet reads as a number where it reads « 2.5 » as the 2nd of May."""
    values = []
    for getter in getters:
        value = getter(item)
        if type(value) is datetime.datetime and value.tzinfo is not None:
            value = value.astimezone(zone).replace(tzinfo=None)
            if as_text:
                value = value.strftime("%Y-%m-%d %H:%M:%S")
        elif as_text and type(value) is float:
            value = str(value).replace(".", ",")
        values.append(neutralise(value))
    return values


class _Rows(io.StringIO):
    r"""The CSV text: rows end with "\n" like ``COPY``'s, while the writer's "\r\n"
    makes it quote a value holding a bare "\r" (which spreadsheets read as a new row)."""

    def write(self, row) -> int:  # the csv writer writes each row in one call
        return super().write(row.removesuffix("\r\n") + "\n")


def _writer(buffer):
    return csv.writer(buffer, delimiter=";", lineterminator="\r\n")


def csv_text(rows) -> str:
    """``rows`` as the exports write them (``;``, line breaks kept inside their quoted cell)."""
    buffer = _Rows()
    _writer(buffer).writerows(rows)
    return buffer.getvalue()


def _csv_pieces(columns, queryset):
    getters = [column.get for column in columns]
    zone = timezone.get_current_timezone()
    buffer = _Rows()
    writer = _writer(buffer)
    for item in queryset.iterator(chunk_size=CHUNK):
        writer.writerow(_cells(getters, item, zone, as_text=True))
        if buffer.tell() >= PIECE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def copy_statement(columns, queryset, connection) -> tuple[str, tuple]:
    """``COPY`` of the queryset's rows, formatted by each column's SQL expression:
    the same text as ``_csv_pieces``. ``OFFSET 0`` keeps each expression computed
    once, before the neutralisation reads it several times."""
    from psycopg import sql as psql  # only here: psycopg is installed with PostgreSQL only

    select, params = queryset.query.sql_with_params()

    def quote(value) -> str:  # a literal, its % escaped when psycopg reads placeholders
        literal = psql.Literal(value).as_string(connection)
        return literal.replace("%", "%%") if params else literal

    fragments = sql_fragments(quote, timezone.get_current_timezone_name())
    cells = ", ".join(f"({column.sql.format(**fragments)}) AS c{i}" for i, column in enumerate(columns))
    neutralised = ", ".join(SQL_NEUTRALISE.format(f"c{i}") for i in range(len(columns)))
    statement = (
        # Column SQL comes from our own column table; values are bound parameters.
        f"COPY (SELECT {neutralised} FROM (SELECT {cells} FROM ({select}) r OFFSET 0) f)"  # noqa: S608
        " TO STDOUT WITH (FORMAT csv, DELIMITER ';')"
    )
    return statement, params


def _copy_pieces(columns, queryset):
    """The rows of the ``COPY``, joined into larger pieces. PostgreSQL's JIT is off for it:
    compiling the columns' expressions took 2 s of a 5 s export of 200,000 dossiers, and saved
    less. So are parallel workers: handing the wide rows from the workers to the one process
    that formats and sends them took longer than reading them in that process (a third of the
    ``COPY``'s time). ``SET LOCAL``: the connection's own settings are back once the export is read."""
    with transaction.atomic(using=queryset.db), connections[queryset.db].cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        statement, params = copy_statement(columns, queryset, cursor.cursor.connection)
        with cursor.cursor.copy(statement, params) as copy:
            rows = iter(copy)  # a row each, joined into larger pieces (no Python step per row)
            while batch := list(islice(rows, COPY_ROWS)):
                yield b"".join(batch)


def csv_response(columns, queryset, filename) -> StreamingHttpResponse:
    heading = csv_text([[str(column.heading) for column in columns]])

    def rows() -> Iterator[str | bytes]:
        yield "\ufeff" + heading  # the BOM: spreadsheet software then reads UTF-8
        if connections[queryset.db].vendor == "postgresql":
            yield from _copy_pieces(columns, queryset)
        else:
            yield from _csv_pieces(columns, queryset)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(columns, queryset, filename) -> FileResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Dossiers")
    sheet.append([str(column.heading) for column in columns])
    getters = [column.get for column in columns]
    zone = timezone.get_current_timezone()
    for item in queryset.iterator(chunk_size=CHUNK):
        row = []
        for value in _cells(getters, item, zone):
            if type(value) is str:
                value = xml_text(value)
            cell = WriteOnlyCell(sheet, value)
            if cell.data_type == "f":
                cell.data_type = "s"
            row.append(cell)
        sheet.append(row)
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
