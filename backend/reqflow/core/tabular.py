"""Rows with typed columns written as CSV or XLSX: one writer for every report and list export.

CSV streams line by line and quotes text cells that a spreadsheet would read as a formula;
XLSX (XlsxWriter in constant-memory mode) writes typed cells — numbers as numbers, money with
two decimals, dates as dates — under a bold header row with frozen panes. Text is always written
as a string cell, so a supplier named ``=HYPERLINK(...)`` stays inert in both formats.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any, Literal

import xlsxwriter
from flask import Response, send_file, stream_with_context

from reqflow.core.money import money

Kind = Literal["text", "int", "decimal", "money", "percent", "date", "datetime"]
FORMATS = ("csv", "xlsx")
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"
NUMERIC: frozenset[str] = frozenset({"int", "decimal", "money", "percent"})
XLSX_NUMBER_FORMATS = {
    "int": "0",
    "decimal": "#,##0.###",
    "money": "#,##0.00",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}


@dataclass(frozen=True)
class Column:
    """One output column: the row key it reads, its header and how its cells are typed."""

    key: str
    title: str
    kind: Kind = "text"
    width: int = 0  # XLSX column width in characters; 0 picks one from the kind


Row = Mapping[str, Any]
Progress = Callable[[int], None]


def inert(text: str) -> str:
    """A text cell a spreadsheet will not evaluate: formula leads get a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def csv_cell(value: Any, kind: Kind) -> str:
    """The CSV text of one cell: numbers plain (money with two decimals), text made inert."""
    if value is None:
        return ""
    if kind == "money":
        return str(money(value))
    if kind in NUMERIC:
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return inert(str(value))


def iter_csv(columns: Sequence[Column], rows: Iterable[Row]) -> Iterator[str]:
    """CSV lines (header first), one string per row, for a streamed response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield "\ufeff" + line([c.title for c in columns])  # BOM: Excel then reads UTF-8
    for row in rows:
        yield line([csv_cell(row.get(c.key), c.kind) for c in columns])


def _xlsx_value(value: Any, kind: Kind) -> Any:
    if kind == "money" and value is not None:
        return float(money(value))
    if kind in NUMERIC and value is not None:
        return float(Decimal(value))  # XLSX stores IEEE doubles; the format shows 2 decimals
    if kind == "datetime" and isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def write_xlsx(
    columns: Sequence[Column],
    rows: Iterable[Row],
    target: str | IO[bytes],
    *,
    sheet: str = "Data",
    progress: Progress | None = None,
) -> int:
    """Write rows to an XLSX file (path or binary stream); returns the number of data rows."""
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    try:
        ws = book.add_worksheet(sheet[:31])
        header = book.add_format({"bold": True, "bottom": 1})
        formats = {k: book.add_format({"num_format": f}) for k, f in XLSX_NUMBER_FORMATS.items()}
        for col, column in enumerate(columns):
            ws.write_string(0, col, column.title, header)
            ws.set_column(col, col, column.width or (14 if column.kind != "text" else 24))
        ws.freeze_panes(1, 0)
        count = 0
        for count, row in enumerate(rows, start=1):
            _write_row(ws, count, columns, row, formats)
            if progress and count % 1000 == 0:
                progress(count)
        return count
    finally:
        book.close()


def _write_row(ws: Any, r: int, columns: Sequence[Column], row: Row, formats: dict) -> None:
    for c, column in enumerate(columns):
        value = _xlsx_value(row.get(column.key), column.kind)
        if value is None:
            continue
        if column.kind == "text" or not isinstance(value, int | float | date):
            ws.write_string(r, c, str(value))  # never write(): it would turn "=..." into a formula
        elif isinstance(value, datetime):
            ws.write_datetime(r, c, value, formats["datetime"])
        elif isinstance(value, date):
            ws.write_datetime(r, c, datetime(value.year, value.month, value.day), formats["date"])
        else:
            ws.write_number(r, c, value, formats.get(column.kind))


def download(columns: Sequence[Column], rows: Iterable[Row], fmt: str, filename: str) -> Response:
    """The rows as a file download: CSV streamed as it is written, XLSX from a spooled file."""
    if fmt == "csv":
        response = Response(stream_with_context(iter_csv(columns, rows)), mimetype=CSV_MIME)
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    else:
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        write_xlsx(columns, rows, path)
        stream = open(path, "rb")  # noqa: SIM115 - closed by the response
        os.unlink(path)  # the open handle keeps the bytes until the response is sent
        response = send_file(stream, mimetype=XLSX_MIME, download_name=f"{filename}.xlsx")
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
