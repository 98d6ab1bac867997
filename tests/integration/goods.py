"""Helpers for inventory and accounting tests: locations, sent POs, receipts, invoices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from tests.integration.pos import (
    approved_requisition,
    create_po,
    get_po,
    line,
    list_pos,
    po_act,
    suppliers,
)

LOCATIONS = "/api/v1/storage-locations"
INVENTORY = "/api/v1/inventory"
RECEIPTS = "/api/v1/inventory/receipts"
INVOICES = "/api/v1/invoices"
PAYMENTS = "/api/v1/payments"


def location(client, auth, code: str = "A-01-01", name: str | None = None, **extra) -> int:
    body = {"code": code, "name": name or f"Bin {code}", **extra}
    response = client.post(LOCATIONS, json=body, headers=auth("storekeeper"))
    assert response.status_code == 201, response.json
    return response.json["data"]["location"]["id"]


def send(client, auth, po: dict) -> dict:
    """Submit (→ Approved, or Pending Approval and ``procmgr`` approves) and send."""
    submitted = po_act(client, auth("buyer"), po["id"], "submit")
    assert submitted.status_code == 200, submitted.json
    if submitted.json["data"]["purchase_order"]["status"] == "Pending Approval":
        assert po_act(client, auth("procmgr"), po["id"], "approve").status_code == 200
    sent = po_act(client, auth("buyer"), po["id"], "send")
    assert sent.status_code == 200, sent.json
    return sent.json["data"]["purchase_order"]


def requisitioned_po(app, client, auth, *lines: tuple, code: str = "ACME", sent=True) -> dict:
    """A PO from an approved requisition of ``lead``: lines (description, qty, price[, item_id])."""
    (supplier,) = suppliers(app, code)
    items = []
    for spec in lines:
        item = line(spec[0], spec[1], spec[2], supplier)
        if len(spec) > 3:
            item["item_id"] = spec[3]
        items.append(item)
    approved_requisition(client, auth, *items)
    po = next(p for p in list_pos(client, auth) if p["supplier_id"] == supplier)
    po = get_po(client, auth, po["id"])
    return send(client, auth, po) if sent else po


def free_po(app, client, auth, *lines: tuple, code: str = "BOLT", tax_rate="0.05") -> dict:
    """A sent PO of free lines (nobody requisitioned them): (description, qty, price[, item])."""
    (supplier,) = suppliers(app, code)
    body = []
    for spec in lines:
        entry = {"description": spec[0], "quantity": spec[1], "unit_price": spec[2]}
        if len(spec) > 3:
            entry["item_id"] = spec[3]
        body.append(entry)
    po = create_po(client, auth, supplier, body, tax_rate=tax_rate)
    return send(client, auth, po)


def receive(client, auth, po: dict, *lines: tuple, username="storekeeper", **extra):
    """POST /inventory/receive with lines (line index, qty, location_id[, condition])."""
    body = {
        "po_id": po["id"],
        "lines": [
            {
                "po_line_id": po["lines"][spec[0]]["id"],
                "quantity": spec[1],
                "location_id": spec[2],
                "condition": spec[3] if len(spec) > 3 else "Good",
            }
            for spec in lines
        ],
        **extra,
    }
    return client.post(f"{INVENTORY}/receive", json=body, headers=auth(username))


def received(client, auth, po: dict, *lines: tuple, **extra) -> dict:
    response = receive(client, auth, po, *lines, **extra)
    assert response.status_code == 201, response.json
    return response.json["data"]["receipt"]


def receipt_act(client, headers, receipt_id: int, action: str, **body: Any):
    return client.post(f"{RECEIPTS}/{receipt_id}/{action}", json=body, headers=headers)


def make_item(client, auth, sku: str, name: str, **extra) -> dict:
    body = {"sku": sku, "name": name, **extra}
    response = client.post("/api/v1/items", json=body, headers=auth("buyer"))
    assert response.status_code == 201, response.json
    return response.json["data"]["item"]


def stock(client, auth, username="storekeeper", **params) -> list[dict]:
    response = client.get(
        INVENTORY, query_string={"per_page": 100, **params}, headers=auth(username)
    )
    assert response.status_code == 200, response.json
    return response.json["data"]["inventory"]


def record_invoice(client, auth, po: dict, *lines: tuple, username="accountant", **extra):
    """POST /invoices with lines (line index, qty, unit price)."""
    body = {
        "po_id": po["id"],
        "invoice_number": extra.pop("invoice_number", "SUP-1001"),
        "invoice_date": extra.pop("invoice_date", "2026-03-01"),
        "lines": [
            {"po_line_id": po["lines"][i]["id"], "quantity": qty, "unit_price": price}
            for i, qty, price in lines
        ],
        **extra,
    }
    return client.post(INVOICES, json=body, headers=auth(username))


def invoice_act(client, headers, invoice_id: int, action: str, **body: Any):
    return client.post(f"{INVOICES}/{invoice_id}/{action}", json=body, headers=headers)


def pay(client, headers, invoice_id: int, amount: str, **extra):
    body = {
        "invoice_id": invoice_id,
        "amount": amount,
        "paid_on": extra.pop("paid_on", "2026-03-15"),
        "method": extra.pop("method", "Bank Transfer"),
        "reference": extra.pop("reference", "TRX-1"),
        **extra,
    }
    return client.post(PAYMENTS, json=body, headers=headers)


def ledger_matches_balances(app) -> list[tuple]:
    """Every balance equals the sum of its ledger rows; returns the (key, location, status,
    quantity) balances. Fails when a balance is negative or differs from its ledger."""
    from reqflow.extensions import db
    from reqflow.inventory.ledger import StockBalance, StockLedgerEntry

    with app.app_context():
        sums = dict(
            (
                (key, loc, status),
                Decimal(total),
            )
            for key, loc, status, total in db.session.execute(
                select(
                    StockLedgerEntry.stock_key,
                    StockLedgerEntry.location_id,
                    StockLedgerEntry.status,
                    func.sum(StockLedgerEntry.quantity),
                ).group_by(
                    StockLedgerEntry.stock_key,
                    StockLedgerEntry.location_id,
                    StockLedgerEntry.status,
                )
            ).all()
        )
        balances = db.session.execute(
            select(
                StockBalance.stock_key,
                StockBalance.location_id,
                StockBalance.status,
                StockBalance.quantity,
            )
        ).all()
        db.session.remove()
    for key, loc, status, qty in balances:
        assert qty >= 0, (key, loc, status, qty)
        assert sums.get((key, loc, status), Decimal("0")) == qty, (key, loc, status, qty)
    assert set(sums) <= {(k, loc, s) for k, loc, s, _ in balances}
    return [tuple(b) for b in balances]
