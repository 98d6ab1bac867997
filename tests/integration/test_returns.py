"""Returns end to end: per-line, per-quantity rejection at acceptance; the return to the
supplier (RTV) and its states; net received on the PO; replacement; the invoice matched
against net received; the supplier's credit note reducing the payable."""

from __future__ import annotations

from typing import Any

from tests.integration.goods import (
    RECEIPTS,
    invoice_act,
    location,
    pay,
    receive,
    received,
    record_invoice,
    requisitioned_po,
)
from tests.integration.pos import add_user, get_po

RETURNS = "/api/v1/supplier-returns"


def decide(client, auth, receipt_id: int, *lines: dict, username: str = "lead", **extra: Any):
    body = {"lines": list(lines), **extra}
    return client.post(f"{RECEIPTS}/{receipt_id}/decide", json=body, headers=auth(username))


def returns_of(client, auth, po_id: int, username: str = "buyer") -> list[dict]:
    response = client.get(RETURNS, query_string={"po_id": po_id}, headers=auth(username))
    assert response.status_code == 200, response.json
    return response.json["data"]["returns"]


def step(client, auth, rtv_id: int, action: str, username: str = "buyer", **body: Any):
    return client.post(f"{RETURNS}/{rtv_id}/{action}", json=body, headers=auth(username))


def twenty_received(app, client, auth) -> tuple[dict, dict, int]:
    """A PO of 20 valves at 10.00 (and 5 hoses), all received, waiting for ``lead``."""
    bin_id = location(client, auth)
    po = requisitioned_po(app, client, auth, ("Valve", "20", "10.00"), ("Hose", "5", "4.00"))
    receipt = received(client, auth, po, (0, "20", bin_id), (1, "5", bin_id))
    return po, receipt, bin_id


def reject_six(client, auth, receipt: dict) -> dict:
    valve = receipt["lines"][0]
    response = decide(
        client,
        auth,
        receipt["id"],
        {"line_id": valve["id"], "rejected_quantity": "6", "reason": "Cracked bodies"},
    )
    assert response.status_code == 200, response.json
    return response.json["data"]["receipt"]


def test_rejecting_part_of_a_line_accepts_the_rest_and_raises_a_return(app, client, auth):
    po, receipt, _ = twenty_received(app, client, auth)
    body = reject_six(client, auth, receipt)
    valve, hose = body["lines"]
    assert (valve["status"], valve["rejected_quantity"], valve["accepted_quantity"]) == (
        "Partially Returned",
        "6.000",
        "14.000",
    )
    assert valve["reject_reason"] == "Cracked bodies"
    assert (hose["status"], hose["accepted_quantity"]) == ("Accepted", "5.000")
    assert body["status"] == "Partially Rejected"
    (rtv,) = returns_of(client, auth, po["id"])
    assert rtv["rtv_number"].startswith("RTV-") and rtv["status"] == "Pending"
    assert [(x["quantity"], x["reason"]) for x in rtv["lines"]] == [("6.000", "Cracked bodies")]
    assert rtv["allowed_actions"] == ["ship"]
    line = get_po(client, auth, po["id"])["lines"][0]
    assert (line["quantity_received"], line["quantity_returned"], line["quantity_net"]) == (
        "20.000",
        "6.000",
        "14.000",
    )


def test_stock_follows_the_split_decision(app, client, auth):
    from tests.integration.goods import ledger_matches_balances, stock

    _, receipt, _ = twenty_received(app, client, auth)
    reject_six(client, auth, receipt)
    rows = {(r["description"], r["status"]): r["quantity"] for r in stock(client, auth)}
    assert rows[("Valve", "Available")] == "14.000"
    assert ("Valve", "Pending Acceptance") not in rows or rows[
        ("Valve", "Pending Acceptance")
    ] == "0.000"
    balances = {(status, qty) for _, _, status, qty in ledger_matches_balances(app)}
    assert ("Available", 14) in balances


def test_a_rejection_needs_a_reason_and_stays_within_the_line(app, client, auth):
    _, receipt, _ = twenty_received(app, client, auth)
    valve = receipt["lines"][0]["id"]
    no_reason = decide(client, auth, receipt["id"], {"line_id": valve, "rejected_quantity": "6"})
    assert no_reason.status_code == 422
    assert "reason" in no_reason.json["error"]["details"]["lines"]["0"]
    too_many = decide(
        client, auth, receipt["id"], {"line_id": valve, "rejected_quantity": "21", "reason": "x"}
    )
    assert too_many.status_code == 422
    foreign = decide(
        client, auth, receipt["id"], {"line_id": 999999, "rejected_quantity": "1", "reason": "x"}
    )
    assert foreign.status_code == 422
    others = decide(
        client,
        auth,
        receipt["id"],
        {"line_id": valve, "rejected_quantity": "1", "reason": "x"},
        username="engineer",
    )
    assert others.status_code in (404, 409)


def test_the_return_moves_through_its_states_with_an_audit_row_each(app, client, auth):
    po, receipt, _ = twenty_received(app, client, auth)
    reject_six(client, auth, receipt)
    (rtv,) = returns_of(client, auth, po["id"])
    assert step(client, auth, rtv["id"], "replace").status_code == 409  # not shipped yet
    assert step(client, auth, rtv["id"], "ship", username="engineer").status_code == 403
    shipped = step(client, auth, rtv["id"], "ship", comment="Courier DHL 123")
    assert shipped.status_code == 200, shipped.json
    assert shipped.json["data"]["return"]["status"] == "Shipped Back"
    assert step(client, auth, rtv["id"], "ship").status_code == 409
    replaced = step(client, auth, rtv["id"], "replace", username="storekeeper")
    assert replaced.json["data"]["return"]["status"] == "Replaced"
    logs = client.get(
        "/api/v1/audit-logs",
        query_string={"resource_type": "supplier_return", "per_page": 50},
        headers=auth("admin"),
    ).json["data"]["audit_logs"]
    actions = sorted(log["action"] for log in logs)
    assert actions == [
        "supplier_return.raise",
        "supplier_return.replace",
        "supplier_return.ship",
    ]


