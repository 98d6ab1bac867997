"""Files handed back: the XLSX template of a kind, and the error report (the input with an
``error`` column, as CSV)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reqflow.imports import reader
from reqflow.imports.kinds import Kind
from reqflow.imports.models import ImportJob


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


def error_report(imp: ImportJob, limits: reader.Limits) -> str:
    """The input rows (CSV) with an ``error`` column listing each row's problems."""
    by_row: dict[int, list[str]] = defaultdict(list)
    for error in imp.errors or []:
        column = f"{error['column']}: " if error.get("column") else ""
        by_row[int(error["row"])].append(column + str(error["message"]))
    out = io.StringIO()
    writer = csv.writer(out)
    for number, values in reader.rows(imp.content, imp.file_format, limits):
        cells = ["" if v is None else str(v) for v in values]
        writer.writerow([*cells, "error" if number == 1 else "; ".join(by_row.get(number, []))])
    return out.getvalue()
