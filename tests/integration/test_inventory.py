"""Storage locations, goods receipt, acceptance, returns, the stock ledger and inventory search
through the HTTP API on PostgreSQL."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from reqflow.audit.models import AuditLog
from reqflow.extensions import db
from reqflow.inventory.ledger import StockLedgerEntry
from tests.integration.goods import (
    INVENTORY,
    LOCATIONS,
    RECEIPTS,
    free_po,
    ledger_matches_balances,
    location,
    make_item,
    receipt_act,
    receive,
    received,
    requisitioned_po,
    stock,
)
from tests.integration.pos import create_po, free, get_po, po_act, suppliers


def _notes(client, auth, username):
    body = client.get("/api/v1/notifications", headers=auth(username)).json["data"]
    return body["notifications"]


def test_storage_locations_take_zone_aisle_bin_codes(client, auth):
    first = location(client, auth, "a-01-03", "Aisle 1, bin 3", capacity="250.5")
    listed = client.get(LOCATIONS, headers=auth("buyer"))
    assert listed.status_code == 200
    assert [(x["code"], x["capacity"]) for x in listed.json["data"]["locations"]] == [
        ("A-01-03", "250.500")
    ]
    for body in ({"code": "A-1-3", "name": "x"}, {"code": "AB-01-03", "name": "x"}, {"name": "x"}):
        bad = client.post(LOCATIONS, json=body, headers=auth("storekeeper"))
        assert bad.status_code == 422 and "code" in bad.json["error"]["details"]
    again = client.post(
        LOCATIONS, json={"code": "A-01-03", "name": "Dup"}, headers=auth("storekeeper")
    )
    assert again.status_code == 422 and again.json["error"]["details"] == {
        "code": ["Already in use."]
    }
    assert (
        client.post(
            LOCATIONS, json={"code": "B-01-01", "name": "x"}, headers=auth("buyer")
        ).status_code
        == 403
    )
    assert client.get(LOCATIONS, headers=auth("accountant")).status_code == 403
    assert client.get(LOCATIONS, headers=auth("engineer")).status_code == 200  # search filter
    renamed = client.put(
        f"{LOCATIONS}/{first}",
        json={"name": "Aisle 1 / 3", "is_active": False, "version": 1},
        headers=auth("storekeeper"),
    )
    assert renamed.status_code == 200 and renamed.json["data"]["location"]["is_active"] is False
    stale = client.put(
        f"{LOCATIONS}/{first}", json={"name": "x", "version": 1}, headers=auth("storekeeper")
    )
    assert stale.status_code == 409


def test_goods_are_received_only_against_sent_or_partially_received_orders(app, client, auth):
    loc = location(client, auth)
    (acme,) = suppliers(app, "ACME")
    po = create_po(client, auth, acme, [free(qty="2")])
    assert receive(client, auth, po, (0, "1", loc)).status_code == 404  # a Draft is unseen
    po_act(client, auth("buyer"), po["id"], "submit")
    approved = get_po(client, auth, po["id"])
    refused = receive(client, auth, approved, (0, "1", loc))
    assert refused.status_code == 409 and refused.json["error"]["code"] == "INVALID_TRANSITION"
    assert receive(client, auth, approved, (0, "1", loc), username="buyer").status_code == 403


def test_receipt_lines_are_validated_one_by_one(app, client, auth):
    loc = location(client, auth)
    po = free_po(app, client, auth, ("Hex bolts M8", "10", "1.00"), ("Washers", "5", "0.10"))
    other = free_po(app, client, auth, ("Nuts", "1", "1.00"), code="NUTS")
    body = {
        "po_id": po["id"],
        "lines": [
            {"po_line_id": po["lines"][0]["id"], "quantity": "11", "location_id": loc},
            {"po_line_id": other["lines"][0]["id"], "quantity": "1", "location_id": loc},
            {"po_line_id": po["lines"][1]["id"], "quantity": "1", "location_id": 999999},
        ],
    }
    response = client.post(f"{INVENTORY}/receive", json=body, headers=auth("storekeeper"))
    assert response.status_code == 422
    details = response.json["error"]["details"]["lines"]
    assert set(details) == {"0", "1", "2"}
    assert "at most 10.000 more" in details["0"]["quantity"][0]
    assert details["1"] == {"po_line_id": ["Not a line of this purchase order."]}
    assert details["2"] == {"location_id": ["No such active storage location."]}
    bad_condition = receive(client, auth, po, (0, "1", loc, "Broken"))
    assert bad_condition.status_code == 422
    assert get_po(client, auth, po["id"])["lines"][0]["quantity_received"] == "0.000"


def test_over_receipt_counts_every_earlier_receipt_and_the_tolerance(
    app, client, auth, monkeypatch
):
    loc = location(client, auth)
    po = free_po(app, client, auth, ("Cable 3x1.5 (m)", "10", "2.00"))
    first = received(client, auth, po, (0, "6", loc))
    assert re.fullmatch(r"GRN-\d{4}-\d{5}", first["grn_number"])
    assert first["po_status"] == "Partially Received" and first["status"] == "Accepted"
    over = receive(client, auth, po, (0, "4.001", loc))
    assert over.status_code == 422
    assert (
        "already received 6.000, at most 4.000 more"
        in (over.json["error"]["details"]["lines"]["0"]["quantity"][0])
    )
    monkeypatch.setitem(app.config, "RECEIPT_TOLERANCE_PERCENT", 5)
    assert receive(client, auth, po, (0, "4.501", loc)).status_code == 422
    last = received(client, auth, po, (0, "4.5", loc))
    assert last["po_status"] == "Received"
    assert get_po(client, auth, po["id"])["lines"][0]["quantity_received"] == "10.500"
    assert receive(client, auth, po, (0, "0.001", loc)).status_code == 409  # Received now


def test_two_receipts_at_once_that_together_exceed_the_order_one_is_refused(app, client, auth):
    loc = location(client, auth)
    po = free_po(app, client, auth, ("Pallet wrap", "10", "5.00"))
    headers = auth("storekeeper")
    barrier = threading.Barrier(2)

    def post(_):
        local = app.test_client()
        body = {
            "po_id": po["id"],
            "lines": [{"po_line_id": po["lines"][0]["id"], "quantity": "6", "location_id": loc}],
        }
        barrier.wait()
        return local.post(f"{INVENTORY}/receive", json=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(post, range(2)))
    assert statuses == [201, 422]
    current = get_po(client, auth, po["id"])
    assert current["lines"][0]["quantity_received"] == "6.000"
    assert current["status"] == "Partially Received"
    assert [r[3] for r in ledger_matches_balances(app)] == [Decimal("6.000")]


def test_requisitioned_goods_wait_for_their_requester_free_lines_are_available(app, client, auth):
    loc = location(client, auth)
    po = requisitioned_po(app, client, auth, ("Bearing 6204", "4", "12.50"))
    receipt = received(client, auth, po, (0, "4", loc), notes="Box 1 of 1")
    assert receipt["status"] == "Pending Acceptance" and receipt["po_status"] == "Received"
    assert receipt["lines"][0]["status"] == "Pending Acceptance"
    rows = stock(client, auth, status="Pending Acceptance")
    assert [(r["name"], r["quantity"], r["location"]["code"]) for r in rows] == [
        ("Bearing 6204", "4.000", "A-01-01")
    ]
    arrived = [n for n in _notes(client, auth, "lead") if n["type"] == "goods_arrived"]
    assert len(arrived) == 1 and receipt["grn_number"] in arrived[0]["title"]
    assert arrived[0]["link"] == f"/receipts/{receipt['id']}"
    free_one = free_po(app, client, auth, ("Gloves", "10", "1.00"))
    direct = received(client, auth, free_one, (0, "10", loc))
    assert direct["status"] == "Accepted" and direct["lines"][0]["status"] == "Stocked"
    assert [r["name"] for r in stock(client, auth, status="Available")] == ["Gloves"]


def test_only_the_requester_accepts_their_goods(app, client, auth):
    loc = location(client, auth)
    po = requisitioned_po(app, client, auth, ("Bearing 6204", "4", "12.50"))
    receipt = received(client, auth, po, (0, "4", loc))
    assert receipt_act(client, auth("engineer"), receipt["id"], "accept").status_code == 404
    assert client.get(f"{RECEIPTS}/{receipt['id']}", headers=auth("engineer")).status_code == 404
    assert receipt_act(client, auth("storekeeper"), receipt["id"], "accept").status_code == 403
    assert receipt_act(client, auth("accountant"), receipt["id"], "accept").status_code == 403
    mine = client.get(RECEIPTS, headers=auth("lead")).json["data"]["receipts"]
    assert [r["id"] for r in mine] == [receipt["id"]]
    assert client.get(RECEIPTS, headers=auth("engineer")).json["data"]["receipts"] == []
    seen = client.get(f"{RECEIPTS}/{receipt['id']}", headers=auth("lead")).json["data"]["receipt"]
    assert seen["allowed_actions"] == ["accept", "reject"]
    accepted = receipt_act(client, auth("lead"), receipt["id"], "accept", comment="All fine")
    assert accepted.status_code == 200
    body = accepted.json["data"]["receipt"]
    assert body["status"] == "Accepted" and body["lines"][0]["status"] == "Accepted"
    assert body["allowed_actions"] == []
    assert receipt_act(client, auth("lead"), receipt["id"], "accept").status_code == 409
    assert [(r["status"], r["quantity"]) for r in stock(client, auth)] == [("Available", "4.000")]
    ledger_matches_balances(app)
    with app.app_context():
        actions = db.session.scalars(
            select(AuditLog.action)
            .where(AuditLog.resource_type == "goods_receipt")
            .order_by(AuditLog.id)
        ).all()
    assert actions == ["goods_receipt.receive", "goods_receipt.accept"]


def test_rejection_returns_the_goods_and_lowers_net_received(app, client, auth):
    from reqflow.inventory.service import net_received, returned_quantities

    loc = location(client, auth)
    po = requisitioned_po(app, client, auth, ("Bearing 6204", "10", "12.50"))
    keep = received(client, auth, po, (0, "6", loc))
    back = received(client, auth, po, (0, "4", loc, "Damaged"))
    assert back["lines"][0]["condition"] == "Damaged"
    assert receipt_act(client, auth("lead"), back["id"], "reject").status_code == 422  # reason
    rejected = receipt_act(client, auth("lead"), back["id"], "reject", reason="Cracked races")
    assert rejected.status_code == 200
    body = rejected.json["data"]["receipt"]
    assert body["status"] == "Rejected" and body["lines"][0]["reject_reason"] == "Cracked races"
    assert receipt_act(client, auth("lead"), back["id"], "accept").status_code == 409
    assert receipt_act(client, auth("lead"), keep["id"], "accept").status_code == 200
    po_line = po["lines"][0]["id"]
    with app.app_context():
        assert returned_quantities([po_line]) == {po_line: Decimal("4.000")}
        assert net_received([po_line]) == {po_line: Decimal("6.000")}
        returns = db.session.scalars(
            select(StockLedgerEntry).where(StockLedgerEntry.entry_type == "return")
        ).all()
        assert [(r.quantity, r.status, r.reference) for r in returns] == [
            (Decimal("-4.000"), "Pending Acceptance", back["grn_number"])
        ]
    assert get_po(client, auth, po["id"])["lines"][0]["quantity_received"] == "10.000"
    assert [(r["status"], r["quantity"]) for r in stock(client, auth)] == [("Available", "6.000")]
    ledger_matches_balances(app)


def test_transfers_and_adjustments_never_take_stock_below_zero(app, client, auth):
    a, b = location(client, auth, "A-01-01"), location(client, auth, "B-02-01")
    item = make_item(client, auth, "BRG-6204", "Bearing 6204")
    adjusted = client.post(
        f"{INVENTORY}/adjustments",
        json={"item_id": item["id"], "location_id": a, "quantity": "5", "reason": "Count"},
        headers=auth("storekeeper"),
    )
    assert adjusted.status_code == 201, adjusted.json
    row = adjusted.json["data"]["inventory"]
    assert (row["quantity"], row["sku"], row["status"]) == ("5.000", "BRG-6204", "Available")
    moved = client.put(
        f"{INVENTORY}/{row['id']}/location",
        json={"to_location_id": b, "quantity": "3"},
        headers=auth("storekeeper"),
    )
    assert moved.status_code == 200, moved.json
    transfer = moved.json["data"]["transfer"]
    assert (transfer["from"]["quantity"], transfer["to"]["quantity"]) == ("2.000", "3.000")
    too_much = client.put(
        f"{INVENTORY}/{row['id']}/location",
        json={"to_location_id": b, "quantity": "2.001"},
        headers=auth("storekeeper"),
    )
    assert too_much.status_code == 409 and too_much.json["error"]["code"] == "INSUFFICIENT_STOCK"
    below = client.post(
        f"{INVENTORY}/adjustments",
        json={"item_id": item["id"], "location_id": a, "quantity": "-2.5", "reason": "Loss"},
        headers=auth("storekeeper"),
    )
    assert below.status_code == 409
    for body in (
        {"item_id": item["id"], "location_id": a, "quantity": "0", "reason": "x"},
        {"item_id": item["id"], "location_id": a, "quantity": "-1"},
        {"item_id": 999999, "location_id": a, "quantity": "1", "reason": "x"},
    ):
        assert (
            client.post(
                f"{INVENTORY}/adjustments", json=body, headers=auth("storekeeper")
            ).status_code
            == 422
        )
    same = client.put(
        f"{INVENTORY}/{row['id']}/location",
        json={"to_location_id": a, "quantity": "1"},
        headers=auth("storekeeper"),
    )
    assert same.status_code == 422
    issued = client.post(
        f"{INVENTORY}/issue",
        json={"inventory_id": row["id"], "quantity": "2", "note": "WO-7"},
        headers=auth("storekeeper"),
    )
    assert issued.status_code == 201 and issued.json["data"]["inventory"]["quantity"] == "0.000"
    assert (
        client.post(
            f"{INVENTORY}/adjustments",
            json={"item_id": item["id"], "location_id": a, "quantity": "1", "reason": "x"},
            headers=auth("engineer"),
        ).status_code
        == 403
    )
    balances = ledger_matches_balances(app)
    assert sorted(q for *_, q in balances) == [Decimal("0.000"), Decimal("3.000")]
    assert [(r["location"]["code"], r["quantity"]) for r in stock(client, auth)] == [
        ("B-02-01", "3.000")
    ]
    with app.app_context():
        actions = db.session.scalars(
            select(AuditLog.action).where(AuditLog.resource_type == "stock").order_by(AuditLog.id)
        ).all()
    assert actions == ["stock.adjust", "stock.transfer", "stock.issue"]


def test_quantities_beyond_what_a_balance_holds_are_refused_not_500(app, client, auth):
    """Balances are NUMERIC(12, 3): a bigger movement, or one that would take a balance past
    999999999.999, is a 422 or 409 and changes nothing (it used to overflow into a 500)."""
    a, b = location(client, auth, "A-01-01"), location(client, auth, "B-01-01")
    item = make_item(client, auth, "BRG-6204", "Bearing 6204")

    def adjust(location_id: int, quantity: str):
        body = {"item_id": item["id"], "location_id": location_id, "quantity": quantity}
        return client.post(
            f"{INVENTORY}/adjustments",
            json={**body, "reason": "Count"},
            headers=auth("storekeeper"),
        )

    for quantity in ("1000000000", "-1000000000", "9999999999.99"):
        refused = adjust(a, quantity)
        assert refused.status_code == 422, refused.json
        assert list(refused.json["error"]["details"]) == ["quantity"]
    full = adjust(a, "999999999.999")
    assert full.status_code == 201, full.json
    row = full.json["data"]["inventory"]
    over = adjust(a, "0.001")
    assert over.status_code == 409 and over.json["error"]["code"] == "BALANCE_LIMIT", over.json
    assert over.json["error"]["details"]["on_hand"] == "999999999.999"
    assert adjust(b, "5").status_code == 201
    (b_row,) = [r for r in stock(client, auth) if r["location"]["id"] == b]
    into_full = client.put(
        f"{INVENTORY}/{b_row['id']}/location",
        json={"to_location_id": a, "quantity": "1"},
        headers=auth("storekeeper"),
    )
    assert into_full.status_code == 409 and into_full.json["error"]["code"] == "BALANCE_LIMIT"
    for url, body in (
        (f"{INVENTORY}/{row['id']}/location", {"to_location_id": b, "quantity": "1000000000"}),
        (f"{INVENTORY}/issue", {"inventory_id": row["id"], "quantity": "1000000000"}),
    ):
        method = client.put if url.endswith("/location") else client.post
        refused = method(url, json=body, headers=auth("storekeeper"))
        assert refused.status_code == 422 and "quantity" in refused.json["error"]["details"]
    assert sorted((r["location"]["code"], r["quantity"]) for r in stock(client, auth)) == [
        ("A-01-01", "999999999.999"),
        ("B-01-01", "5.000"),
    ]
    ledger_matches_balances(app)


def test_pending_stock_is_not_moved_before_acceptance(app, client, auth):
    a, b = location(client, auth, "A-01-01"), location(client, auth, "B-01-01")
    po = requisitioned_po(app, client, auth, ("Bearing 6204", "4", "12.50"))
    received(client, auth, po, (0, "4", a))
    (row,) = stock(client, auth)
    moved = client.put(
        f"{INVENTORY}/{row['id']}/location",
        json={"to_location_id": b, "quantity": "1"},
        headers=auth("storekeeper"),
    )
    assert moved.status_code == 409 and moved.json["error"]["code"] == "INVALID_TRANSITION"


def test_stock_ledger_refuses_update_and_delete_on_postgresql(app, client, auth):
    a = location(client, auth)
    item = make_item(client, auth, "X-1", "Thing")
    client.post(
        f"{INVENTORY}/adjustments",
        json={"item_id": item["id"], "location_id": a, "quantity": "1", "reason": "Count"},
        headers=auth("storekeeper"),
    )
    for statement in ("UPDATE stock_ledger SET quantity = 5", "DELETE FROM stock_ledger"):
        with (
            app.app_context(),
            pytest.raises(DBAPIError, match="append-only"),
            db.engine.begin() as conn,
        ):
            conn.execute(text(statement))


def _stocked_catalog(app, client, auth):
    a, b = location(client, auth, "A-01-01"), location(client, auth, "C-03-07")
    (acme,) = suppliers(app, "ACME")
    bearing = make_item(
        client,
        auth,
        "BRG-6204-2RS",
        "Deep groove ball bearing",
        description="Sealed bearing 20x47x14 for conveyor rollers",
        reorder_level="10",
        preferred_supplier_id=acme,
        last_price="12.40",
    )
    belt = make_item(
        client, auth, "BLT-A42", "V-belt A42", description="Fan belt", reorder_level="2"
    )
    glove = make_item(client, auth, "GLV-9", "Nitrile gloves", description="Box of 100")
    for item, loc, qty in ((bearing, a, "4"), (belt, b, "5"), (glove, a, "3"), (glove, b, "1")):
        response = client.post(
            f"{INVENTORY}/adjustments",
            json={"item_id": item["id"], "location_id": loc, "quantity": qty, "reason": "Opening"},
            headers=auth("storekeeper"),
        )
        assert response.status_code == 201
    return bearing, belt, glove, acme


def test_inventory_search_by_text_location_status_and_low_stock(app, client, auth):
    bearing, belt, glove, _ = _stocked_catalog(app, client, auth)
    po = requisitioned_po(app, client, auth, ("Conveyor roller 600 mm", "2", "30.00"), code="ROLL")
    received(client, auth, po, (0, "2", location(client, auth, "D-01-01")))

    def skus(username="engineer", **params):
        return sorted(
            (r["sku"] or r["name"], r["location"]["code"])
            for r in stock(client, auth, username, **params)
        )

    assert skus(q="bearing") == [("BRG-6204-2RS", "A-01-01")]
    assert skus(q="brg-620") == [("BRG-6204-2RS", "A-01-01")]  # SKU prefix
    assert skus(q="conveyor") == [
        ("BRG-6204-2RS", "A-01-01"),
        ("Conveyor roller 600 mm", "D-01-01"),
    ]
    assert skus(q="nitrile box") == [("GLV-9", "A-01-01"), ("GLV-9", "C-03-07")]
    assert skus(q="belt fan") == [("BLT-A42", "C-03-07")]
    assert skus(q="nothing-like-this") == []
    assert skus(location="C-03-07") == [("BLT-A42", "C-03-07"), ("GLV-9", "C-03-07")]
    assert skus(status="Pending Acceptance") == [("Conveyor roller 600 mm", "D-01-01")]
    low = stock(client, auth, "engineer", low_stock="true")
    assert [(r["sku"], r["quantity"], r["reorder_level"], r["available_total"]) for r in low] == [
        ("BRG-6204-2RS", "4.000", "10.000", "4.000")
    ]
    assert all(r["low_stock"] is False for r in stock(client, auth, q="gloves"))
    assert client.get(INVENTORY, headers=auth("accountant")).status_code == 403
    assert (
        client.get(INVENTORY, query_string={"status": "Lost"}, headers=auth("buyer")).status_code
        == 422
    )


def test_low_stock_becomes_a_draft_requisition_and_a_daily_alert(app, client, auth):
    from reqflow.inventory.lowstock import low_stock_check

    bearing, belt, *_ = _stocked_catalog(app, client, auth)
    listed = client.get(f"{INVENTORY}/low-stock", headers=auth("buyer"))
    assert listed.status_code == 200
    rows = listed.json["data"]["low_stock"]
    assert [(r["sku"], r["available"], r["shortfall"]) for r in rows] == [
        ("BRG-6204-2RS", "4.000", "6.000")
    ]
    made = client.post(
        f"{INVENTORY}/low-stock/{bearing['id']}/requisition", headers=auth("engineer")
    )
    assert made.status_code == 201, made.json
    req = made.json["data"]["requisition"]
    assert req["status"] == "Draft" and req["requester"]["username"] == "engineer"
    (item,) = req["items"]
    assert (item["item_id"], item["quantity"], item["estimated_unit_price"]) == (
        bearing["id"],
        "16.000",
        "12.40",
    )
    assert item["suggested_supplier_id"] == bearing["preferred_supplier_id"]
    assert req["total_amount"] == "198.40"
    not_low = client.post(
        f"{INVENTORY}/low-stock/{belt['id']}/requisition", headers=auth("engineer")
    )
    assert not_low.status_code == 409
    assert (
        client.post(
            f"{INVENTORY}/low-stock/{bearing['id']}/requisition", headers=auth("buyer")
        ).status_code
        == 403
    )  # Procurement does not raise requisitions
    with app.app_context():
        assert low_stock_check() == 1
        assert low_stock_check() == 0  # once per item per day
    alerts = [n for n in _notes(client, auth, "buyer") if n["type"] == "low_stock"]
    assert len(alerts) == 1 and "BRG-6204-2RS" in alerts[0]["title"]
    assert not [n for n in _notes(client, auth, "procmgr") if n["type"] == "low_stock"]


def test_inventory_endpoints_are_in_the_openapi_document(client):
    paths = set(client.get("/api/v1/openapi.json").json["paths"])
    assert {
        "/inventory",
        "/inventory/receive",
        "/inventory/receipts",
        "/inventory/receipts/{receipt_id}",
        "/inventory/receipts/{receipt_id}/accept",
        "/inventory/receipts/{receipt_id}/reject",
        "/inventory/{inventory_id}/location",
        "/inventory/adjustments",
        "/inventory/low-stock",
        "/storage-locations",
    } <= paths


def test_a_repeated_move_with_the_same_key_moves_once(app, client, auth):
    a, b = location(client, auth, "A-01-01"), location(client, auth, "B-02-01")
    item = make_item(client, auth, "BRG-6204", "Bearing 6204")
    row = client.post(
        f"{INVENTORY}/adjustments",
        json={"item_id": item["id"], "location_id": a, "quantity": "5", "reason": "Count"},
        headers=auth("storekeeper"),
    ).json["data"]["inventory"]
    headers = {**auth("storekeeper"), "Idempotency-Key": "move-once-1"}
    body = {"to_location_id": b, "quantity": "2"}
    first = client.put(f"{INVENTORY}/{row['id']}/location", json=body, headers=headers)
    again = client.put(f"{INVENTORY}/{row['id']}/location", json=body, headers=headers)
    assert first.status_code == again.status_code == 200, again.json
    assert again.json["data"] == first.json["data"]
    assert {(r["location"]["code"], r["quantity"]) for r in stock(client, auth)} == {
        ("A-01-01", "3.000"),
        ("B-02-01", "2.000"),
    }
    assert [r[3] for r in ledger_matches_balances(app)] == [Decimal("3.000"), Decimal("2.000")]
