"""Requests for quotation through the HTTP API: invite, quote, compare, award."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from reqflow.audit.models import AuditLog
from reqflow.extensions import db
from tests.integration.pos import (
    RFQS,
    approved_requisition,
    get_po,
    line,
    list_pos,
    queue,
    suppliers,
)


def _setup(app, client, auth):
    """Two unsourced queue lines and three suppliers."""
    supplier_ids = suppliers(app, "ACME", "BOLT", "CRANE")
    approved_requisition(
        client, auth, line("Servo motor 400 W", "2", "300.00"), line("Encoder cable 5 m", "4", "25")
    )
    items = [q["requisition_item_id"] for q in queue(client, auth)]
    return supplier_ids, items


def _create(client, auth, supplier_ids, items, **extra):
    body = {
        "title": "Servo retrofit, line 3",
        "due_date": "2030-01-15",
        "supplier_ids": supplier_ids,
        "lines": [{"requisition_item_id": i} for i in items],
        **extra,
    }
    response = client.post(RFQS, json=body, headers=auth("buyer"))
    assert response.status_code == 201, response.json
    return response.json["data"]["rfq"]


def _quote(client, auth, rfq_id, supplier_id, *quotes):
    body = {
        "supplier_id": supplier_id,
        "quotes": [
            {"rfq_line_id": line_id, "unit_price": price, "lead_time_days": days}
            for line_id, price, days in quotes
        ],
    }
    return client.post(f"{RFQS}/{rfq_id}/quotes", json=body, headers=auth("buyer"))


def _cells(rfq, line_index):
    return {
        c["supplier_name"].split()[0]: (c["unit_price"], c["cheapest"], c["fastest"])
        for c in rfq["lines"][line_index]["quotes"]
    }


def test_compare_quotes_then_award_split_across_two_suppliers(app, client, auth):
    (acme, bolt, crane), items = _setup(app, client, auth)
    rfq = _create(client, auth, [acme, bolt, crane], items)
    assert rfq["status"] == "Sent" and rfq["rfq_number"].startswith("RFQ-")
    assert [s["code"] for s in rfq["suppliers"]] == ["ACME", "BOLT", "CRANE"]
    servo, cable = (x["id"] for x in rfq["lines"])
    assert {q["sourcing_status"] for q in queue(client, auth)} == {"Quoting"}
    assert {q["rfq_number"] for q in queue(client, auth)} == {rfq["rfq_number"]}

    assert (
        _quote(
            client, auth, rfq["id"], acme, (servo, "280.00", 20), (cable, "24.00", 5)
        ).status_code
        == 200
    )
    assert (
        _quote(client, auth, rfq["id"], bolt, (servo, "295.00", 7), (cable, "21.50", 5)).status_code
        == 200
    )
    last = _quote(client, auth, rfq["id"], crane, (servo, "280.00", 30))
    assert last.status_code == 200
    compared = last.json["data"]["rfq"]
    assert _cells(compared, 0) == {
        "ACME": ("280.00", True, False),  # tied cheapest
        "BOLT": ("295.00", False, True),
        "CRANE": ("280.00", True, False),
    }
    assert _cells(compared, 1) == {
        "ACME": ("24.00", False, True),  # tied fastest
        "BOLT": ("21.50", True, True),
        "CRANE": (None, False, False),  # no quote
    }
    totals = {
        t["supplier_id"]: (t["quoted_lines"], t["total"]) for t in compared["supplier_totals"]
    }
    assert totals == {acme: (2, "656.00"), bolt: (2, "676.00"), crane: (1, "560.00")}

    awards = [
        {"rfq_line_id": servo, "supplier_id": acme},
        {"rfq_line_id": cable, "supplier_id": bolt},
    ]
    awarded = client.post(
        f"{RFQS}/{rfq['id']}/award", json={"awards": awards}, headers=auth("buyer")
    )
    assert awarded.status_code == 201, awarded.json
    assert awarded.json["data"]["rfq"]["status"] == "Awarded"
    made = awarded.json["data"]["purchase_orders"]
    assert sorted(p["supplier_id"] for p in made) == sorted([acme, bolt])
    assert queue(client, auth) == []
    pos = {p["supplier_id"]: get_po(client, auth, p["id"]) for p in list_pos(client, auth)}
    assert set(pos) == {acme, bolt}
    assert [(x["description"], x["unit_price"], x["line_total"]) for x in pos[acme]["lines"]] == [
        ("Servo motor 400 W", "280.00", "560.00")
    ]
    assert [(x["quantity"], x["unit_price"]) for x in pos[bolt]["lines"]] == [("4.000", "21.50")]
    assert pos[acme]["status"] == "Draft" and pos[acme]["rfq_id"] == rfq["id"]
    assert pos[acme]["expected_delivery_date"] == (date.today() + timedelta(days=20)).isoformat()
    shown = client.get(f"{RFQS}/{rfq['id']}", headers=auth("buyer")).json["data"]["rfq"]
    assert {p["supplier_id"] for p in shown["purchase_orders"]} == {acme, bolt}
    assert [x["awarded_supplier_id"] for x in shown["lines"]] == [acme, bolt]
    again = client.post(f"{RFQS}/{rfq['id']}/award", json={"awards": awards}, headers=auth("buyer"))
    assert again.status_code == 409


def test_quotes_are_upserted_and_only_from_invited_suppliers(app, client, auth):
    (acme, bolt, crane), items = _setup(app, client, auth)
    rfq = _create(client, auth, [acme, bolt], items)
    servo = rfq["lines"][0]["id"]
    assert _quote(client, auth, rfq["id"], acme, (servo, "300.00", 10)).status_code == 200
    fixed = _quote(client, auth, rfq["id"], acme, (servo, "290.00", 12)).json["data"]["rfq"]
    cell = fixed["lines"][0]["quotes"][0]
    assert (cell["unit_price"], cell["lead_time_days"]) == ("290.00", 12)
    assert _quote(client, auth, rfq["id"], crane, (servo, "1.00", 1)).status_code == 422
    assert _quote(client, auth, rfq["id"], acme, (999999, "1.00", 1)).status_code == 422
    assert _quote(client, auth, rfq["id"], acme, (servo, "-1", 1)).status_code == 422


def test_award_needs_a_valid_quote(app, client, auth):
    (acme, bolt, _), items = _setup(app, client, auth)
    rfq = _create(client, auth, [acme, bolt], items)
    servo, cable = (x["id"] for x in rfq["lines"])
    _quote(client, auth, rfq["id"], acme, (servo, "300.00", 10))
    expired = {
        "supplier_id": bolt,
        "quotes": [
            {
                "rfq_line_id": cable,
                "unit_price": "20.00",
                "lead_time_days": 3,
                "valid_until": (date.today() - timedelta(days=1)).isoformat(),
            }
        ],
    }
    assert (
        client.post(f"{RFQS}/{rfq['id']}/quotes", json=expired, headers=auth("buyer")).status_code
        == 200
    )
    url = f"{RFQS}/{rfq['id']}/award"
    unquoted = {"awards": [{"rfq_line_id": servo, "supplier_id": bolt}]}
    assert client.post(url, json=unquoted, headers=auth("buyer")).status_code == 422
    stale = {"awards": [{"rfq_line_id": cable, "supplier_id": bolt}]}
    assert client.post(url, json=stale, headers=auth("buyer")).status_code == 409
    # Awarding only the servo line leaves the cable plainly unsourced again.
    partial = {"awards": [{"rfq_line_id": servo, "supplier_id": acme}]}
    assert client.post(url, json=partial, headers=auth("buyer")).status_code == 201
    assert [(q["description"], q["sourcing_status"]) for q in queue(client, auth)] == [
        ("Encoder cable 5 m", "Unsourced")
    ]


def test_a_line_is_on_one_open_rfq_at_a_time_and_cancel_frees_it(app, client, auth):
    (acme, bolt, _), items = _setup(app, client, auth)
    rfq = _create(client, auth, [acme], items)
    body = {"title": "Again", "supplier_ids": [bolt], "lines": [{"requisition_item_id": items[0]}]}
    assert client.post(RFQS, json=body, headers=auth("buyer")).status_code == 409
    cancelled = client.post(f"{RFQS}/{rfq['id']}/cancel", headers=auth("buyer"))
    assert cancelled.json["data"]["rfq"]["status"] == "Cancelled"
    assert {q["sourcing_status"] for q in queue(client, auth)} == {"Unsourced"}
    assert client.post(RFQS, json=body, headers=auth("buyer")).status_code == 201


def test_draft_rfq_takes_quotes_only_once_sent_and_none_after_closing(app, client, auth):
    (acme, _, _), items = _setup(app, client, auth)
    rfq = _create(client, auth, [acme], items, send=False)
    assert rfq["status"] == "Draft" and rfq["allowed_actions"] == ["send", "cancel"]
    servo = rfq["lines"][0]["id"]
    assert _quote(client, auth, rfq["id"], acme, (servo, "1.00", 1)).status_code == 409
    sent = client.post(f"{RFQS}/{rfq['id']}/send", headers=auth("buyer"))
    assert sent.json["data"]["rfq"]["status"] == "Sent"
    assert _quote(client, auth, rfq["id"], acme, (servo, "1.00", 1)).status_code == 200
    assert client.post(f"{RFQS}/{rfq['id']}/close", headers=auth("buyer")).status_code == 200
    assert _quote(client, auth, rfq["id"], acme, (servo, "2.00", 1)).status_code == 409
    listed = client.get(RFQS, query_string={"status": "Closed"}, headers=auth("buyer")).json
    assert [r["id"] for r in listed["data"]["rfqs"]] == [rfq["id"]]
    with app.app_context():
        actions = list(
            db.session.scalars(
                select(AuditLog.action)
                .where(AuditLog.resource_type == "rfq", AuditLog.resource_id == rfq["id"])
                .order_by(AuditLog.id)
            )
        )
    assert actions == ["rfq.create", "rfq.send", "rfq.quote", "rfq.close"]


def test_rfq_input_is_validated(app, client, auth):
    (acme, _, _), items = _setup(app, client, auth)
    cases = [
        {"title": "x", "supplier_ids": [], "lines": [{"requisition_item_id": items[0]}]},
        {"title": "x", "supplier_ids": [acme], "lines": []},
        {"title": "x", "supplier_ids": [999999], "lines": [{"requisition_item_id": items[0]}]},
        {"title": "x", "supplier_ids": [acme], "lines": [{"requisition_item_id": 999999}]},
    ]
    for body in cases:
        assert client.post(RFQS, json=body, headers=auth("buyer")).status_code == 422, body


def test_only_procurement_manages_rfqs(app, client, auth):
    (acme, _, _), items = _setup(app, client, auth)
    rfq = _create(client, auth, [acme], items)
    for username in ("engineer", "storekeeper", "accountant", "admin"):
        headers = auth(username)
        assert client.get(RFQS, headers=headers).status_code == 403
        assert client.get(f"{RFQS}/{rfq['id']}", headers=headers).status_code == 403
    assert client.get(f"{RFQS}/{rfq['id']}", headers=auth("procmgr")).status_code == 200
    assert client.get(f"{RFQS}/999999", headers=auth("buyer")).status_code == 404
