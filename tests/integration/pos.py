"""Helpers for purchasing tests: suppliers, approved requisitions, POs in every state."""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD
from tests.integration.reqs import BASE as REQS
from tests.integration.reqs import act, make_supplier

POS = "/api/v1/purchase-orders"
QUEUE = "/api/v1/sourcing/queue"
RFQS = "/api/v1/rfqs"


def suppliers(app, *codes: str) -> list[int]:
    return [make_supplier(app, code) for code in codes]


def line(description: str, qty: str, price: str, supplier: int | None = None) -> dict:
    return {
        "description": description,
        "quantity": qty,
        "uom": "EA",
        "estimated_unit_price": price,
        "suggested_supplier_id": supplier,
    }


def approved_requisition(client, auth, *lines: dict, **extra: Any) -> dict:
    """``lead`` (no line manager) asks, ``buyer`` approves: the requisition is Approved."""
    body = {
        "purpose": "Daily Operations",
        "justification": "Line 3 overhaul",
        "needed_by": "2030-06-30",
        "items": list(lines),
        **extra,
    }
    created = client.post(REQS, json=body, headers=auth("lead"))
    assert created.status_code == 201, created.json
    req = created.json["data"]["requisition"]
    assert act(client, auth("lead"), req["id"], "submit").status_code == 200
    approved = act(client, auth("buyer"), req["id"], "approve")
    assert approved.status_code == 200, approved.json
    assert approved.json["data"]["requisition"]["status"] == "Approved"
    return approved.json["data"]["requisition"]


def queue(client, auth, username: str = "buyer", **params: Any) -> list[dict]:
    response = client.get(QUEUE, query_string=params, headers=auth(username))
    assert response.status_code == 200, response.json
    return response.json["data"]["queue"]


def list_pos(client, auth, username: str = "buyer", **params: Any) -> list[dict]:
    response = client.get(POS, query_string={"per_page": 100, **params}, headers=auth(username))
    assert response.status_code == 200, response.json
    return response.json["data"]["purchase_orders"]


def create_po(client, auth, supplier_id: int, lines: list[dict], username="buyer", **extra):
    response = client.post(
        POS, json={"supplier_id": supplier_id, "lines": lines, **extra}, headers=auth(username)
    )
    assert response.status_code == 201, response.json
    return response.json["data"]["purchase_order"]


def free(description: str = "Gearbox oil 5 L", qty: str = "1", price: str = "10.00") -> dict:
    return {"description": description, "quantity": qty, "unit_price": price}


def po_act(client, headers, po_id: int, action: str, **body: Any):
    return client.post(f"{POS}/{po_id}/{action}", json=body, headers=headers)


def set_status(client, headers, po_id: int, status: str, **body: Any):
    return client.put(f"{POS}/{po_id}/status", json={"status": status, **body}, headers=headers)


def get_po(client, auth, po_id: int, username: str = "buyer") -> dict:
    response = client.get(f"{POS}/{po_id}", headers=auth(username))
    assert response.status_code == 200, response.json
    return response.json["data"]["purchase_order"]


def add_user(app, username: str, role: str) -> None:
    from reqflow.identity import service

    with app.app_context():
        service.create_user(
            actor=None,
            data={
                "username": username,
                "email": f"{username}@example.com",
                "full_name": username.title(),
                "password": PASSWORD,
                "role": role,
            },
        )


def receive(app, po_id: int, fraction: str) -> str:
    """Goods receipt stand-in: set every line's received quantity, then ``apply_receipt``."""
    from decimal import Decimal

    from reqflow.extensions import db
    from reqflow.purchasing.models import PurchaseOrder
    from reqflow.purchasing.transitions import apply_receipt

    with app.app_context():
        po = db.session.get(PurchaseOrder, po_id)
        for po_line in po.lines:
            po_line.quantity_received = po_line.quantity * Decimal(fraction)
        apply_receipt(po_id, None)
        db.session.commit()
        return db.session.get(PurchaseOrder, po_id).status


def po_in(app, client, auth, supplier_id: int, status: str, price: str = "100.00") -> dict:
    """A PO created by ``buyer`` and walked (by ``procmgr``) to ``status``."""
    if status not in ("Draft", "Cancelled"):
        price = "10000.00"  # through Pending Approval
    po = create_po(client, auth, supplier_id, [free(price=price)], tax_rate="0")
    steps = {
        "Draft": [],
        "Pending Approval": ["submit"],
        "Approved": ["submit", "approve"],
        "Sent": ["submit", "approve", "send"],
        "Partially Received": ["submit", "approve", "send"],
        "Received": ["submit", "approve", "send"],
        "Closed": ["submit", "approve", "send"],
        "Cancelled": [],
    }[status]
    for action in steps:
        response = po_act(client, auth("procmgr"), po["id"], action)
        assert response.status_code == 200, response.json
    if status == "Partially Received":
        assert receive(app, po["id"], "0.5") == status
    if status in ("Received", "Closed"):
        assert receive(app, po["id"], "1") == "Received"
    if status == "Closed":
        assert po_act(client, auth("procmgr"), po["id"], "close").status_code == 200
    if status == "Cancelled":
        assert po_act(client, auth("buyer"), po["id"], "cancel", reason="Dup").status_code == 200
    current = get_po(client, auth, po["id"])
    assert current["status"] == status, current
    return current
