"""Invoices, the three-way match, approval, voiding, payments and AP aging through the HTTP
API on PostgreSQL."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from reqflow.audit.models import AuditLog
from reqflow.extensions import db
from tests.integration.goods import (
    INVOICES,
    PAYMENTS,
    free_po,
    invoice_act,
    location,
    pay,
    receipt_act,
    received,
    record_invoice,
    requisitioned_po,
)
from tests.integration.pos import add_user, get_po

TODAY = date.today()


def _day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def _notes(client, auth, username, kind):
    body = client.get("/api/v1/notifications", headers=auth(username)).json["data"]
    return [n for n in body["notifications"] if n["type"] == kind]


def _po_with_receipts(app, client, auth, receipts: list[str], reject: tuple[int, ...] = ()):
    """A requisitioned PO line of 10 @ 100.00 (tax 5 %), received in ``receipts``; the
    receipts at the ``reject`` positions are rejected by the requester, the others accepted."""
    loc = location(client, auth)
    po = requisitioned_po(app, client, auth, ("Gear motor 0.75 kW", "10", "100.00"))
    for index, qty in enumerate(receipts):
        grn = received(client, auth, po, (0, qty, loc))
        if index in reject:
            response = receipt_act(client, auth("lead"), grn["id"], "reject", reason="Dented")
        else:
            response = receipt_act(client, auth("lead"), grn["id"], "accept")
        assert response.status_code == 200, response.json
    return get_po(client, auth, po["id"])


def _invoice(client, auth, po, qty, price, **extra) -> dict:
    response = record_invoice(client, auth, po, (0, qty, price), **extra)
    assert response.status_code == 201, response.json
    return response.json["data"]["invoice"]


MATCH_CASES = [
    # receipts, rejected receipts, invoiced qty, unit price, status, [(code, expected, actual)]
    (["10"], (), "10", "100.00", "Matched", []),
    (["6", "4"], (), "10", "100.00", "Matched", []),
    (["8"], (), "10", "100.00", "Exception", [("QTY_OVER_RECEIVED", "8.000", "10.000")]),
    (["10"], (), "10", "102.00", "Matched", []),  # +2 %: within tolerance
    (["10"], (), "10", "98.00", "Matched", []),  # −2 %
    (["10"], (), "10", "102.01", "Exception", [("PRICE_OVER_TOLERANCE", "100.00", "102.01")]),
    (["10"], (), "10", "97.50", "Exception", [("PRICE_UNDER_TOLERANCE", "100.00", "97.50")]),
    (["6", "4"], (1,), "10", "100.00", "Exception", [("QTY_OVER_RECEIVED", "6.000", "10.000")]),
    (["6", "4"], (1,), "6", "100.00", "Matched", []),  # net of the return
    (
        ["5"],
        (),
        "6",
        "103.00",
        "Exception",
        [("QTY_OVER_RECEIVED", "5.000", "6.000"), ("PRICE_OVER_TOLERANCE", "100.00", "103.00")],
    ),
]


@pytest.mark.parametrize("receipts,rejected,qty,price,status,reasons", MATCH_CASES)
def test_three_way_match(app, client, auth, receipts, rejected, qty, price, status, reasons):
    po = _po_with_receipts(app, client, auth, receipts, rejected)
    invoice = _invoice(client, auth, po, qty, price)
    assert invoice["status"] == status
    (line,) = invoice["lines"]
    assert line["matched"] is (not reasons) and line["po_unit_price"] == "100.00"
    got = [(r["code"], r["expected"], r["actual"]) for r in line["match_reasons"]]
    assert got == reasons
    assert all(r["message"] for r in line["match_reasons"])
    exceptions = _notes(client, auth, "accountant", "invoice_exception")
    assert len(exceptions) == (1 if status == "Exception" else 0)


def test_recording_computes_totals_tax_and_the_due_date(app, client, auth):
    po = _po_with_receipts(app, client, auth, ["10"])
    invoice = _invoice(client, auth, po, "3", "100.10", invoice_date="2026-01-31")
    assert re.fullmatch(r"INV-\d{4}-\d{5}", invoice["inv_number"])
    assert invoice["invoice_number"] == "SUP-1001" and invoice["po_number"] == po["po_number"]
    # 300.30 × 0.05 = 15.015 → 15.02 (half-up)
    assert (invoice["subtotal"], invoice["tax_amount"], invoice["total_amount"]) == (
        "300.30",
        "15.02",
        "315.32",
    )
    assert invoice["due_date"] == "2026-03-02"  # + 30 days of payment terms
    assert (invoice["amount_paid"], invoice["balance_due"]) == ("0.00", "315.32")
    assert invoice["recorded_by"]["username"] == "accountant"
    given = _invoice(
        client,
        auth,
        po,
        "1",
        "100.00",
        invoice_number="SUP-1002",
        tax_amount="4.99",
        due_date="2026-02-15",
        invoice_date="2026-02-01",
    )
    assert (given["tax_amount"], given["total_amount"], given["due_date"]) == (
        "4.99",
        "104.99",
        "2026-02-15",
    )
    with app.app_context():
        actions = db.session.scalars(
            select(AuditLog.action)
            .where(AuditLog.resource_type == "invoice", AuditLog.resource_id == invoice["id"])
            .order_by(AuditLog.id)
        ).all()
    assert actions == ["invoice.record", "invoice.match"]


def test_invoice_bodies_are_validated(app, client, auth):
    po = _po_with_receipts(app, client, auth, ["10"])
    other = free_po(app, client, auth, ("Oil", "1", "5.00"))
    cases = [
        (
            {
                "lines": [
                    {"po_line_id": other["lines"][0]["id"], "quantity": "1", "unit_price": "1"}
                ]
            },
            "lines",
        ),
        ({"due_date": "2026-02-01", "invoice_date": "2026-03-01"}, "due_date"),
        ({"supplier_id": other["supplier_id"]}, "supplier_id"),
        ({"invoice_number": "  "}, "invoice_number"),
        ({"po_id": 999999}, "po_id"),
    ]
    for extra, field in cases:
        body = {
            "po_id": po["id"],
            "invoice_number": "SUP-9",
            "invoice_date": "2026-03-01",
            "lines": [{"po_line_id": po["lines"][0]["id"], "quantity": "1", "unit_price": "100"}],
            **extra,
        }
        response = client.post(INVOICES, json=body, headers=auth("accountant"))
        assert response.status_code == 422, (extra, response.json)
        assert field in response.json["error"]["details"], (extra, response.json)
    twice = record_invoice(client, auth, po, (0, "1", "100"), (0, "1", "100"))
    assert twice.status_code == 422
    assert (
        record_invoice(client, auth, po, (0, "1", "100"), username="storekeeper").status_code == 403
    )


def test_supplier_invoice_numbers_are_unique_per_supplier(app, client, auth):
    po = _po_with_receipts(app, client, auth, ["10"])
    _invoice(client, auth, po, "1", "100.00", invoice_number="A-77")
    again = record_invoice(client, auth, po, (0, "1", "100.00"), invoice_number="A-77")
    assert again.status_code == 422
    assert "invoice_number" in again.json["error"]["details"]
    other = free_po(app, client, auth, ("Oil", "1", "5.00"))
    received(client, auth, other, (0, "1", location(client, auth, "B-01-01")))
    assert (
        record_invoice(client, auth, other, (0, "1", "5.00"), invoice_number="A-77").status_code
        == 201
    )


def test_invoices_need_a_sent_order(app, client, auth):
    from tests.integration.pos import create_po, free, suppliers

    (acme,) = suppliers(app, "ACME")
    draft = create_po(client, auth, acme, [free()])
    refused = record_invoice(client, auth, draft, (0, "1", "10.00"))
    assert refused.status_code == 409


def test_earlier_invoices_count_and_voiding_one_frees_its_quantity(app, client, auth):
    po = _po_with_receipts(app, client, auth, ["10"])
    first = _invoice(client, auth, po, "6", "100.00", invoice_number="F-1")
    second = _invoice(client, auth, po, "5", "100.00", invoice_number="F-2")
    assert (first["status"], second["status"]) == ("Matched", "Exception")
    (reason,) = second["lines"][0]["match_reasons"]
    assert (reason["code"], reason["expected"], reason["actual"]) == (
        "QTY_OVER_RECEIVED",
        "4.000",
        "5.000",
    )
    assert invoice_act(client, auth("accountant"), first["id"], "void").status_code == 422
    voided = invoice_act(client, auth("accountant"), first["id"], "void", reason="Duplicate")
    assert voided.status_code == 200 and voided.json["data"]["invoice"]["status"] == "Void"
    rematched = invoice_act(client, auth("accountant"), second["id"], "rematch")
    assert rematched.status_code == 200
    assert rematched.json["data"]["invoice"]["status"] == "Matched"
    assert invoice_act(client, auth("accountant"), first["id"], "rematch").status_code == 409


def test_rematch_after_more_receipts_and_exceptions_notify_once(app, client, auth):
    loc = location(client, auth)
    po = requisitioned_po(app, client, auth, ("Gear motor", "10", "100.00"))
    received(client, auth, po, (0, "5", loc))
    invoice = _invoice(client, auth, po, "10", "100.00")
    assert invoice["status"] == "Exception"
    again = invoice_act(client, auth("accountant"), invoice["id"], "rematch")
    assert again.json["data"]["invoice"]["status"] == "Exception"
    assert len(_notes(client, auth, "accountant", "invoice_exception")) == 1
    received(client, auth, po, (0, "5", loc))
    matched = invoice_act(client, auth("accountant"), invoice["id"], "rematch")
    assert matched.json["data"]["invoice"]["status"] == "Matched"
    assert matched.json["data"]["invoice"]["lines"][0]["match_reasons"] == []


def test_approval_segregation_and_exception_override(app, client, auth):
    add_user(app, "accountant2", "Accountant")
    po = _po_with_receipts(app, client, auth, ["10"])
    matched = _invoice(client, auth, po, "5", "100.00", invoice_number="M-1")
    exception = _invoice(client, auth, po, "5", "110.00", invoice_number="E-1")
    own = invoice_act(client, auth("accountant"), matched["id"], "approve")
    assert own.status_code == 403 and own.json["error"]["code"] == "FORBIDDEN"
    assert invoice_act(client, auth("procmgr"), matched["id"], "approve").status_code == 403
    ok = invoice_act(client, auth("accountant2"), matched["id"], "approve", comment="Fine")
    assert ok.status_code == 200
    body = ok.json["data"]["invoice"]
    assert body["status"] == "Approved" and body["approved_by"]["username"] == "accountant2"
    assert invoice_act(client, auth("accountant2"), matched["id"], "approve").status_code == 409
    needs = invoice_act(client, auth("accountant2"), exception["id"], "approve")
    assert needs.status_code == 422 and "override_reason" in needs.json["error"]["details"]
    forced = invoice_act(
        client,
        auth("accountant2"),
        exception["id"],
        "approve",
        override_reason="Price increase agreed by phone",
    )
    assert forced.status_code == 200
    assert forced.json["data"]["invoice"]["override_reason"] == "Price increase agreed by phone"


def test_payments_up_to_the_total_by_someone_who_did_not_approve(app, client, auth):
    add_user(app, "accountant2", "Accountant")
    po = _po_with_receipts(app, client, auth, ["10"])
    invoice = _invoice(client, auth, po, "10", "100.00")  # total 1050.00
    assert pay(client, auth("accountant"), invoice["id"], "10.00").status_code == 409  # Matched
    invoice_act(client, auth("accountant2"), invoice["id"], "approve")
    assert pay(client, auth("accountant2"), invoice["id"], "10.00").status_code == 403
    assert pay(client, auth("buyer"), invoice["id"], "10.00").status_code == 403
    over = pay(client, auth("accountant"), invoice["id"], "1050.01")
    assert over.status_code == 422 and "1050.00" in over.json["error"]["details"]["amount"][0]
    assert pay(client, auth("accountant"), invoice["id"], "0").status_code == 422
    assert pay(client, auth("accountant"), invoice["id"], "1", method="Bitcoin").status_code == 422
    assert pay(client, auth("accountant"), invoice["id"], "1", paid_on=_day(2)).status_code == 422
    first = pay(client, auth("accountant"), invoice["id"], "1000.00", reference="TRX-9")
    assert first.status_code == 201, first.json
    payment = first.json["data"]["payment"]
    assert re.fullmatch(r"PAY-\d{4}-\d{5}", payment["payment_number"])
    assert payment["invoice_status"] == "Partially Paid"
    rest = pay(client, auth("accountant"), invoice["id"], "50.00")
    assert rest.json["data"]["payment"]["invoice_status"] == "Paid"
    assert pay(client, auth("accountant"), invoice["id"], "0.01").status_code == 409
    detail = client.get(f"{INVOICES}/{invoice['id']}", headers=auth("accountant")).json["data"]
    assert detail["invoice"]["amount_paid"] == "1050.00"
    assert detail["invoice"]["balance_due"] == "0.00"
    assert [p["amount"] for p in detail["invoice"]["payments"]] == ["1000.00", "50.00"]
    listed = client.get(
        PAYMENTS, query_string={"invoice_id": invoice["id"]}, headers=auth("accountant")
    )
    assert [p["amount"] for p in listed.json["data"]["payments"]] == ["50.00", "1000.00"]
    none = client.get(PAYMENTS, query_string={"from": _day(1)}, headers=auth("accountant"))
    assert none.json["data"]["payments"] == []
    assert client.get(PAYMENTS, headers=auth("engineer")).status_code == 403


def test_void_before_any_payment_only(app, client, auth):
    add_user(app, "accountant2", "Accountant")
    po = _po_with_receipts(app, client, auth, ["10"])
    untouched = _invoice(client, auth, po, "2", "100.00", invoice_number="V-1")
    paid = _invoice(client, auth, po, "2", "100.00", invoice_number="V-2")
    invoice_act(client, auth("accountant2"), untouched["id"], "approve")
    invoice_act(client, auth("accountant2"), paid["id"], "approve")
    assert pay(client, auth("accountant"), paid["id"], "10.00").status_code == 201
    refused = invoice_act(client, auth("accountant2"), paid["id"], "void", reason="Wrong")
    assert refused.status_code == 409
    voided = invoice_act(client, auth("accountant2"), untouched["id"], "void", reason="Wrong PO")
    assert voided.status_code == 200
    assert voided.json["data"]["invoice"]["void_reason"] == "Wrong PO"
    assert pay(client, auth("accountant"), untouched["id"], "1.00").status_code == 409
    assert (
        invoice_act(client, auth("accountant2"), untouched["id"], "void", reason="x").status_code
        == 409
    )


def test_two_payments_at_once_never_exceed_the_invoice(app, client, auth):
    add_user(app, "accountant2", "Accountant")
    po = _po_with_receipts(app, client, auth, ["10"])
    invoice = _invoice(client, auth, po, "10", "100.00")  # 1050.00
    invoice_act(client, auth("accountant2"), invoice["id"], "approve")
    headers = auth("accountant")
    barrier = threading.Barrier(2)

    def post(amount):
        local = app.test_client()
        barrier.wait()
        return pay(local, headers, invoice["id"], amount).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(post, ["600.00", "600.00"]))
    assert statuses[0] == 201 and statuses[1] in (409, 422)
    detail = client.get(f"{INVOICES}/{invoice['id']}", headers=headers).json["data"]["invoice"]
    assert (detail["amount_paid"], detail["status"]) == ("600.00", "Partially Paid")


def test_list_filters_and_visibility(app, client, auth):
    po = _po_with_receipts(app, client, auth, ["10"])
    early = _invoice(client, auth, po, "1", "100.00", invoice_number="L-1", invoice_date=_day(-60))
    late = _invoice(client, auth, po, "1", "150.00", invoice_number="L-2", invoice_date=_day(-1))

    def numbers(**params):
        response = client.get(INVOICES, query_string=params, headers=auth("accountant"))
        assert response.status_code == 200, response.json
        return [i["invoice_number"] for i in response.json["data"]["invoices"]]

    assert numbers() == ["L-2", "L-1"]
    assert numbers(status="Exception") == ["L-2"]
    assert numbers(status="Matched,Exception", sort="invoice_date") == ["L-1", "L-2"]
    assert numbers(overdue="true") == ["L-1"]  # due 30 days after, unpaid
    assert numbers(po_id=po["id"], q=po["po_number"]) == ["L-2", "L-1"]
    assert numbers(q="l-1") == ["L-1"]
    assert numbers(supplier_id=early["supplier_id"] + 1000) == []
    assert numbers(**{"from": _day(-10)}) == ["L-2"]
    assert late["status"] == "Exception"
    assert (
        client.get(
            INVOICES, query_string={"status": "Lost"}, headers=auth("accountant")
        ).status_code
        == 422
    )
    for username, status in (("engineer", 403), ("storekeeper", 403), ("procmgr", 200)):
        assert client.get(INVOICES, headers=auth(username)).status_code == status
    assert client.get(f"{INVOICES}/{early['id']}", headers=auth("buyer")).status_code == 403


def _approved_invoice(client, auth, po, number, qty, invoice_date, due_date, paid="0"):
    invoice = _invoice(
        client,
        auth,
        po,
        qty,
        "100.00",
        invoice_number=number,
        invoice_date=invoice_date,
        due_date=due_date,
        tax_amount="0",
    )
    # No tax charged on a taxed PO is a TAX_MISMATCH: approved over it.
    override = {"override_reason": "Tax exempt"} if invoice["status"] == "Exception" else {}
    approved = invoice_act(client, auth("accountant2"), invoice["id"], "approve", **override)
    assert approved.status_code == 200
    if paid != "0":
        assert pay(client, auth("accountant"), invoice["id"], paid).status_code == 201
    return invoice


def test_ap_aging_buckets_open_balances_by_days_past_due(app, client, auth):
    add_user(app, "accountant2", "Accountant")
    po = _po_with_receipts(app, client, auth, ["10"])
    other = free_po(app, client, auth, ("Oil", "10", "100.00"), tax_rate="0")
    received(client, auth, other, (0, "10", location(client, auth, "B-01-01")))
    as_of = date(2026, 6, 30)
    due = [("2026-07-15", "1"), ("2026-06-30", "1"), ("2026-06-01", "1"), ("2026-05-31", "1")]
    due += [("2026-04-30", "1"), ("2026-04-01", "1"), ("2026-03-31", "1"), ("2026-01-01", "1")]
    for index, (due_date, qty) in enumerate(due):
        paid = "40.00" if index == 0 else "0"
        _approved_invoice(client, auth, po, f"AG-{index}", qty, "2026-01-01", due_date, paid)
    _approved_invoice(client, auth, other, "OT-1", "2", "2026-06-01", "2026-06-20")
    unapproved = _invoice(
        client, auth, po, "1", "100.00", invoice_number="NOPE", invoice_date="2026-01-01"
    )
    assert unapproved["status"] == "Matched"  # not approved: not payable, not in AP aging
    _approved_invoice(client, auth, other, "LATER", "1", "2026-07-01", "2026-07-31")  # after as_of
    response = client.get(
        "/api/v1/reports/ap-aging",
        query_string={"as_of": as_of.isoformat()},
        headers=auth("procmgr"),
    )
    assert response.status_code == 200, response.json
    report = response.json["data"]["ap_aging"]
    assert report["as_of"] == "2026-06-30"
    rows = {r["code"]: r for r in report["suppliers"]}
    acme = rows["ACME"]
    # days past due on 06-30: 07-15 → −15 and 06-30 → 0 (current: 60.00 left + 100.00);
    # 06-01 → 29 and 05-31 → 30 (1–30); 04-30 → 61 and 04-01 → 90 (61–90); 03-31 → 91 and
    # 01-01 → 180 (over 90); nothing falls in 31–60
    assert (
        acme["current"],
        acme["days_1_30"],
        acme["days_31_60"],
        acme["days_61_90"],
        acme["days_over_90"],
        acme["total"],
        acme["invoice_count"],
    ) == ("160.00", "200.00", "0.00", "200.00", "200.00", "760.00", 8)
    assert (rows["BOLT"]["days_1_30"], rows["BOLT"]["total"]) == ("200.00", "200.00")
    totals = report["totals"]
    assert (totals["current"], totals["days_1_30"], totals["total"], totals["invoice_count"]) == (
        "160.00",
        "400.00",
        "960.00",
        9,
    )
    today = client.get("/api/v1/reports/ap-aging", headers=auth("accountant")).json["data"]
    assert today["ap_aging"]["as_of"] == TODAY.isoformat()
    assert client.get("/api/v1/reports/ap-aging", headers=auth("buyer")).status_code == 403


def test_due_invoices_are_announced_once(app, client, auth):
    from reqflow.accounting.tasks import invoices_due

    po = _po_with_receipts(app, client, auth, ["10"])
    soon = _invoice(
        client,
        auth,
        po,
        "1",
        "100.00",
        invoice_number="D-1",
        due_date=_day(2),
        invoice_date=_day(-5),
    )
    _invoice(
        client,
        auth,
        po,
        "1",
        "100.00",
        invoice_number="D-2",
        due_date=_day(10),
        invoice_date=_day(-5),
    )
    with app.app_context():
        assert invoices_due() == 1
        assert invoices_due() == 0
    notes = _notes(client, auth, "accountant", "invoice_due")
    assert len(notes) == 1 and soon["inv_number"] in notes[0]["title"]


def test_accounting_dashboard_and_metrics(app, client, auth, monkeypatch):
    add_user(app, "accountant2", "Accountant")
    po = _po_with_receipts(app, client, auth, ["10"])
    _approved_invoice(client, auth, po, "X-1", "1", _day(-40), _day(-10))
    _invoice(client, auth, po, "1", "120.00", invoice_number="X-2")
    board = client.get("/api/v1/dashboard", headers=auth("accountant")).json["data"]["dashboard"]
    assert (board["invoices_due"], board["invoices_overdue"], board["invoices_exception"]) == (
        1,
        1,
        1,
    )
    store = client.get("/api/v1/dashboard", headers=auth("storekeeper")).json["data"]["dashboard"]
    assert "invoices_due" not in store and store["pos_awaiting_receipt"] == 0
    from reqflow.reporting import metrics

    monkeypatch.setattr(metrics, "CACHE_SECONDS", 0.0)
    scraped = client.get("/metrics").get_data(as_text=True)
    assert "erp_overdue_invoices 1.0" in scraped
    assert re.search(r"^erp_open_po_value 0\.0$", scraped, re.M)


def test_accounting_endpoints_are_in_the_openapi_document(client):
    paths = set(client.get("/api/v1/openapi.json").json["paths"])
    assert {
        "/invoices",
        "/invoices/{invoice_id}",
        "/invoices/{invoice_id}/approve",
        "/invoices/{invoice_id}/void",
        "/invoices/{invoice_id}/rematch",
        "/payments",
        "/reports/ap-aging",
    } <= paths


def test_two_invoices_of_the_same_line_at_once_are_matched_one_after_the_other(app, client, auth):
    po = _po_with_receipts(app, client, auth, ["10"])
    headers = auth("accountant")
    barrier = threading.Barrier(2)

    def post(number):
        local = app.test_client()
        barrier.wait()
        response = record_invoice(
            local, lambda _: headers, po, (0, "6", "100.00"), invoice_number=number
        )
        assert response.status_code == 201, response.json
        return response.json["data"]["invoice"]["status"]

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(post, ["C-1", "C-2"]))
    assert statuses == ["Exception", "Matched"]  # 6 + 6 > 10 received
