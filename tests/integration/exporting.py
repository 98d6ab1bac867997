"""Helpers for export tests: a small procure-to-pay world, list ids and exported files."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.integration.goods import (
    free_po,
    invoice_act,
    location,
    pay,
    receipt_act,
    received,
    record_invoice,
)
from tests.integration.pos import add_user
from tests.integration.reqs import payload, submitted

API = "/api/v1"
EVIL = '=HYPERLINK("http://evil.test","click")'


def world(app, client, auth) -> dict:
    """Requisitions of two engineers, a sent PO from a supplier named like a formula, its
    receipt (accepted), stock, an invoice and a payment."""
    from reqflow.catalog.models import Supplier
    from reqflow.extensions import db

    for username, price in (("engineer", "3.00"), ("engineer", "4.00"), ("engineer2", "5.00")):
        submitted(client, auth, username, payload(("2", price)))
    po = free_po(app, client, auth, ("Bolt M8", "10", "2.50"), code="EVIL")
    with app.app_context():
        supplier = db.session.get(Supplier, po["supplier_id"])
        supplier.name = EVIL
        db.session.commit()
    bin_id = location(client, auth)
    receipt = received(client, auth, po, (0, "10", bin_id))
    receipt_act(client, auth("storekeeper"), receipt["id"], "accept")
    invoice = record_invoice(client, auth, po, (0, "10", "2.50")).json["data"]["invoice"]
    if invoice["status"] != "Approved":
        add_user(app, "accountant2", "Accountant")
        approved = invoice_act(client, auth("accountant2"), invoice["id"], "approve")
        assert approved.status_code == 200, approved.json
    paid = pay(client, auth("accountant"), invoice["id"], "10.00")
    assert paid.status_code == 201, paid.json
    return {"po": po, "receipt": receipt, "invoice": invoice}


def listed(client, headers, path: str, key: str, field: str, params: dict) -> list:
    response = client.get(f"{API}{path}", query_string={"per_page": 100, **params}, headers=headers)
    assert response.status_code == 200, response.json
    return [row[field] for row in response.json["data"][key]]


def exported(client, headers, kind: str, params: dict, fmt: str):
    return client.get(
        f"{API}/exports/{kind}", query_string={**params, "format": fmt}, headers=headers
    )


def csv_rows(response) -> list[dict]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def xlsx_sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def xlsx_rows(data: bytes) -> list[dict]:
    rows = list(xlsx_sheet(data).iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