def test_a_replacement_is_received_against_the_returned_quantity(app, client, auth):
    po, receipt, bin_id = twenty_received(app, client, auth)
    assert get_po(client, auth, po["id"])["status"] == "Received"
    assert receive(client, auth, po, (0, "1", bin_id)).status_code == 409  # nothing returned
    reject_six(client, auth, receipt)
    too_many = receive(client, auth, po, (0, "7", bin_id))
    assert too_many.status_code == 422
    waiting = get_po(client, auth, po["id"])
    assert waiting["awaiting_goods"] is True and waiting["lines"][0]["quantity_open"] == "6.000"
    replacement = received(client, auth, po, (0, "6", bin_id))
    assert replacement["lines"][0]["quantity"] == "6.000"
    line = get_po(client, auth, po["id"])["lines"][0]
    assert (line["quantity_received"], line["quantity_returned"], line["quantity_net"]) == (
        "26.000",
        "6.000",
        "20.000",
    )
    assert receive(client, auth, po, (0, "1", bin_id)).status_code == 422
    assert get_po(client, auth, po["id"])["awaiting_goods"] is False


def test_the_invoice_matches_net_received_before_and_after_the_replacement(app, client, auth):
    po, receipt, bin_id = twenty_received(app, client, auth)
    reject_six(client, auth, receipt)
    early = record_invoice(client, auth, po, (0, "20", "10.00"), invoice_number="SUP-1")
    assert early.status_code == 201
    assert early.json["data"]["invoice"]["status"] == "Exception"
    received(client, auth, po, (0, "6", bin_id))
    again = invoice_act(client, auth("accountant"), early.json["data"]["invoice"]["id"], "rematch")
    assert again.json["data"]["invoice"]["status"] == "Matched", again.json


def test_a_credit_note_settles_the_return_and_reduces_the_payable(app, client, auth):
    po, receipt, bin_id = twenty_received(app, client, auth)
    reject_six(client, auth, receipt)
    (rtv,) = returns_of(client, auth, po["id"])
    invoice = record_invoice(client, auth, po, (0, "20", "10.00"), invoice_number="SUP-2")
    invoice = invoice.json["data"]["invoice"]
    assert invoice["status"] == "Exception"  # 20 billed, 14 kept
    assert step(client, auth, rtv["id"], "ship").status_code == 200
    body = {"credit_note_number": "CN-77"}
    assert step(client, auth, rtv["id"], "credit", **body).status_code == 403  # the buyer
    credited = step(client, auth, rtv["id"], "credit", username="accountant", **body)
    assert credited.status_code == 200, credited.json
    settled = credited.json["data"]["return"]
    assert settled["status"] == "Credited"
    assert settled["credit_amount"] == "63.00"  # 6 × 10.00 + 5 % tax
    assert settled["credited_invoice_id"] == invoice["id"]
    after = client.get(f"/api/v1/invoices/{invoice['id']}", headers=auth("accountant"))
    after = after.json["data"]["invoice"]
    assert after["credited_amount"] == "63.00"
    assert after["balance_due"] == "147.00"  # 210.00 − 63.00
    rematched = invoice_act(client, auth("accountant"), invoice["id"], "rematch")
    assert rematched.json["data"]["invoice"]["status"] == "Matched", rematched.json
    # credited goods are not to be replaced: nothing more may arrive
    assert receive(client, auth, po, (0, "1", bin_id)).status_code == 409
    add_user(app, "accountant2", "Accountant")
    approved = invoice_act(client, auth("accountant2"), invoice["id"], "approve")
    assert approved.status_code == 200, approved.json
    over = pay(client, auth("accountant"), invoice["id"], "147.01")
    assert over.status_code == 422
    paid = pay(client, auth("accountant"), invoice["id"], "147.00")
    assert paid.status_code == 201, paid.json
    final = client.get(f"/api/v1/invoices/{invoice['id']}", headers=auth("accountant"))
    assert final.json["data"]["invoice"]["status"] == "Paid"


def test_a_credit_note_before_the_invoice_is_taken_by_the_next_invoice(app, client, auth):
    po, receipt, _ = twenty_received(app, client, auth)
    reject_six(client, auth, receipt)
    (rtv,) = returns_of(client, auth, po["id"])
    step(client, auth, rtv["id"], "ship")
    credited = step(
        client, auth, rtv["id"], "credit", username="accountant", credit_note_number="CN-1"
    )
    assert credited.json["data"]["return"]["credited_invoice_id"] is None
    invoice = record_invoice(client, auth, po, (0, "20", "10.00"), invoice_number="SUP-3")
    body = invoice.json["data"]["invoice"]
    assert body["status"] == "Matched"  # 20 billed − 6 credited ≤ 14 kept
    assert body["credited_amount"] == "63.00"


def test_the_old_whole_receipt_rejection_still_raises_a_return(app, client, auth):
    po, receipt, _ = twenty_received(app, client, auth)
    response = client.post(
        f"{RECEIPTS}/{receipt['id']}/reject", json={"reason": "Wrong parts"}, headers=auth("lead")
    )
    assert response.status_code == 200, response.json
    assert response.json["data"]["receipt"]["status"] == "Rejected"
    (rtv,) = returns_of(client, auth, po["id"])
    assert sorted(x["quantity"] for x in rtv["lines"]) == ["20.000", "5.000"]
    hidden = client.get(RETURNS, headers=auth("engineer"))
    assert hidden.status_code == 403
