"""The shared CSV/XLSX writer: typed cells, money with two decimals, formula-safe text."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from reqflow.core.tabular import Column, csv_cell, iter_csv, write_xlsx

COLUMNS = [
    Column("supplier", "Supplier"),
    Column("amount", "Amount", "money"),
    Column("count", "Orders", "int"),
    Column("share", "Share", "percent"),
    Column("day", "Day", "date"),
]
ROWS = [
    {
        "supplier": '=HYPERLINK("http://x","y")',
        "amount": Decimal("1234.5"),
        "count": 3,
        "share": Decimal("0.25"),
        "day": date(2026, 11, 30),
    },
    {"supplier": "Acme", "amount": Decimal("-10.005"), "count": 0, "share": None, "day": None},
]


def test_text_that_looks_like_a_formula_is_quoted_in_csv() -> None:
    for lead in "=+-@":
        assert csv_cell(f"{lead}1+1", "text") == f"'{lead}1+1"
    assert csv_cell("Acme - Parts", "text") == "Acme - Parts"


def test_negative_money_stays_a_number_in_csv() -> None:
    assert csv_cell(Decimal("-10.5"), "money") == "-10.50"


def test_csv_has_a_header_and_one_line_per_row() -> None:
    text = "".join(iter_csv(COLUMNS, ROWS)).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Supplier", "Amount", "Orders", "Share", "Day"]
    assert rows[1] == ['\'=HYPERLINK("http://x","y")', "1234.50", "3", "0.25", "2026-11-30"]
    assert rows[2] == ["Acme", "-10.01", "0", "", ""]  # money rounds half up, like the ledger


def test_xlsx_cells_are_typed_and_formulas_inert(tmp_path) -> None:
    path = tmp_path / "out.xlsx"
    assert write_xlsx(COLUMNS, ROWS, str(path)) == 2
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == ["Supplier", "Amount", "Orders", "Share", "Day"]
    supplier, amount, count, share, day = ws[2]
    assert supplier.data_type == "s" and supplier.value.startswith("=HYPERLINK")
    assert amount.value == 1234.5 and amount.number_format == "#,##0.00"
    assert count.value == 3
    assert share.value == 0.25
    assert day.value == datetime(2026, 11, 30)
    assert ws.freeze_panes == "A2"
