"""The whole flow through the HTTP API, one person per role: requisition → approvals →
purchase orders → approval → sending → two partial receipts → acceptance → invoice →
approval by a second accountant → two payments; with the audit trail of every document."""

from __future__ import annotations

from sqlalchemy import select

from reqflow.audit.models import AuditLog
from reqflow.extensions import db
from tests.integration.goods import (
    INVENTORY,
    INVOICES,
    invoice_act,
    location,
    pay,
    receipt_act,
    received,
    record_invoice,
)
from tests.integration.pos import POS, add_user, get_po, list_pos, po_act, suppliers
from tests.integration.reqs import BASE as REQS
from tests.integration.reqs import act


def _audit(app) -> dict[tuple[str, int], list[str]]:
    with app.app_context():
        rows = db.session.execute(
            select(
                AuditLog.resource_type, AuditLog.resource_id, AuditLog.action, AuditLog.actor_name
            )
            .where(AuditLog.resource_type != "user", AuditLog.resource_type != "department")
            .order_by(AuditLog.id)
        ).all()
        db.session.remove()
    trail: dict[tuple[str, int], list[str]] = {}
    for resource_type, resource_id, action, actor in rows:
        trail.setdefault((resource_type, resource_id), []).append(f"{action} by {actor}")
    return trail


def _status(response, key: str) -> str:
    assert response.status_code in (200, 201), response.json
    return response.json["data"][key]["status"]


