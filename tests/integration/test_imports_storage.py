"""Import files live in storage (not in memory or the database), duplicates are tracked in
the database across chunks, and the error report comes back in the input's format."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from reqflow.catalog.models import Item
from reqflow.extensions import db
from reqflow.imports import stash
from reqflow.imports.models import ImportJob, ImportRowKey
from tests.integration.imports_util import ITEM_HEADER, commit, csv_bytes, uploaded, xlsx_bytes


def test_duplicates_are_found_across_chunks_and_the_keys_leave_with_the_scan(
    app, client, auth, monkeypatch
):
    monkeypatch.setitem(app.config, "IMPORT_CHUNK_ROWS", 3)
    rows = [[f"DUP-{n}", f"Part {n}", "EA", "", "1", ""] for n in range(1, 9)]
    rows.append(["dup-2", "Again", "EA", "", "1", ""])  # row 10: a later chunk, other case
    rows.append(["DUP-7", "Again", "EA", "", "1", ""])  # row 11: DUP-7 was row 8
    preview = uploaded(client, auth("buyer"), "items", csv_bytes([ITEM_HEADER, *rows]))
    messages = {e["row"]: e["message"] for e in preview["errors"]}
    assert messages == {10: "Duplicate of row 3.", 11: "Duplicate of row 8."}
    with app.app_context():
        left = select(func.count()).select_from(ImportRowKey)
        assert db.session.scalar(left) == 0


def test_the_file_is_kept_in_storage_and_checked_against_its_sha256(app, client, auth):
    data = csv_bytes([ITEM_HEADER, ["ST-1", "Stored", "EA", "", "1", ""]])
    preview = uploaded(client, auth("buyer"), "items", data)
    with app.app_context():
        imp = db.session.get(ImportJob, preview["id"])
        assert imp.storage_key and stash.storage().exists(imp.storage_key)
        with stash.storage().open(imp.storage_key) as stored:
            assert stored.read() == data
        stash.storage().put(imp.storage_key, io.BytesIO(data.replace(b"Stored", b"Evil!!")))
    failed = commit(client, auth("buyer"), preview["id"])
    assert failed["status"] == "failed"
    assert "does not match" in failed["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Item.sku == "ST-1")) == 0


def _text_formula(rows: list[list[object]]) -> bytes:
    """A workbook whose B3 is text that starts with '=' (a spreadsheet can hold that)."""
    workbook = load_workbook(io.BytesIO(xlsx_bytes(rows)))
    cell = workbook.active.cell(3, 2)
    cell.value, cell.data_type = rows[2][1], "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_upload_gets_an_xlsx_error_report_and_a_csv_one_csv(client, auth):
    rows = [
        ["sku", "name", "reorder_level"],
        ["OK-1", "Fine", 3],
        ["OK-2", '=HYPERLINK("http://x")', "many"],
        ["", "No key", 1],
    ]
    preview = uploaded(client, auth("buyer"), "items", _text_formula(rows), "items.xlsx")
    report = client.get(f"/api/v1/imports/{preview['id']}/error-report", headers=auth("buyer"))
    assert report.status_code == 200
    assert report.mimetype.endswith("spreadsheetml.sheet")
    assert f"import-{preview['id']}-errors.xlsx" in report.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(report.data)).active
    got = [[c.value for c in row] for row in sheet.iter_rows()]
    assert got[0] == ["sku", "name", "reorder_level", "error"]
    assert got[1] == ["OK-1", "Fine", 3, None]
    assert got[2][:3] == ["OK-2", '=HYPERLINK("http://x")', "many"]
    assert sheet.cell(3, 2).data_type == "s"  # text from the file stays text, never a formula
    assert got[2][3].startswith("reorder_level: ")
    assert got[3][0] is None and got[3][3].startswith("sku: ")

    csv_preview = uploaded(client, auth("buyer"), "items", csv_bytes(rows), "items.csv")
    csv_report = client.get(
        f"/api/v1/imports/{csv_preview['id']}/error-report", headers=auth("buyer")
    )
    assert csv_report.mimetype == "text/csv"
    assert csv_report.data.decode().splitlines()[0] == "sku,name,reorder_level,error"
