"""Returns and the one inbox in real Chromium: a part of a line rejected at acceptance shows on
the PO as received / returned / net and is replaced; the Receive goods page lists a PO sent
elsewhere without a reload; five requisitions approved at once from the inbox; a PO pending
approval returned to its buyer."""

from __future__ import annotations

import pytest

from tests.browser.test_purchasing_ui import _row
from tests.browser.test_requisitions_ui import _field
from tests.integration.goods import location, received, record_invoice, requisitioned_po
from tests.integration.pos import get_po, po_in, suppliers
from tests.integration.reqs import submitted

pytestmark = pytest.mark.browser


def _text(page, selector: str, expected: str) -> None:
    page.wait_for_selector(f"{selector}:has-text('{expected}')", timeout=15_000)


def test_reject_six_of_twenty_then_replace_and_the_invoice_of_twenty_matches(
    app, live_server, client, auth, users, people, shoot
):
    bin_id = location(client, auth)
    po = requisitioned_po(app, client, auth, ("Valve", "20", "10.00"))
    receipt = received(client, auth, po, (0, "20", bin_id))

    lead = people.sign_in("lead")
    lead.goto(f"{live_server}/receipts/{receipt['id']}")
    _field(lead, "reject-qty-1").fill("6")
    _field(lead, "reject-reason-1").fill("Cracked bodies")
    lead.click("[data-test=receipt-decide]")
    _text(lead, "[data-test=receipt-status]", "Partially Rejected")
    shoot(lead, "six-rejected")

    buyer = people.sign_in("buyer")
    buyer.goto(f"{live_server}/purchase-orders/{po['id']}")
    _text(buyer, "[data-test=po-line-received]", "20")
    _text(buyer, "[data-test=po-line-returned]", "6")
    _text(buyer, "[data-test=po-line-net]", "14")
    _text(buyer, "[data-test=rtv-status]", "Pending")
    buyer.click("[data-test=rtv-ship]")
    _text(buyer, "[data-test=rtv-status]", "Shipped Back")
    shoot(buyer, "po-with-return")

    replacement = received(client, auth, po, (0, "6", bin_id))
    assert replacement["lines"][0]["quantity"] == "6.000"
    buyer.reload()  # a replacement leaves the PO Received: no PO push reaches the open page
    _text(buyer, "[data-test=po-line-net]", "20")
    buyer.click("[data-test=rtv-replace]")
    _text(buyer, "[data-test=rtv-status]", "Replaced")
    shoot(buyer, "replaced")

    invoice = record_invoice(client, auth, po, (0, "20", "10.00"), invoice_number="SUP-20")
    assert invoice.json["data"]["invoice"]["status"] == "Matched", invoice.json
    assert people.console_errors() == {}


def test_receive_goods_lists_a_po_sent_in_another_tab_without_reload(
    app, live_server, client, auth, users, people, shoot
):
    location(client, auth)
    storekeeper = people.sign_in("storekeeper")
    storekeeper.click("[data-test=nav-receiving]")
    storekeeper.wait_for_selector("text=No purchase order is waiting for goods.")
    po = requisitioned_po(app, client, auth, ("Pump", "2", "50.00"))  # the buyer sends it
    storekeeper.wait_for_selector(
        "text=No purchase order is waiting for goods.", state="detached", timeout=15_000
    )
    storekeeper.click("[data-test=recv-po]")
    storekeeper.wait_for_selector(f".el-select-dropdown__item:has-text('{po['po_number']}')")
    shoot(storekeeper, "po-appeared")
    assert people.console_errors() == {}


def test_five_requisitions_approved_at_once_from_the_inbox(
    live_server, client, auth, users, people, shoot
):
    reqs = [submitted(client, auth, "engineer") for _ in range(5)]
    lead = people.sign_in("lead")
    lead.click("[data-test=nav-inbox]")
    for req in reqs:
        _row(lead, "unified-inbox", req["req_number"]).wait_for()
    first = _row(lead, "unified-inbox", reqs[0]["req_number"])
    first.locator(".el-table__expand-icon").click()
    lead.wait_for_selector("[data-test=inbox-preview]")
    lead.locator("[data-test=unified-inbox] th .el-checkbox").first.click()
    _text(lead, "[data-test=inbox-bulk-approve]", "(5)")
    lead.click("[data-test=inbox-bulk-approve]")
    _field(lead, "inbox-bulk-comment").fill("Fine for the quarter")
    lead.click("[data-test=inbox-bulk-confirm]")
    lead.wait_for_selector("text=5 of 5 approved")
    for req in reqs:
        _row(lead, "unified-inbox", req["req_number"]).wait_for(state="detached")
    shoot(lead, "approved")
    for req in reqs:
        body = client.get(f"/api/v1/requisitions/{req['id']}", headers=auth("engineer")).json
        assert body["data"]["requisition"]["status"] != "Submitted"
    assert people.console_errors() == {}


def test_a_po_pending_approval_is_returned_to_the_buyer(
    app, live_server, client, auth, users, people, shoot
):
    (supplier,) = suppliers(app, "ACME")
    po = po_in(app, client, auth, supplier, "Pending Approval")
    manager = people.sign_in("procmgr")
    manager.goto(f"{live_server}/purchase-orders/{po['id']}")
    _text(manager, "[data-test=po-status]", "Pending Approval")
    manager.click("[data-test=po-return]")
    _field(manager, "reason-text").fill("Split it by cost centre")
    manager.click("[data-test=reason-dialog] [data-test=dialog-confirm]")
    _text(manager, "[data-test=po-status]", "Draft")
    shoot(manager, "returned")
    assert get_po(client, auth, po["id"])["status"] == "Draft"
    assert people.console_errors() == {}