def test_requisition_to_payment_with_one_person_per_role(app, client, auth):
    acme, bolt = suppliers(app, "ACME", "BOLT")
    add_user(app, "accountant2", "Accountant")

    # Engineer asks for goods from two suppliers; their line manager, then Procurement approve.
    body = {
        "purpose": "Daily Operations",
        "justification": "Retrofit of the packaging line conveyor drives",
        "needed_by": "2030-06-30",
        "items": [
            {"description": "Servo motor 400 W", "quantity": "4", "uom": "EA",
             "estimated_unit_price": "950.00", "suggested_supplier_id": acme},
            {"description": "Servo cable 5 m", "quantity": "4", "uom": "EA",
             "estimated_unit_price": "25.00", "suggested_supplier_id": acme},
            {"description": "M8 bolts (box of 100)", "quantity": "10", "uom": "BOX",
             "estimated_unit_price": "12.50", "suggested_supplier_id": bolt},
        ],
    }  # fmt: skip
    created = client.post(REQS, json=body, headers=auth("engineer"))
    assert created.status_code == 201, created.json
    req = created.json["data"]["requisition"]
    assert (req["status"], req["total_amount"]) == ("Draft", "4025.00")
    assert _status(act(client, auth("engineer"), req["id"], "submit"), "requisition") == "Submitted"
    assert _status(act(client, auth("lead"), req["id"], "approve"), "requisition") == "Under Review"
    assert _status(act(client, auth("buyer"), req["id"], "approve"), "requisition") == "Approved"

    # Approval made one Draft PO per supplier.
    pos = list_pos(client, auth)
    assert sorted((p["supplier"]["code"], p["status"], p["total_amount"]) for p in pos) == [
        ("ACME", "Draft", "4095.00"),
        ("BOLT", "Draft", "131.25"),
    ]
    big = get_po(client, auth, next(p["id"] for p in pos if p["supplier_id"] == acme))

    # The supplier confirms a higher servo price; the buyer updates the Draft and submits it.
    servo, cable = big["lines"]
    lines = [{"id": servo["id"], "unit_price": "2475.00"}, {"id": cable["id"]}]
    edited = client.put(
        f"{POS}/{big['id']}",
        json={"version": big["version"], "lines": lines},
        headers=auth("buyer"),
    )
    assert edited.status_code == 200, edited.json
    big = edited.json["data"]["purchase_order"]
    assert (big["subtotal"], big["tax_amount"], big["total_amount"]) == (
        "10000.00",
        "500.00",
        "10500.00",
    )
    assert _status(po_act(client, auth("buyer"), big["id"], "submit"), "purchase_order") == (
        "Pending Approval"
    )
    assert po_act(client, auth("buyer"), big["id"], "approve").status_code == 403
    assert _status(po_act(client, auth("procmgr"), big["id"], "approve"), "purchase_order") == (
        "Approved"
    )
    assert _status(po_act(client, auth("buyer"), big["id"], "send"), "purchase_order") == "Sent"

    # The Warehouse receives in two deliveries.
    shelf = location(client, auth, "A-01-03", "Drives shelf")
    first = received(client, auth, big, (0, "2", shelf), (1, "4", shelf), notes="Delivery 1")
    assert (first["status"], first["po_status"]) == ("Pending Acceptance", "Partially Received")
    assert get_po(client, auth, big["id"])["status"] == "Partially Received"
    second = received(client, auth, big, (0, "2", shelf), notes="Delivery 2")
    assert (second["status"], second["po_status"]) == ("Pending Acceptance", "Received")
    po_now = get_po(client, auth, big["id"])
    assert [x["quantity_received"] for x in po_now["lines"]] == ["4.000", "4.000"]

    # The requester is told and accepts both receipts: the stock becomes Available.
    notes = client.get("/api/v1/notifications", headers=auth("engineer")).json["data"]
    arrived = [n for n in notes["notifications"] if n["type"] == "goods_arrived"]
    assert len(arrived) == 2
    for receipt in (first, second):
        assert _status(
            receipt_act(client, auth("engineer"), receipt["id"], "accept"), "receipt"
        ) == ("Accepted")
    rows = client.get(INVENTORY, headers=auth("storekeeper")).json["data"]["inventory"]
    assert sorted((r["name"], r["status"], r["quantity"]) for r in rows) == [
        ("Servo cable 5 m", "Available", "4.000"),
        ("Servo motor 400 W", "Available", "4.000"),
    ]

    # Accounts payable: recorded and matched, approved by a second accountant, paid twice.
    invoice = record_invoice(
        client, auth, big, (0, "4", "2475.00"), (1, "4", "25.00"), invoice_number="AC-5521"
    )
    assert invoice.status_code == 201, invoice.json
    invoice = invoice.json["data"]["invoice"]
    assert invoice["status"] == "Matched"
    assert (invoice["subtotal"], invoice["tax_amount"], invoice["total_amount"]) == (
        "10000.00",
        "500.00",
        "10500.00",
    )
    assert invoice_act(client, auth("accountant"), invoice["id"], "approve").status_code == 403
    assert _status(
        invoice_act(client, auth("accountant2"), invoice["id"], "approve"), "invoice"
    ) == ("Approved")
    assert pay(client, auth("accountant2"), invoice["id"], "6000.00").status_code == 403
    first_payment = pay(client, auth("accountant"), invoice["id"], "6000.00", reference="TRX-1")
    assert first_payment.json["data"]["payment"]["invoice_status"] == "Partially Paid"
    second_payment = pay(client, auth("accountant"), invoice["id"], "4500.00", reference="TRX-2")
    assert second_payment.json["data"]["payment"]["invoice_status"] == "Paid"
    final = client.get(f"{INVOICES}/{invoice['id']}", headers=auth("accountant")).json["data"]
    assert (final["invoice"]["status"], final["invoice"]["amount_paid"]) == ("Paid", "10500.00")
    assert final["invoice"]["balance_due"] == "0.00"

    # Every step left its audit row, with its actor.
    trail = _audit(app)
    assert trail[("requisition", req["id"])] == [
        "requisition.create by engineer",
        "requisition.submit by engineer",
        "requisition.step_approve by lead",
        "requisition.approve by buyer",
        "requisition.source by buyer",
    ]
    assert trail[("purchase_order", big["id"])] == [
        "purchase_order.create by buyer",
        "purchase_order.update by buyer",
        "purchase_order.submit by buyer",
        "purchase_order.approve by procmgr",
        "purchase_order.send by buyer",
        "purchase_order.receive_partial by storekeeper",
        "purchase_order.receive by storekeeper",
    ]
    assert trail[("goods_receipt", first["id"])] == [
        "goods_receipt.receive by storekeeper",
        "goods_receipt.accept by engineer",
    ]
    assert trail[("goods_receipt", second["id"])] == trail[("goods_receipt", first["id"])]
    assert trail[("invoice", invoice["id"])] == [
        "invoice.record by accountant",
        "invoice.match by accountant",
        "invoice.approve by accountant2",
        "invoice.pay_partial by accountant",
        "invoice.pay by accountant",
    ]
    payments = [key for key in trail if key[0] == "payment"]
    assert [trail[key] for key in payments] == [["payment.record by accountant"]] * 2
