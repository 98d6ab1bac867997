"""Files handed back: the XLSX template of a kind, and the error report (the input with an
``error`` column, in the input's format)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reqflow.imports import reader, stash
from reqflow.imports.kinds import Kind
from reqflow.imports.models import ImportJob

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template(kind: Kind) -> bytes:
    """A workbook with the header row, one example row and a pick list for each enum column."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind.name
    sheet.append([c.name for c in kind.columns])
    sheet.append([c.example for c in kind.columns])
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
        if column.choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"')
            rule.add(f"{letter}2:{letter}100001")
            sheet.add_data_validation(rule)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@dataclass
class Report:
    file: IO[bytes]  # a rewound temporary file; the response closes it
    mimetype: str
    filename: str


def _problems(imp: ImportJob) -> dict[int, str]:
    by_row: dict[int, list[str]] = defaultdict(list)
    for error in imp.errors or []:
        column = f"{error['column']}: " if error.get("column") else ""
        by_row[int(error["row"])].append(column + str(error["message"]))
    return {row: "; ".join(messages) for row, messages in by_row.items()}


def _report_rows(imp: ImportJob, file: IO[bytes], limits: reader.Limits) -> Iterator[list[Any]]:
    problems = _problems(imp)
    for number, values in reader.rows(file, imp.file_format, limits):
        yield [*values, "error" if number == 1 else problems.get(number, "")]


def error_report(imp: ImportJob, limits: reader.Limits) -> Report:
    """The input rows with an ``error`` column listing each row's problems, in the input's
    format: CSV for a CSV upload, XLSX for a workbook. Written to a temporary file, row by
    row, as the input is read."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller
    try:
        with stash.local(imp.storage_key, imp.sha256) as file:
            rows = _report_rows(imp, file, limits)
            if imp.file_format == reader.XLSX:
                _write_xlsx(rows, out)
            else:
                _write_csv(rows, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    name = f"import-{imp.id}-errors.{imp.file_format}"
    mimetype = XLSX_TYPE if imp.file_format == reader.XLSX else "text/csv"
    return Report(out, mimetype, name)


def _write_csv(rows: Iterator[list[Any]], out: IO[bytes]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")  # type: ignore[type-var]
    writer = csv.writer(text)
    for values in rows:
        writer.writerow(["" if v is None else str(v) for v in values])
    text.flush()
    text.detach()


def _write_xlsx(rows: Iterator[list[Any]], out: IO[bytes]) -> None:
    """A write-only (streamed) workbook; text that looks like a formula stays text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("errors")
    for values in rows:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(out)
