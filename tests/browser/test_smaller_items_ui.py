"""Issue #16's smaller items in real Chromium: a receipt's delivery-note number and date, a
rejected requisition copied into a new draft, a requisition from the low-stock list, why the
approver sees no Pay button, line errors under the fields, and a new supplier kept in sight."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_requisitions_ui import _field
from tests.integration.goods import (
    INVENTORY,
    free_po,
    invoice_act,
    location,
    make_item,
    received,
    record_invoice,
)
from tests.integration.pos import add_user
from tests.integration.reqs import act, make_supplier, submitted

pytestmark = pytest.mark.browser

DETAIL = re.compile(r".*/\d+$")


def test_the_receipt_keeps_the_delivery_note_number_and_date(app, client, auth, people):
    location(client, auth, "A-01-03", "Main store")
    po = free_po(app, client, auth, ("Hydraulic hose 2 m", "10", "12.00"))
    page = people.sign_in("storekeeper")
    page.goto(f"{people.base}/receiving?po={po['id']}")
    page.wait_for_selector("[data-test=recv-table] >> text=Hydraulic hose 2 m")
    page.click("[data-test=recv-location-0]")
    page.click(".el-select-dropdown__item:visible:has-text('A-01-03')")
    _field(page, "recv-delivery-note").fill("DN-2026-0042")
    day = page.locator("[data-test=recv-lines] input[placeholder='Today']")
    day.fill("2026-01-15")
    day.press("Enter")
    page.click("[data-test=recv-submit]")
    page.wait_for_url(DETAIL)
    page.wait_for_selector("[data-test=receipt-delivery-note]:has-text('DN-2026-0042')")
    assert "2026" in page.inner_text("[data-test=receipt-date]")
    assert "Jan" in page.inner_text("[data-test=receipt-date]")
    assert people.console_errors() == {}


def test_a_rejected_requisition_is_copied_into_a_new_draft(client, auth, people):
    req = submitted(client, auth)
    rejected = act(client, auth("lead"), req["id"], "reject", reason="Use stock from store B")
    assert rejected.status_code == 200
    page = people.sign_in("engineer")
    page.goto(f"{people.base}/requisitions/{req['id']}")
    page.wait_for_selector("[data-test=req-status]:has-text('Rejected')")
    page.click("[data-test=req-copy]")
    page.wait_for_url(re.compile(r".*/requisitions/\d+/edit$"))
    assert f"/requisitions/{req['id']}/" not in page.url
    page.wait_for_function(
        "text => [...document.querySelectorAll('input')].some(i => i.value === text)",
        arg=req["items"][0]["description"],
    )
    page.click("[data-test=req-submit]")
    page.wait_for_url(DETAIL)
    page.wait_for_selector("[data-test=req-status]:has-text('Submitted')")
    assert people.console_errors() == {}


def test_the_low_stock_list_creates_a_requisition(client, auth, people):
    bin_id = location(client, auth, "A-01-01", "Main store")
    bearing = make_item(client, auth, "BRG-6204", "Bearing 6204", reorder_level="50")
    adjusted = client.post(
        f"{INVENTORY}/adjustments",
        json={"item_id": bearing["id"], "location_id": bin_id, "quantity": "3", "reason": "Count"},
        headers=auth("storekeeper"),
    )
    assert adjusted.status_code == 201, adjusted.json
    page = people.sign_in("engineer")
    page.goto(f"{people.base}/inventory?tab=low")
    row = page.locator("[data-test=low-stock] .el-table__row", has_text="BRG-6204")
    row.locator("[data-test=low-stock-requisition]:has-text('Create requisition')").click()
    page.wait_for_url(DETAIL)
    page.wait_for_selector("[data-test=req-status]:has-text('Draft')")
    page.wait_for_selector("text=Bearing 6204")
    assert people.console_errors() == {}


def test_the_approver_reads_why_there_is_no_pay_button(app, client, auth, people):
    add_user(app, "accountant2", "Accountant")
    po = free_po(app, client, auth, ("Gasket kit", "2", "50.00"))
    received(client, auth, po, (0, "2", location(client, auth)))
    recorded = record_invoice(client, auth, po, (0, "2", "50.00"))
    assert recorded.status_code == 201, recorded.json
    invoice = recorded.json["data"]["invoice"]
    assert invoice_act(client, auth("accountant2"), invoice["id"], "approve").status_code == 200
    approver = people.sign_in("accountant2")
    approver.goto(f"{people.base}/invoices/{invoice['id']}")
    approver.wait_for_selector("[data-test=invoice-action-note]:has-text('You approved')")
    assert approver.locator("[data-test=payment-new]").count() == 0
    recorder = people.sign_in("accountant")
    recorder.goto(f"{people.base}/invoices/{invoice['id']}")
    recorder.wait_for_selector("[data-test=payment-new]")
    assert recorder.locator("[data-test=invoice-action-note]").count() == 0
    assert people.console_errors() == {}


def test_requisition_line_errors_are_written_under_the_fields(users, people):
    page = people.sign_in("engineer")
    page.goto(f"{people.base}/requisitions/new")
    _field(page, "req-justification").fill("Bearings for press 4")
    _field(page, "item-description-0").fill("Bearing 6204-2RS")
    _field(page, "item-price-0").fill("12.50")
    # The client's check, then the server's 422 (over NUMERIC(12, 3)): each message is written
    # in full under the quantity field, inside its row, not only as a red border.
    for typed, expected in (("0", "above 0"), ("99999999999", "at most 999999999.999")):
        _field(page, "item-quantity-0").fill(typed)
        page.click("[data-test=req-submit]")
        cell = page.locator(".el-form-item", has=page.locator("[data-test=item-quantity-0]"))
        message = cell.locator(".el-form-item__error")
        message.filter(has_text=expected).wait_for()
        box, field = message.bounding_box(), _field(page, "item-quantity-0").bounding_box()
        assert box and field and box["y"] >= field["y"] + field["height"] - 1
        row = page.locator(".line-table .el-table__row").first.bounding_box()
        assert row and box["y"] + box["height"] <= row["y"] + row["height"] + 1
        assert message.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # not cut off
    assert page.url.endswith("/requisitions/new")


def test_a_new_supplier_is_shown_first_even_on_a_later_page(app, users, people):
    for n in range(25):
        make_supplier(app, f"A{n:03d}")
    page = people.sign_in("buyer")
    page.goto(f"{people.base}/suppliers")
    page.wait_for_selector("[data-test=suppliers-table] >> text=A000")
    page.click("[data-test=supplier-new]")
    _field(page, "supplier-code").fill("ZZ-NEW")
    _field(page, "supplier-name").fill("Zenith Fasteners")
    page.click("[data-test=supplier-save]")
    first = page.locator("[data-test=suppliers-table] .el-table__row").first
    first.locator("text=Zenith Fasteners").wait_for()
    assert first.locator("[data-test=just-created]").inner_text() == "New"
    # Once the list is narrowed or paged, it is the server's list again.
    _field(page, "supplier-search").fill("A00")
    page.wait_for_selector("[data-test=suppliers-table] >> text=Zenith Fasteners", state="detached")
    assert page.locator("[data-test=just-created]").count() == 0
    assert people.console_errors() == {}
