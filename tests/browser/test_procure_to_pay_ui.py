"""The whole procure-to-pay flow in real Chromium, one browser context per person:

an engineer asks for parts and keeps the requisition open; their line manager and a buyer
approve in their own tabs and the engineer's tab turns Approved without a reload; the buyer
submits and sends the purchase order drafted for the supplier; the storekeeper receives the
goods into a location; the engineer follows the notification and accepts them; an accountant
records the supplier's invoice, a second accountant approves it (nobody approves what they
recorded) and the first pays it. Every main screen is saved as a screenshot artifact, and no
tab logs a console error on the way."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_purchasing_ui import _pick, _row
from tests.browser.test_requisitions_ui import _field
from tests.integration.goods import location
from tests.integration.pos import add_user, suppliers

pytestmark = pytest.mark.browser

DETAIL = re.compile(r".*/\d+$")


def _status(page, test_id: str, status: str, timeout: float = 15_000) -> None:
    page.wait_for_selector(f"[data-test={test_id}]:has-text('{status}')", timeout=timeout)


def _approve_from_inbox(page, justification: str) -> None:
    page.click("[data-test=nav-inbox]")
    row = _row(page, "inbox-table", justification)
    row.wait_for()
    row.locator("[data-test=inbox-approve]").click()
    page.click("[data-test=dialog-confirm]")
    row.wait_for(state="detached")


def test_five_roles_take_a_requisition_to_payment(app, client, auth, people, shoot):
    (acme,) = suppliers(app, "ACME")
    add_user(app, "accountant2", "Accountant")
    location(client, auth, "A-01-03", "Main store, aisle 1")

    # -- The engineer asks for parts from ACME and keeps the requisition open.
    engineer = people.sign_in("engineer")
    shoot(engineer, "engineer-dashboard")
    engineer.click("[data-test=nav-requisitions]")
    engineer.click("[data-test=req-new]")
    _field(engineer, "req-justification").fill("Seal kits for the hydraulic press")
    _field(engineer, "item-description-0").fill("Hydraulic pump seal kit")
    _field(engineer, "item-quantity-0").fill("4")
    # A third decimal is refused with a message (MoneyInput), never rounded silently.
    _field(engineer, "item-price-0").fill("112.455")
    engineer.locator("[data-test=money-refused]:has-text('At most 2 decimals')").first.wait_for()
    _field(engineer, "item-price-0").fill("112.46")
    _pick(engineer, "item-supplier-0", "ACME Industrial")
    engineer.wait_for_function(  # 4 × 112.46
        "document.querySelector('[data-test=req-total]').innerText.includes('449.84')"
    )
    shoot(engineer, "requisition-form")
    engineer.click("[data-test=req-submit]")
    engineer.wait_for_url(DETAIL)
    _status(engineer, "req-status", "Submitted")
    req_number = engineer.inner_text("[data-test=req-number]").strip()

    # -- The line manager, then the buyer, approve from their inboxes.
    lead = people.sign_in("lead")
    _approve_from_inbox(lead, "Seal kits")
    _status(engineer, "req-status", "Under Review")
    buyer = people.sign_in("buyer")
    _approve_from_inbox(buyer, "Seal kits")
    shoot(buyer, "approvals-inbox")
    # The engineer's tab was never reloaded: it follows each decision live.
    _status(engineer, "req-status", "Approved")
    engineer.wait_for_selector("[data-test=req-timeline] >> text=Buyer")
    # ...and shows the line on a draft PO once the approval has drafted the purchase order
    # (it reads "Ordered" only when the PO has gone to the supplier).
    engineer.wait_for_selector("[data-test=req-items-table] >> text=On Draft PO")
    shoot(engineer, "requisition-approved")

    # -- The approval drafted a PO for ACME; the buyer submits it (under 10 000.00 it
    # needs no manager) and sends it to the supplier.
    buyer.click("[data-test=nav-pos]")
    draft = _row(buyer, "po-table", "ACME Industrial")
    draft.wait_for()
    shoot(buyer, "purchase-orders")
    draft.locator("a").first.click()
    buyer.wait_for_url(DETAIL)
    _status(buyer, "po-status", "Draft")
    buyer.wait_for_selector("[data-test=po-total]:has-text('472.33')")  # + 5 % tax 22.49
    po_number = buyer.inner_text("[data-test=po-number]").strip()
    buyer.click("[data-test=po-submit]")
    _status(buyer, "po-status", "Approved")
    buyer.click("[data-test=po-send]")
    buyer.click("[data-test=confirm-dialog] [data-test=dialog-confirm]")
    _status(buyer, "po-status", "Sent")
    shoot(buyer, "purchase-order-sent")

    # -- The storekeeper receives all four into A-01-03.
    storekeeper = people.sign_in("storekeeper")
    awaiting = "[data-test=kpi-pos-awaiting-receipt]"
    storekeeper.wait_for_selector(f"{awaiting} [data-test=kpi-value]:has-text('1')")
    shoot(storekeeper, "storekeeper-dashboard")
    storekeeper.click(awaiting)  # the card opens the receiving screen
    storekeeper.click("[data-test=recv-po]")
    storekeeper.click(f".el-select-dropdown__item:has-text('{po_number}')")
    storekeeper.wait_for_selector("[data-test=recv-table] >> text=Hydraulic pump seal kit")
    _field(storekeeper, "recv-qty-0").fill("4")
    storekeeper.click("[data-test=recv-location-0]")
    storekeeper.click(".el-select-dropdown__item:visible:has-text('A-01-03')")
    shoot(storekeeper, "receiving")
    storekeeper.click("[data-test=recv-submit]")
    storekeeper.wait_for_url(DETAIL)
    _status(storekeeper, "receipt-status", "Pending Acceptance")
    shoot(storekeeper, "goods-receipt")

    # -- The engineer is told at once and accepts the goods from the notification.
    engineer.wait_for_selector(".el-badge__content:not(.is-hidden)")
    engineer.click("[data-test=bell]")
    engineer.click("[data-test=notification-item]:has-text('Your goods arrived')")
    engineer.wait_for_url(re.compile(r".*/receipts/\d+$"))
    engineer.click("[data-test=receipt-accept]")
    engineer.click("[data-test=confirm-dialog] [data-test=dialog-confirm]")
    _status(engineer, "receipt-status", "Accepted")
    shoot(engineer, "goods-accepted")
    # The storekeeper's open receipt follows the acceptance too.
    _status(storekeeper, "receipt-status", "Accepted")

    # -- Accounts payable: recorded by one accountant, matched by the server...
    accountant = people.sign_in("accountant")
    accountant.click("[data-test=nav-invoices]")
    accountant.click("[data-test=invoice-new]")
    accountant.click("[data-test=invoice-po]")
    accountant.click(f".el-select-dropdown__item:has-text('{po_number}')")
    accountant.wait_for_selector("[data-test=invoice-dialog] >> text=Hydraulic pump seal kit")
    _field(accountant, "invoice-number").fill("ACME-7781")
    accountant.wait_for_selector("[data-test=invoice-total]:has-text('472.33')")
    shoot(accountant, "record-invoice")
    accountant.click("[data-test=invoice-save]")
    accountant.wait_for_url(DETAIL)
    _status(accountant, "invoice-status", "Matched")
    accountant.wait_for_selector("[data-test=line-matched]")
    assert accountant.locator("[data-test=invoice-approve]").count() == 0
    invoice_url = accountant.url
    shoot(accountant, "invoice-matched")

    # ...approved by a second one, whose decision the first sees live...
    approver = people.sign_in("accountant2")
    approver.goto(invoice_url)
    approver.click("[data-test=invoice-approve]")
    approver.click("[data-test=confirm-dialog] [data-test=dialog-confirm]")
    _status(approver, "invoice-status", "Approved")
    assert approver.locator("[data-test=payment-new]").count() == 0  # approver never pays
    _status(accountant, "invoice-status", "Approved")

    # ...and paid in full by the first.
    accountant.click("[data-test=payment-new]")
    assert _field(accountant, "payment-amount").input_value() == "472.33"
    _field(accountant, "payment-reference").fill("TRX-20261121")
    shoot(accountant, "record-payment")
    accountant.click("[data-test=payment-save]")
    _status(accountant, "invoice-status", "Paid")
    accountant.wait_for_selector("[data-test=invoice-payments] >> text=TRX-20261121")
    accountant.wait_for_selector("[data-test=invoice-balance]:has-text('0.00')")
    shoot(accountant, "invoice-paid")

    # The requisition's own page still tells its story, and the PO is fully received.
    engineer.click("[data-test=nav-requisitions]")
    engineer.wait_for_selector(f"[data-test=req-table] >> text={req_number}")
    buyer.reload()
    _status(buyer, "po-status", "Received")

    assert people.console_errors() == {}
