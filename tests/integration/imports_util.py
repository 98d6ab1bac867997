"""Helpers for the import tests: build CSV/XLSX files and drive the /imports endpoints."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

ITEM_HEADER = ["sku", "name", "uom", "category", "reorder_level", "preferred_supplier_code"]


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def item_rows(count: int, *, start: int = 1, supplier: str = "") -> list[list[Any]]:
    return [
        [f"SKU-{n:06d}", f"Part {n}", "EA", "Fasteners", "5", supplier]
        for n in range(start, start + count)
    ]


def upload(client, headers, kind: str, data: bytes, filename: str) -> Any:
    return client.post(
        f"/api/v1/imports/{kind}",
        data={"file": (io.BytesIO(data), filename)},
        headers=headers,
        content_type="multipart/form-data",
    )


def uploaded(client, headers, kind: str, data: bytes, filename: str = "f.csv") -> dict[str, Any]:
    response = upload(client, headers, kind, data, filename)
    assert response.status_code == 201, response.json
    return response.json["data"]["import"]


def commit(client, headers, import_id: int) -> dict[str, Any]:
    response = client.post(f"/api/v1/imports/{import_id}/commit", headers=headers)
    assert response.status_code == 200, response.json
    return response.json["data"]["import"]


def read(client, headers, import_id: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/imports/{import_id}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json["data"]["import"]
