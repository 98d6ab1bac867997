"""Bulk imports refuse what they cannot safely read: too large, wrong type, zip bombs,
billion laughs, too many rows; every refusal is an error envelope, never a 500."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import func, select

from reqflow.extensions import db
from reqflow.imports.models import ImportJob
from tests.integration.imports_util import csv_bytes, upload, xlsx_bytes

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"""


def _rewrite(workbook: bytes, replace: dict[str, bytes]) -> bytes:
    """The workbook with some parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in replace:
                target.writestr(info.filename, source.read(info.filename))
        for name, data in replace.items():
            target.writestr(name, data)
    return out.getvalue()


def _stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ImportJob))


def test_a_zip_bomb_is_refused_from_its_directory(app, client, auth):
    plain = xlsx_bytes([["code", "name"], ["ACME", "Acme"]])
    bomb = _rewrite(plain, {"xl/worksheets/sheet1.xml": b"<" + b" " * 60_000_000 + b"/>"})
    assert len(bomb) < 200_000
    response = upload(client, auth("buyer"), "suppliers", bomb, "bomb.xlsx")
    assert response.status_code == 413
    assert response.json["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert _stored(app) == 0


def test_billion_laughs_is_refused(app, client, auth):
    plain = xlsx_bytes([["code", "name"], ["ACME", "Acme"]])
    laughs = _rewrite(plain, {"xl/worksheets/sheet1.xml": LAUGHS})
    response = upload(client, auth("buyer"), "suppliers", laughs, "laughs.xlsx")
    assert response.status_code == 415
    assert "entities" in response.json["error"]["message"]
    assert _stored(app) == 0


def test_an_oversized_file_and_too_many_rows_are_413(app, client, auth, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 2_000)
    big = csv_bytes([["code", "name"]] + [[f"S{n:04d}", "x" * 40] for n in range(100)])
    response = upload(client, auth("buyer"), "suppliers", big, "big.csv")
    assert response.status_code == 413
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 1_000_000)
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 10)
    many = csv_bytes([["code", "name"]] + [[f"S{n:04d}", "x"] for n in range(11)])
    response = upload(client, auth("buyer"), "suppliers", many, "many.csv")
    assert response.status_code == 413
    assert "more than 10 rows" in response.json["error"]["message"]
    assert _stored(app) == 0


def test_wrong_types_are_415(client, auth):
    headers = auth("buyer")
    pdf = upload(client, headers, "suppliers", b"%PDF-1.4 ...", "list.pdf")
    assert pdf.status_code == 415
    fake = upload(client, headers, "suppliers", b"code,name\nA,B\n", "list.xlsx")
    assert fake.status_code == 415
    zipped = upload(client, headers, "suppliers", b"PK\x03\x04garbage", "list.csv")
    assert zipped.status_code == 415
    broken = upload(client, headers, "suppliers", b"PK\x03\x04garbage", "list.xlsx")
    assert broken.status_code == 415
    as_json = client.post("/api/v1/imports/suppliers", json={"file": "x"}, headers=headers)
    assert as_json.status_code == 415
    no_file = client.post(
        "/api/v1/imports/suppliers", data={}, headers=headers, content_type="multipart/form-data"
    )
    assert no_file.status_code == 400
