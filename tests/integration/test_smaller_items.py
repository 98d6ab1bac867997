"""Issue #16's smaller items through the HTTP API on PostgreSQL: delivery-note number and
receipt date on goods receipts, the tax the supplier charged matched against the PO's
(TAX_MISMATCH), copying a requisition into a new draft, and refusing an approval rule that
comes after the catch-all rule."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from reqflow.audit.models import AuditLog
from reqflow.extensions import db
from tests.integration.goods import (
    RECEIPTS,
    free_po,
    invoice_act,
    location,
    receive,
    received,
    record_invoice,
)
from tests.integration.pos import add_user
from tests.integration.reqs import BASE, act, make_project, payload, submitted

POLICIES = "/api/v1/approval-policies"


def test_a_receipt_keeps_its_delivery_note_number_and_receipt_date(app, client, auth):
    loc = location(client, auth)
    po = free_po(app, client, auth, ("Hydraulic hose 2 m", "10", "12.00"))
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    grn = received(
        client, auth, po, (0, "4", loc), delivery_note_number="  DN-77812 ", receipt_date=yesterday
    )
    assert (grn["delivery_note_number"], grn["receipt_date"]) == ("DN-77812", yesterday)
    detail = client.get(f"{RECEIPTS}/{grn['id']}", headers=auth("storekeeper")).json["data"]
    assert detail["receipt"]["delivery_note_number"] == "DN-77812"
    listed = client.get(RECEIPTS, headers=auth("storekeeper")).json["data"]["receipts"]
    assert [(r["grn_number"], r["receipt_date"]) for r in listed] == [
        (grn["grn_number"], yesterday)
    ]
    # Without them: no note, and the receipt date is the day it was recorded (UTC).
    plain = received(client, auth, po, (0, "1", loc))
    assert plain["delivery_note_number"] is None
    assert plain["receipt_date"] == plain["received_at"][:10]
    with app.app_context():
        audit = db.session.scalar(
            select(AuditLog.new_values).where(
                AuditLog.resource_type == "goods_receipt", AuditLog.resource_id == grn["id"]
            )
        )
    assert (audit["delivery_note_number"], audit["receipt_date"]) == ("DN-77812", yesterday)


def test_a_future_receipt_date_or_an_overlong_note_is_refused(app, client, auth):
    loc = location(client, auth)
    po = free_po(app, client, auth, ("Hydraulic hose 2 m", "10", "12.00"))
    later = (date.today() + timedelta(days=3)).isoformat()
    response = receive(
        client, auth, po, (0, "1", loc), receipt_date=later, delivery_note_number="N" * 61
    )
    assert response.status_code == 422
    details = response.json["error"]["details"]
    assert set(details) == {"receipt_date", "delivery_note_number"}


def _invoice(client, auth, po, qty, price, **extra) -> dict:
    response = record_invoice(client, auth, po, (0, qty, price), **extra)
    assert response.status_code == 201, response.json
    return response.json["data"]["invoice"]


def _detail(client, auth, invoice_id: int) -> dict:
    response = client.get(f"/api/v1/invoices/{invoice_id}", headers=auth("accountant"))
    return response.json["data"]["invoice"]


def test_the_tax_the_supplier_charged_is_matched_to_the_cent(app, client, auth):
    add_user(app, "accountant2", "Accountant")
    loc = location(client, auth)
    # 3 × 33.35 = 100.05 at 7.25 %: 7.253625 → 7.25 half-up.
    po = free_po(app, client, auth, ("Gasket kit", "9", "33.35"), tax_rate="0.0725")
    received(client, auth, po, (0, "9", loc))
    same = _invoice(client, auth, po, "3", "33.35", invoice_number="T-1", tax_amount="7.25")
    assert (same["status"], same["expected_tax_amount"]) == ("Matched", "7.25")
    assert _detail(client, auth, same["id"])["match_reasons"] == []
    off = _invoice(client, auth, po, "3", "33.35", invoice_number="T-2", tax_amount="7.26")
    assert (off["status"], off["total_amount"]) == ("Exception", "107.31")
    detail = _detail(client, auth, off["id"])
    assert [(r["code"], r["expected"], r["actual"]) for r in detail["match_reasons"]] == [
        ("TAX_MISMATCH", "7.25", "7.26")
    ]
    assert all(line["match_reasons"] == [] for line in detail["lines"])
    # Left out, the tax is the PO's: it matches.
    computed = _invoice(client, auth, po, "3", "33.35", invoice_number="T-3")
    assert (computed["tax_amount"], computed["status"]) == ("7.25", "Matched")
    # An Exception over tax is approved only with an override reason.
    assert invoice_act(client, auth("accountant2"), off["id"], "approve").status_code in (409, 422)
    approved = invoice_act(
        client, auth("accountant2"), off["id"], "approve", override_reason="Rounded per line"
    )
    assert approved.status_code == 200, approved.json
    with app.app_context():
        mismatches = db.session.scalar(
            select(AuditLog.new_values).where(
                AuditLog.resource_type == "invoice",
                AuditLog.resource_id == off["id"],
                AuditLog.action == "invoice.exception",
            )
        )
    assert mismatches["mismatches"] == [{"line_no": None, "codes": ["TAX_MISMATCH"]}]
    notes = client.get("/api/v1/notifications", headers=auth("accountant2")).json["data"]
    bodies = [n["body"] for n in notes["notifications"] if n["type"] == "invoice_exception"]
    assert bodies == ["The tax does not match: TAX_MISMATCH."]


def test_a_third_decimal_of_tax_is_refused(app, client, auth):
    loc = location(client, auth)
    po = free_po(app, client, auth, ("Gasket kit", "1", "10.00"))
    received(client, auth, po, (0, "1", loc))
    response = record_invoice(client, auth, po, (0, "1", "10.00"), tax_amount="0.505")
    assert response.status_code == 422
    assert "tax_amount" in response.json["error"]["details"]


def test_a_rejected_requisition_is_copied_into_a_new_draft(app, client, auth):
    project = make_project(app)
    body = payload(("2", "10.50"), ("1", "99.99"), purpose="Project-Specific", project_id=project)
    body["needed_by"] = "2020-01-31"  # past: not carried over
    req = submitted(client, auth, body=body)
    rejected = act(client, auth("lead"), req["id"], "reject", reason="Use stock from store B")
    assert rejected.status_code == 200
    response = client.post(f"{BASE}/{req['id']}/copy", headers=auth("engineer"))
    assert response.status_code == 201, response.json
    copy = response.json["data"]["requisition"]
    assert copy["id"] != req["id"] and copy["req_number"] != req["req_number"]
    assert (copy["status"], copy["purpose"], copy["project_id"]) == (
        "Draft",
        "Project-Specific",
        project,
    )
    assert copy["needed_by"] is None and copy["total_amount"] == req["total_amount"]
    assert [
        (i["description"], i["quantity"], i["estimated_unit_price"]) for i in copy["items"]
    ] == [(i["description"], i["quantity"], i["estimated_unit_price"]) for i in req["items"]]
    assert copy["requester"]["username"] == "engineer"
    assert "submit" in copy["allowed_actions"]
    with app.app_context():
        rows = db.session.execute(
            select(AuditLog.action, AuditLog.new_values).where(
                AuditLog.resource_type == "requisition", AuditLog.resource_id == copy["id"]
            )
        ).all()
    assert [(action, values["copied_from"]) for action, values in rows] == [
        ("requisition.copy", req["req_number"])
    ]
    # Whoever may see a requisition copies it into a draft of their own; others get 404.
    mine = client.post(f"{BASE}/{req['id']}/copy", headers=auth("lead"))
    assert (
        mine.status_code == 201
        and mine.json["data"]["requisition"]["requester"]["username"] == "lead"
    )
    assert client.post(f"{BASE}/{req['id']}/copy", headers=auth("engineer2")).status_code == 404
    assert client.post(f"{BASE}/999999/copy", headers=auth("engineer")).status_code == 404


def _rule(name: str, priority: int, **extra) -> dict:
    steps = [{"kind": "role", "role": "Procurement", "label": "Review"}]
    return {"name": name, "priority": priority, "steps": steps, **extra}


def test_a_rule_after_the_catch_all_rule_is_refused(client, auth):
    before = client.get(POLICIES, headers=auth("procmgr")).json["data"]["policies"]
    rules = [_rule("Default", 1000), _rule("Projects", 1001, purpose="Project-Specific")]
    response = client.put(POLICIES, json={"policies": rules}, headers=auth("procmgr"))
    assert response.status_code == 422, response.json
    message = response.json["error"]["details"]["policies"]["1"]["priority"][0]
    assert "Never matches" in message and "'Default'" in message
    # Same priority, listed later: also after it.
    tie = [_rule("Everything", 50), _rule("Big ones", 50, min_amount="5000")]
    tied = client.put(POLICIES, json={"policies": tie}, headers=auth("procmgr"))
    assert set(tied.json["error"]["details"]["policies"]) == {"1"}
    after = client.get(POLICIES, headers=auth("procmgr")).json["data"]["policies"]
    assert after == before
    # Before the catch-all, the same rule is taken.
    fixed = [_rule("Projects", 10, purpose="Project-Specific"), _rule("Default", 1000)]
    ok = client.put(POLICIES, json={"policies": fixed}, headers=auth("procmgr"))
    assert ok.status_code == 200, ok.json
    assert [p["name"] for p in ok.json["data"]["policies"]] == ["Projects", "Default"]
