"""po_line_measures follow the documents through the services, in the same transaction:
receive → invoice → pay → return (a rejected line), each step read back from the table and
checked against a recomputation from the receipt and invoice lines; and the previous price of
an item (the "vs last price" base) through approve → approve → cancel."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from sqlalchemy import and_, select

from reqflow.extensions import db
from reqflow.reporting.measures import COLUMNS, measures_select
from reqflow.reporting.models import PoLineMeasure
from tests.integration.goods import (
    RECEIPTS,
    invoice_act,
    location,
    make_item,
    pay,
    received,
    record_invoice,
    requisitioned_po,
)
from tests.integration.pos import add_user, create_po, po_act, suppliers

FIGURES = ("qty_received", "qty_returned", "receipt_lines", "invoiced_qty", "invoiced_amount")


def measures(app, po: dict) -> dict[int, dict[str, Any]]:
    """The stored rows of the PO's lines, by line index; each equals a fresh recomputation."""
    with app.app_context():
        stored = db.session.scalars(
            select(PoLineMeasure).where(PoLineMeasure.po_id == po["id"])
        ).all()
        fresh = db.session.execute(measures_select(and_(True))).all()
        by_line = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in fresh}
        rows = {}
        for m in stored:
            row = {c: getattr(m, c) for c in COLUMNS}
            again = by_line[m.po_line_id]
            assert {c: D(str(row[c] or 0)) for c in COLUMNS if "_at" not in c} == {
                c: D(str(again[c] or 0)) for c in COLUMNS if "_at" not in c
            }
            rows[m.po_line_id] = row
        db.session.rollback()
    return {i: rows[line["id"]] for i, line in enumerate(po["lines"])}


def figures(row: dict[str, Any]) -> tuple[D, ...]:
    return tuple(D(str(row[c])) for c in FIGURES)


def test_measures_follow_receive_invoice_pay_return(app, client, auth):
    bin_id = location(client, auth)
    po = requisitioned_po(app, client, auth, ("Valve", "20", "10.00"), ("Hose", "5", "4.00"))
    before = measures(app, po)
    assert figures(before[0]) == figures(before[1]) == (0, 0, 0, 0, 0)

    receipt = received(client, auth, po, (0, "20", bin_id), (1, "5", bin_id))
    after_receipt = measures(app, po)
    assert figures(after_receipt[0]) == (20, 0, 1, 0, 0)
    assert figures(after_receipt[1]) == (5, 0, 1, 0, 0)
    assert after_receipt[0]["first_receipt_at"] == after_receipt[0]["last_receipt_at"]
    assert after_receipt[0]["first_receipt_at"] is not None

    # the valve billed at 10.10 (1 % over, within the price tolerance)
    recorded = record_invoice(client, auth, po, (0, "20", "10.10"), (1, "5", "4.00"))
    assert recorded.status_code == 201, recorded.json
    invoice = recorded.json["data"]["invoice"]
    invoiced = measures(app, po)
    assert figures(invoiced[0]) == (20, 0, 1, 20, D("202.00"))  # 20 × 10.10
    assert figures(invoiced[1]) == (5, 0, 1, 5, D("20.00"))  # 5 × 4.00
    assert D(str(invoiced[0]["price_diff"])) == D("2.00")  # 20 × (10.10 − 10.00)
    assert D(str(invoiced[0]["price_base"])) == D("200.00")  # 20 × 10.00
    assert D(str(invoiced[0]["paid_amount"])) == 0

    add_user(app, "accountant2", "Accountant")
    approved = invoice_act(client, auth("accountant2"), invoice["id"], "approve")
    assert approved.status_code == 200, approved.json
    total = D(approved.json["data"]["invoice"]["total_amount"])
    half = (total / 2).quantize(D("0.01"))
    assert pay(client, auth("accountant"), invoice["id"], str(half)).status_code == 201
    paid = measures(app, po)
    share = half / total
    # each line total × the share of the invoice paid (tax included in the total)
    assert D(str(paid[0]["paid_amount"])).quantize(D("0.01")) == (D("202.00") * share).quantize(
        D("0.01")
    )
    assert D(str(paid[1]["paid_amount"])).quantize(D("0.01")) == (D("20.00") * share).quantize(
        D("0.01")
    )

    # the requester rejects every hose: that receipt line is Returned
    hose = receipt["lines"][1]
    decided = client.post(
        f"{RECEIPTS}/{receipt['id']}/decide",
        json={"lines": [{"line_id": hose["id"], "rejected_quantity": "5", "reason": "Split"}]},
        headers=auth("lead"),
    )
    assert decided.status_code == 200, decided.json
    returned = measures(app, po)
    assert figures(returned[1]) == (5, 5, 1, 5, D("20.00"))
    assert figures(returned[0]) == (20, 0, 1, 20, D("202.00"))


def _previous(app, *pos: dict) -> list[tuple[Any, D, D]]:
    """(previous price, last_diff, last_base) of each PO's single line, as stored; every stored
    row also equals the bulk (one window) recomputation."""
    with app.app_context():
        bulk = {
            row[0]: dict(zip(COLUMNS, row, strict=True))
            for row in db.session.execute(measures_select(and_(True), bulk=True)).all()
        }
        out = []
        for po in pos:
            m = db.session.get(PoLineMeasure, po["lines"][0]["id"])
            stored = (m.previous_price, D(str(m.last_diff)), D(str(m.last_base)))
            again = bulk[m.po_line_id]
            assert stored == (
                again["previous_price"], D(str(again["last_diff"])), D(str(again["last_base"]))
            )  # fmt: skip
            out.append(stored)
        db.session.rollback()
    return out


def test_previous_price_follows_approve_and_cancel(app, client, auth):
    (supplier,) = suppliers(app, "ACME")
    item = make_item(client, auth, "GB-1", "Gearbox")["id"]

    def approved(price: str) -> dict:
        body = [{"description": "Gearbox", "quantity": "2", "unit_price": price, "item_id": item}]
        po = create_po(client, auth, supplier, body, tax_rate="0")
        for action in ("submit", "approve"):
            response = po_act(client, auth("procmgr"), po["id"], action)
            assert response.status_code == 200, response.json
        return po

    first = approved("10000.00")
    assert _previous(app, first) == [(None, 0, 0)]  # no earlier committed line of the item
    second = approved("11000.00")
    third = approved("12100.00")
    # second: 2 × (11000 − 10000) = 2000 over 2 × 10000; third: 2 × (12100 − 11000) = 2200
    assert _previous(app, first, second, third) == [
        (None, 0, 0),
        (D("10000.00"), D("2000"), D("20000")),
        (D("11000.00"), D("2200"), D("22000")),
    ]
    cancelled = po_act(client, auth("buyer"), second["id"], "cancel", reason="Dup")
    assert cancelled.status_code == 200, cancelled.json
    # the cancelled PO is no longer committed: the third line now follows the first,
    # 2 × (12100 − 10000) = 4200 over 2 × 10000
    assert _previous(app, first, second, third) == [
        (None, 0, 0),
        (None, 0, 0),
        (D("10000.00"), D("4200"), D("20000")),
    ]
    measures(app, third)  # the stored rows equal the one-line recomputation too
