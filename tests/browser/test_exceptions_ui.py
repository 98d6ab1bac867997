"""When things go wrong, in real Chromium: a requester rejects goods with a reason (they go
back to the supplier), and an invoice that does not match shows why per line and is only
approved with an override reason, by someone other than who recorded it."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_requisitions_ui import _field
from tests.integration.goods import (
    INVENTORY,
    free_po,
    location,
    received,
    record_invoice,
    requisitioned_po,
)
from tests.integration.pos import add_user

pytestmark = pytest.mark.browser


def test_requester_rejects_goods_with_a_reason(app, live_server, client, auth, people, shoot):
    bin_id = location(client, auth, "A-01-01", "Main store")
    # ``lead`` asked for the valve (requisitioned_po), so ``lead`` accepts or rejects it.
    po = requisitioned_po(app, client, auth, ("Pressure relief valve", "2", "85.00"))
    receipt = received(client, auth, po, (0, "2", bin_id, "Damaged"))
    page = people.sign_in("lead")
    page.goto(f"{live_server}/receipts/{receipt['id']}")
    page.wait_for_selector("[data-test=receipt-status]:has-text('Pending Acceptance')")
    page.click("[data-test=receipt-reject]")
    dialog = page.locator("[data-test=reason-dialog]")
    dialog.locator("[data-test=dialog-confirm]").click()  # no reason yet: held
    dialog.locator(".el-form-item__error").wait_for()
    _field(page, "reason-text").fill("Both valves arrived with cracked housings")
    dialog.locator(".el-form-item__error").wait_for(state="detached")  # typing clears it
    shoot(page, "reject-goods")
    dialog.locator("[data-test=dialog-confirm]").click()
    page.wait_for_selector("[data-test=receipt-status]:has-text('Rejected')")
    page.wait_for_selector("[data-test=receipt-lines] >> text=Returned")
    shoot(page, "goods-rejected")
    # Nothing of it is in stock: the return took it out again.
    found = client.get(INVENTORY, query_string={"q": "valve"}, headers=auth("storekeeper"))
    assert found.json["data"]["inventory"] == []
    assert people.console_errors() == {}


def test_an_invoice_exception_shows_why_and_needs_an_override(
    app, live_server, client, auth, users, people, shoot
):
    add_user(app, "accountant2", "Accountant")
    bin_id = location(client, auth, "A-01-01", "Main store")
    po = free_po(app, client, auth, ("Hex bolts M8, box", "5", "20.00"))
    received(client, auth, po, (0, "2", bin_id))
    # Invoiced: all 5 (2 received) at 22.00 (10 % over the PO's 20.00; tolerance 2 %).
    response = record_invoice(client, auth, po, (0, "5", "22.00"))
    assert response.status_code == 201, response.json
    invoice = response.json["data"]["invoice"]
    assert invoice["status"] == "Exception"

    recorder = people.sign_in("accountant")
    approver = people.sign_in("accountant2")
    recorder.goto(f"{live_server}/invoices/{invoice['id']}")
    recorder.wait_for_selector("[data-test=invoice-status]:has-text('Exception')")
    reasons = recorder.locator("[data-test=match-reason]")
    reasons.first.wait_for()
    texts = [t.strip() for t in reasons.all_inner_texts()]
    assert any(re.search(r"Invoiced 5\.000 .* 2\.000 received", t) for t in texts), texts
    assert any("22.00 is above the PO price 20.00" in t for t in texts), texts
    assert recorder.locator("[data-test=invoice-approve]").count() == 0  # recorded it
    shoot(recorder, "invoice-exception")

    approver.goto(f"{live_server}/invoices/{invoice['id']}")
    approver.click("[data-test=invoice-approve]")
    dialog = approver.locator("[data-test=reason-dialog]")
    dialog.wait_for()
    _field(approver, "reason-text").fill("Price rise agreed by phone; 3 more boxes on the way")
    dialog.locator("[data-test=dialog-confirm]").click()
    approver.wait_for_selector("[data-test=invoice-status]:has-text('Approved')")
    approver.wait_for_selector("text=Price rise agreed by phone")
    # The recorder's open page follows, and may now pay it.
    recorder.wait_for_selector("[data-test=invoice-status]:has-text('Approved')")
    recorder.wait_for_selector("[data-test=payment-new]")
    shoot(approver, "invoice-approved-with-override")
    assert people.console_errors() == {}
