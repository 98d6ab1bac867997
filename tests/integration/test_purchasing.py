"""Purchase orders through the HTTP API on PostgreSQL: sourcing, totals, the state machine,
segregation of duties, visibility, concurrency and the PDF."""

from __future__ import annotations

import base64
import re
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from reqflow.audit.models import AuditLog
from reqflow.events import OutboxEvent
from reqflow.extensions import db
from reqflow.purchasing.models import PurchaseOrder
from tests.integration.pos import (
    POS,
    QUEUE,
    add_user,
    approved_requisition,
    create_po,
    free,
    get_po,
    line,
    list_pos,
    po_act,
    po_in,
    queue,
    receive,
    set_status,
    suppliers,
)
from tests.integration.reqs import BASE as REQS


def _po_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(PurchaseOrder.id)))


def test_approval_makes_one_draft_po_per_supplier_and_queues_the_rest(app, client, auth):
    acme, bolt = suppliers(app, "ACME", "BOLT")
    req = approved_requisition(
        client,
        auth,
        line("Bearing 6204", "4", "12.50", acme),
        line("Bearing 6205", "2", "15.00", acme),
        line("M8 bolts (box)", "10", "3.10", bolt),
        line("Special gasket", "1", "40.00"),
    )
    pos = list_pos(client, auth)
    assert sorted((p["supplier"]["code"], p["status"]) for p in pos) == [
        ("ACME", "Draft"),
        ("BOLT", "Draft"),
    ]
    acme_po = get_po(client, auth, next(p["id"] for p in pos if p["supplier_id"] == acme))
    assert [(x["description"], x["unit_price"]) for x in acme_po["lines"]] == [
        ("Bearing 6204", "12.50"),
        ("Bearing 6205", "15.00"),
    ]
    assert acme_po["subtotal"] == "80.00" and acme_po["tax_amount"] == "4.00"
    assert acme_po["total_amount"] == "84.00"
    assert acme_po["requisitions"] == [{"id": req["id"], "req_number": req["req_number"]}]
    assert acme_po["created_by"] is None  # drafted by the system, not by the last approver
    waiting = queue(client, auth)
    assert [(q["description"], q["req_number"]) for q in waiting] == [
        ("Special gasket", req["req_number"])
    ]
    assert waiting[0]["requester"]["username"] == "lead"
    items = client.get(f"{REQS}/{req['id']}", headers=auth("lead")).json["data"]["requisition"]
    assert [i["sourcing_status"] for i in items["items"]] == [
        "On Draft PO",
        "On Draft PO",
        "On Draft PO",
        "Unsourced",
    ]
    notes = client.get("/api/v1/notifications", headers=auth("buyer")).json["data"]
    assert [n["type"] for n in notes["notifications"]].count("sourcing_needed") == 1


def test_redelivering_the_approval_event_creates_nothing_more(app, client, auth):
    from reqflow.purchasing.handlers import source_approved_requisition

    acme, bolt = suppliers(app, "ACME", "BOLT")
    approved_requisition(
        client,
        auth,
        line("A", "1", "1.00", acme),
        line("B", "1", "2.00", bolt),
        line("C", "1", "3"),
    )
    assert _po_count(app) == 2
    with app.app_context():
        row = db.session.scalar(
            select(OutboxEvent).where(OutboxEvent.name == "RequisitionApproved")
        )
        payload = {**row.payload, "event_id": row.event_id}
    for event_id in (payload["event_id"], "another-delivery"):
        with app.app_context():
            source_approved_requisition({**payload, "event_id": event_id})
    assert _po_count(app) == 2
    assert len(queue(client, auth)) == 1


def test_drafts_are_never_shared_between_requisitions(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    approved_requisition(client, auth, line("A", "1", "1.00", acme))
    approved_requisition(client, auth, line("B", "1", "2.00", acme))
    pos = list_pos(client, auth)
    assert len(pos) == 2 and {p["line_count"] for p in pos} == {1}


@pytest.mark.parametrize(
    "price,tax_rate,tax,total",
    [
        ("0.10", "0.05", "0.01", "0.11"),  # 0.005 → 0.01
        ("10.05", "0.05", "0.50", "10.55"),  # 0.5025 → 0.50
        ("10.10", "0.05", "0.51", "10.61"),  # 0.505 → 0.51
        ("100.00", "0.0775", "7.75", "107.75"),
    ],
)
def test_tax_is_subtotal_times_rate_rounded_half_up(app, client, auth, price, tax_rate, tax, total):
    (acme,) = suppliers(app, "ACME")
    po = create_po(client, auth, acme, [free(price=price)], tax_rate=tax_rate)
    assert (po["subtotal"], po["tax_amount"], po["total_amount"]) == (price, tax, total)
    assert po["status"] == "Draft" and re.fullmatch(r"PO-\d{4}-\d{5}", po["po_number"])


def test_default_tax_rate_is_five_percent_and_lines_total_half_up(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    po = create_po(client, auth, acme, [free(qty="3", price="0.35"), free(qty="0.5", price="0.05")])
    assert [x["line_total"] for x in po["lines"]] == ["1.05", "0.03"]  # 0.025 → 0.03
    assert po["tax_rate"] == "0.0500" and po["subtotal"] == "1.08" and po["tax_amount"] == "0.05"


@pytest.mark.parametrize(
    "price,status", [("9999.99", "Approved"), ("10000.00", "Pending Approval")]
)
def test_submit_approves_below_ten_thousand_and_asks_the_manager_above(
    app, client, auth, price, status
):
    (acme,) = suppliers(app, "ACME")
    po = create_po(client, auth, acme, [free(price=price)], tax_rate="0")
    submitted = po_act(client, auth("buyer"), po["id"], "submit")
    assert submitted.status_code == 200
    assert submitted.json["data"]["purchase_order"]["status"] == status
    managers = client.get("/api/v1/notifications", headers=auth("procmgr")).json["data"]
    kinds = [n["type"] for n in managers["notifications"]]
    assert kinds.count("approval_assigned") == (1 if status == "Pending Approval" else 0)


def test_threshold_counts_the_tax(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    po = create_po(client, auth, acme, [free(price="9523.81")])  # + 476.19 tax = 10000.00
    assert po["total_amount"] == "10000.00"
    done = po_act(client, auth("buyer"), po["id"], "submit").json["data"]["purchase_order"]
    assert done["status"] == "Pending Approval"


def test_nobody_approves_a_po_they_created(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    add_user(app, "procmgr2", "ProcurementMgr")
    po = create_po(client, auth, acme, [free(price="20000.00")], username="procmgr")
    assert po_act(client, auth("procmgr"), po["id"], "submit").status_code == 200
    assert "approve" not in get_po(client, auth, po["id"], "procmgr")["allowed_actions"]
    own = po_act(client, auth("procmgr"), po["id"], "approve")
    assert own.status_code == 403 and own.json["error"]["code"] == "FORBIDDEN"
    assert po_act(client, auth("buyer"), po["id"], "approve").status_code == 403  # no po:approve
    assert "approve" in get_po(client, auth, po["id"], "procmgr2")["allowed_actions"]
    other = po_act(client, auth("procmgr2"), po["id"], "approve", comment="OK")
    assert other.status_code == 200
    body = other.json["data"]["purchase_order"]
    assert body["status"] == "Approved" and body["approved_by"]["username"] == "procmgr2"
    again = po_act(client, auth("procmgr2"), po["id"], "approve")
    assert again.status_code == 409 and again.json["error"]["code"] == "INVALID_TRANSITION"


def test_system_made_draft_cannot_be_approved_by_whoever_submitted_it(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    add_user(app, "procmgr2", "ProcurementMgr")
    with app.app_context():
        from reqflow.purchasing import service

        po = service.new_order(supplier_id=acme, created_by_id=None, lines=[free(price="20000")])
        db.session.commit()
        po_id = po.id
    assert po_act(client, auth("procmgr"), po_id, "submit").status_code == 200
    assert po_act(client, auth("procmgr"), po_id, "approve").status_code == 403
    assert po_act(client, auth("procmgr2"), po_id, "approve").status_code == 200


def test_send_tells_the_warehouse(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    po = po_in(app, client, auth, acme, "Approved")
    sent = po_act(client, auth("buyer"), po["id"], "send")
    assert sent.status_code == 200
    body = sent.json["data"]["purchase_order"]
    assert body["status"] == "Sent" and body["sent_at"].endswith("Z")
    notes = client.get("/api/v1/notifications", headers=auth("storekeeper")).json["data"]
    assert [n["type"] for n in notes["notifications"]] == ["po_sent"]
    assert po["po_number"] in notes["notifications"][0]["title"]


def test_cancel_needs_a_reason_and_returns_lines_to_the_queue(app, client, auth):
    acme, bolt = suppliers(app, "ACME", "BOLT")
    approved_requisition(client, auth, line("A", "1", "1.00", acme), line("B", "1", "2.00", bolt))
    assert queue(client, auth) == []
    po = next(p for p in list_pos(client, auth) if p["supplier_id"] == acme)
    assert po_act(client, auth("buyer"), po["id"], "cancel").status_code == 422
    cancelled = po_act(client, auth("buyer"), po["id"], "cancel", reason="Wrong supplier")
    body = cancelled.json["data"]["purchase_order"]
    assert body["status"] == "Cancelled" and body["cancel_reason"] == "Wrong supplier"
    back = queue(client, auth)
    assert [(q["description"], q["sourcing_status"]) for q in back] == [("A", "Unsourced")]
    again = create_po(client, auth, bolt, [{"requisition_item_id": back[0]["requisition_item_id"]}])
    assert again["lines"][0]["description"] == "A" and queue(client, auth) == []


# Target status → the statuses it can be reached from through PUT /status.
LEGAL = {
    "Pending Approval": {"Draft"},
    "Approved": {"Draft", "Pending Approval"},
    "Sent": {"Approved"},
    "Cancelled": {"Draft", "Pending Approval", "Approved"},
    "Closed": {"Received"},
}
STATES = [
    "Draft",
    "Pending Approval",
    "Approved",
    "Sent",
    "Partially Received",
    "Received",
    "Closed",
    "Cancelled",
]


@pytest.mark.parametrize("start", STATES)
def test_status_endpoint_allows_exactly_the_legal_transitions(app, client, auth, start):
    (acme,) = suppliers(app, "ACME")
    for target in STATES:
        po = po_in(app, client, auth, acme, start)
        response = set_status(client, auth("procmgr"), po["id"], target, reason="No longer needed")
        if start in LEGAL.get(target, set()):
            assert response.status_code == 200, (start, target, response.json)
            status = response.json["data"]["purchase_order"]["status"]
            # From Draft, submitting a small order approves it whatever was asked.
            assert status == target or (start, status) == ("Draft", "Approved"), (start, target)
        else:
            assert response.status_code == 409, (start, target, response.json)
            assert response.json["error"]["code"] == "INVALID_TRANSITION"


def test_status_endpoint_validates_its_body(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    po = create_po(client, auth, acme, [free()])
    assert set_status(client, auth("buyer"), po["id"], "Shipped").status_code == 422
    assert set_status(client, auth("buyer"), po["id"], "Cancelled").status_code == 422
    assert set_status(client, auth("storekeeper"), po["id"], "Approved").status_code in (403, 404)
    assert set_status(client, auth("engineer"), po["id"], "Approved").status_code == 403


def test_goods_receipt_moves_sent_to_partially_received_then_received_then_close(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    po = po_in(app, client, auth, acme, "Sent")
    assert receive(app, po["id"], "0") == "Sent"
    assert receive(app, po["id"], "0.25") == "Partially Received"
    assert receive(app, po["id"], "1") == "Received"
    closed = set_status(client, auth("buyer"), po["id"], "Closed")
    assert closed.json["data"]["purchase_order"]["status"] == "Closed"
    with app.app_context():
        actions = list(
            db.session.scalars(
                select(AuditLog.action)
                .where(AuditLog.resource_type == "purchase_order", AuditLog.resource_id == po["id"])
                .order_by(AuditLog.id)
            )
        )
    assert actions == [
        "purchase_order.create",
        "purchase_order.submit",
        "purchase_order.approve",
        "purchase_order.send",
        "purchase_order.receive_partial",
        "purchase_order.receive",
        "purchase_order.close",
    ]


def test_edit_a_draft_with_version_and_stale_version_is_409(app, client, auth):
    acme, bolt = suppliers(app, "ACME", "BOLT")
    approved_requisition(
        client, auth, line("A", "2", "5.00", acme), line("B", "1", "7.00"), line("C", "1", "9.00")
    )
    po = list_pos(client, auth)[0]
    po = get_po(client, auth, po["id"])
    queued = {q["description"]: q["requisition_item_id"] for q in queue(client, auth)}
    body = {
        "version": po["version"],
        "tax_rate": "0.1",
        "delivery_address": "Dock 2, Plant North",
        "expected_delivery_date": "2030-05-01",
        "lines": [
            {"id": po["lines"][0]["id"], "unit_price": "4.50"},
            {"requisition_item_id": queued["B"], "quantity": "3"},
            free("Freight", "1", "12.00"),
        ],
    }
    edited = client.put(f"{POS}/{po['id']}", json=body, headers=auth("buyer"))
    assert edited.status_code == 200, edited.json
    po2 = edited.json["data"]["purchase_order"]
    assert [(x["description"], x["quantity"], x["line_total"]) for x in po2["lines"]] == [
        ("A", "2.000", "9.00"),
        ("B", "3.000", "21.00"),
        ("Freight", "1.000", "12.00"),
    ]
    assert (po2["subtotal"], po2["tax_amount"], po2["total_amount"]) == ("42.00", "4.20", "46.20")
    assert po2["delivery_address"] == "Dock 2, Plant North" and po2["version"] > po["version"]
    assert [q["description"] for q in queue(client, auth)] == ["C"]
    stale = client.put(f"{POS}/{po['id']}", json=body, headers=auth("buyer"))
    assert stale.status_code == 409 and stale.json["error"]["code"] == "STALE_VERSION"
    # Dropping the queue line gives it back to the queue.
    keep = {"version": po2["version"], "lines": [{"id": po2["lines"][0]["id"]}]}
    assert client.put(f"{POS}/{po['id']}", json=keep, headers=auth("buyer")).status_code == 200
    assert sorted(q["description"] for q in queue(client, auth)) == ["B", "C"]
    submitted = po_act(client, auth("buyer"), po["id"], "submit").json["data"]["purchase_order"]
    late = client.put(
        f"{POS}/{po['id']}", json={"version": submitted["version"]}, headers=auth("buyer")
    )
    assert late.status_code == 409


def test_edits_naming_a_line_twice_are_422(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    approved_requisition(client, auth, line("A", "1", "1.00", acme), line("B", "1", "2.00"))
    po = get_po(client, auth, list_pos(client, auth)[0]["id"])
    mine, queued = po["lines"][0], queue(client, auth)[0]["requisition_item_id"]
    for lines in (
        [{"id": mine["id"]}, {"id": mine["id"], "quantity": "2"}],
        [{"id": mine["id"]}, {"requisition_item_id": mine["requisition_item_id"]}],
        [{"requisition_item_id": queued}, {"requisition_item_id": queued}],
        [{"id": 999999}],
    ):
        body = {"version": po["version"], "lines": lines}
        response = client.put(f"{POS}/{po['id']}", json=body, headers=auth("buyer"))
        assert response.status_code == 422, (lines, response.json)
    assert len(queue(client, auth)) == 1


def test_a_queue_line_goes_on_one_po_only(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    approved_requisition(client, auth, line("A", "1", "1.00"))
    item_id = queue(client, auth)[0]["requisition_item_id"]
    create_po(client, auth, acme, [{"requisition_item_id": item_id, "unit_price": "0.90"}])
    again = client.post(
        POS,
        json={"supplier_id": acme, "lines": [{"requisition_item_id": item_id}]},
        headers=auth("buyer"),
    )
    assert again.status_code == 409 and again.json["error"]["details"] == {
        "requisition_item_ids": [item_id]
    }
    unknown = client.post(
        POS,
        json={"supplier_id": acme, "lines": [{"requisition_item_id": 999999}]},
        headers=auth("buyer"),
    )
    assert unknown.status_code == 422


def test_two_concurrent_orders_for_the_same_queue_line_one_wins(app, client, auth):
    acme, bolt = suppliers(app, "ACME", "BOLT")
    approved_requisition(client, auth, line("A", "1", "1.00"))
    item_id = queue(client, auth)[0]["requisition_item_id"]
    headers = auth("buyer")
    barrier = threading.Barrier(2)

    def order(supplier_id):
        local = app.test_client()
        barrier.wait()
        body = {"supplier_id": supplier_id, "lines": [{"requisition_item_id": item_id}]}
        return local.post(POS, json=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(order, [acme, bolt]))
    assert statuses == [201, 409]
    assert _po_count(app) == 1


def test_bad_po_bodies_are_422(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    cases = [
        {"supplier_id": acme, "lines": []},
        {"supplier_id": acme, "lines": [{"description": "No price", "quantity": "1"}]},
        {"supplier_id": acme, "lines": [free(qty="0")]},
        {"supplier_id": acme, "lines": [free(price="-1")]},
        {"supplier_id": acme, "lines": [free()], "tax_rate": "1.5"},
        {"supplier_id": 999999, "lines": [free()]},
        {"supplier_id": acme, "lines": [free()], "surprise": True},
    ]
    for body in cases:
        response = client.post(POS, json=body, headers=auth("buyer"))
        assert response.status_code == 422, (body, response.json)


def test_pdf_is_a_real_pdf_with_the_po_number(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    po = create_po(
        client, auth, acme, [free("Hydraulic hose 1/2in", "2", "33.30")], delivery_address="Dock 1"
    )
    response = client.get(f"{POS}/{po['id']}/pdf", headers=auth("buyer"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == f"inline; filename={po['po_number']}.pdf"
    data = response.data
    assert data.startswith(b"%PDF")
    text = b"".join(_inflate(s) for s in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S))
    for expected in (po["po_number"], "ReqFlow", "ACME Industrial", "Hydraulic hose", "69.93"):
        assert expected.encode() in text, expected
    assert po["po_number"].encode() in data  # also in the document info (title)


def _inflate(stream: bytes) -> bytes:
    """A page stream as reportlab writes it: ASCII85 over Flate."""
    raw = stream.strip()
    if raw.endswith(b"~>"):
        raw = base64.a85decode(raw[:-2])
    try:
        return zlib.decompress(raw)
    except zlib.error:
        return b""


def test_warehouse_sees_only_approved_and_later_pos(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    made = {s: po_in(app, client, auth, acme, s) for s in ("Draft", "Pending Approval")}
    made.update({s: po_in(app, client, auth, acme, s) for s in ("Approved", "Sent")})
    seen = {p["status"] for p in list_pos(client, auth, "storekeeper")}
    assert seen == {"Approved", "Sent"}
    assert len(list_pos(client, auth, "accountant")) == 4
    hidden = client.get(f"{POS}/{made['Draft']['id']}", headers=auth("storekeeper"))
    assert hidden.status_code == 404
    pdf = client.get(f"{POS}/{made['Pending Approval']['id']}/pdf", headers=auth("storekeeper"))
    assert pdf.status_code == 404
    assert client.get(f"{POS}/{made['Sent']['id']}", headers=auth("storekeeper")).status_code == 200


def test_people_without_purchasing_rights_get_403(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    po = create_po(client, auth, acme, [free()])
    for username in ("engineer", "admin"):
        headers = auth(username)
        assert client.get(POS, headers=headers).status_code == 403
        assert client.get(f"{POS}/{po['id']}", headers=headers).status_code == 403
        assert client.get(f"{POS}/{po['id']}/pdf", headers=headers).status_code == 403
        assert client.get(QUEUE, headers=headers).status_code == 403
    for username in ("engineer", "storekeeper", "accountant"):
        body = {"supplier_id": acme, "lines": [free()]}
        assert client.post(POS, json=body, headers=auth(username)).status_code == 403
        assert po_act(client, auth(username), po["id"], "submit").status_code in (403, 404)
    assert client.get(QUEUE, headers=auth("storekeeper")).status_code == 403


def test_list_filters_search_sort_and_pages(app, client, auth):
    acme, bolt = suppliers(app, "ACME", "BOLT")
    first = create_po(client, auth, acme, [free(price="5.00")])
    create_po(client, auth, bolt, [free(price="50.00")])
    create_po(client, auth, bolt, [free(price="500.00")])
    po_act(client, auth("buyer"), first["id"], "submit")
    assert [p["id"] for p in list_pos(client, auth, status="Approved")] == [first["id"]]
    assert len(list_pos(client, auth, supplier_id=bolt)) == 2
    assert len(list_pos(client, auth, q="bolt indus")) == 2
    assert [p["po_number"] for p in list_pos(client, auth, q=first["po_number"])] == [
        first["po_number"]
    ]
    totals = [p["total_amount"] for p in list_pos(client, auth, sort="-total_amount")]
    assert totals == ["525.00", "52.50", "5.25"]
    page = client.get(POS, query_string={"per_page": 2, "page": 2}, headers=auth("buyer"))
    assert page.headers["X-Total-Count"] == "3" and page.headers["X-Page-Count"] == "2"
    assert len(page.json["data"]["purchase_orders"]) == 1
    assert (
        client.get(POS, query_string={"status": "Nope"}, headers=auth("buyer")).status_code == 422
    )
    assert (
        client.get(POS, query_string={"sort": "secret"}, headers=auth("buyer")).status_code == 422
    )
    later = list_pos(client, auth, **{"from": "2100-01-01T00:00:00Z"})
    assert later == []


def test_queue_filters_by_project_and_text(app, client, auth):
    from tests.integration.reqs import make_project

    project = make_project(app, "PRJ-9", "100000.00")
    approved_requisition(client, auth, line("Servo motor", "1", "100.00"))
    approved_requisition(
        client,
        auth,
        line("Servo drive", "1", "200.00"),
        purpose="Project-Specific",
        project_id=project,
    )
    assert len(queue(client, auth)) == 2
    scoped = queue(client, auth, project_id=project)
    assert [q["description"] for q in scoped] == ["Servo drive"]
    assert scoped[0]["project"]["code"] == "PRJ-9" and scoped[0]["needed_by"] == "2030-06-30"
    assert scoped[0]["estimated_unit_price"] == "200.00" and scoped[0]["quantity"] == "1.000"
    assert [q["description"] for q in queue(client, auth, q="motor")] == ["Servo motor"]


def test_po_list_filters_by_project_for_the_spend_drill_down(app, client, auth):
    from tests.integration.reqs import make_project

    acme, bolt = suppliers(app, "ACME", "BOLT")
    project = make_project(app, "PRJ-8", "5000.00")
    other = make_project(app, "PRJ-6", "5000.00")
    approved_requisition(client, auth, line("Gear oil", "2", "30.00", acme))
    approved_requisition(
        client,
        auth,
        line("Servo drive", "1", "200.00", bolt),
        purpose="Project-Specific",
        project_id=project,
    )
    assert len(list_pos(client, auth)) == 2
    (scoped,) = list_pos(client, auth, project_id=project)
    assert scoped["supplier_id"] == bolt and scoped["total_amount"].startswith("210")
    assert list_pos(client, auth, project_id=other) == []
    assert list_pos(client, auth, project_id=project, supplier_id=acme) == []
    bad = client.get(POS, query_string={"project_id": "x"}, headers=auth("buyer"))
    assert bad.status_code == 422 and bad.json["success"] is False


def test_ordered_lines_still_count_as_committed_project_spend(app, client, auth):
    from reqflow.projects import service as projects
    from tests.integration.reqs import make_project

    (acme,) = suppliers(app, "ACME")
    project = make_project(app, "PRJ-7", "1000.00")
    approved_requisition(
        client,
        auth,
        line("Servo drive", "1", "200.00", acme),
        purpose="Project-Specific",
        project_id=project,
    )
    with app.app_context():
        assert projects.committed_amounts([project])[project] == 200
    po = list_pos(client, auth)[0]
    po_act(client, auth("buyer"), po["id"], "cancel", reason="Re-source")
    with app.app_context():
        assert projects.committed_amounts([project])[project] == 200  # back in the queue


def test_po_status_updates_reach_the_roles_that_see_the_po(app, live_server, users):
    from tests.integration.test_realtime import Listener, _api, _token

    (acme,) = suppliers(app, "ACME")
    buyer = _token(live_server, "buyer")
    store = Listener(live_server, _token(live_server, "storekeeper"))
    accounts = Listener(live_server, _token(live_server, "accountant"))
    engineer = Listener(live_server, _token(live_server, "engineer"))
    try:
        body = {"supplier_id": acme, "lines": [free()]}
        po = _api(live_server, buyer, "POST", "/purchase-orders", json=body).json()["data"]
        po = po["purchase_order"]
        draft = accounts.wait_for("status_update", lambda d: d["resource_id"] == po["id"])
        assert draft["resource"] == "purchase_order" and draft["status"] == "Draft"
        assert draft["number"] == po["po_number"] and draft["timestamp"].endswith("Z")
        for action in ("submit", "send"):
            response = _api(live_server, buyer, "POST", f"/purchase-orders/{po['id']}/{action}")
            assert response.status_code == 200
        store.wait_for("status_update", lambda d: d["status"] == "Sent")
        note = store.wait_for("notification", lambda d: po["po_number"] in d["title"])
        assert note["link"] == f"/purchase-orders/{po['id']}"
        seen = [d["status"] for e, d in store.events if e == "status_update"]
        assert seen == ["Approved", "Sent"]  # never the Draft
        assert not [e for e in engineer.events if e[0] in ("status_update", "notification")]
    finally:
        for listener in (store, accounts, engineer):
            listener.close()


def test_creating_a_po_honours_the_idempotency_key(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    headers = {**auth("buyer"), "Idempotency-Key": "po-create-1"}
    body = {"supplier_id": acme, "lines": [free()]}
    first = client.post(POS, json=body, headers=headers)
    second = client.post(POS, json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.json["data"] == second.json["data"] and _po_count(app) == 1


def test_purchasing_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {
        "/purchase-orders",
        "/purchase-orders/{po_id}",
        "/purchase-orders/{po_id}/status",
        "/purchase-orders/{po_id}/approve",
        "/purchase-orders/{po_id}/pdf",
        "/sourcing/queue",
        "/rfqs",
        "/rfqs/{rfq_id}",
        "/rfqs/{rfq_id}/quotes",
        "/rfqs/{rfq_id}/award",
    } <= set(paths)
    status = paths["/purchase-orders/{po_id}/status"]["put"]["requestBody"]
    assert status["content"]["application/json"]["schema"]["$ref"].endswith("POStatusIn")
