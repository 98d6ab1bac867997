"""Purchasing in real Chromium: a buyer turns queue lines into a purchase order with exact live
totals, a manager approves it and the buyer's open tab follows; quotations are compared and
awarded; each role sees only the purchasing entries it may use."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_requisitions_ui import _field
from tests.browser.test_shell import _login
from tests.integration.pos import approved_requisition, line, suppliers

pytestmark = pytest.mark.browser


def _row(page, table: str, text: str):
    return page.locator(f"[data-test={table}] .el-table__row", has_text=text)


def _pick(page, picker: str, text: str) -> None:
    page.click(f"[data-test={picker}]")
    page.keyboard.type(text.split()[0])
    page.click(f".el-select-dropdown__item:has-text('{text}')")


def test_buyer_orders_queue_lines_manager_approves_and_the_buyer_tab_follows(
    app, browser, live_server, client, auth, users, shoot
):
    suppliers(app, "ACME", "BOLT")
    # Lines that name no supplier wait in the sourcing queue.
    approved_requisition(
        client, auth, line("Spindle motor", "1", "4800.00"), line("Coupling", "2", "90.00")
    )

    buyer_ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    page = buyer_ctx.new_page()
    _login(page, live_server, "buyer")
    page.click("[data-test=nav-sourcing]")
    page.wait_for_selector("[data-test=queue-table] >> text=Spindle motor")
    for text in ("Spindle motor", "Coupling"):
        _row(page, "queue-table", text).locator(".el-checkbox").click()
    page.click("[data-test=queue-create-po]")
    page.wait_for_selector("[data-test=po-create-dialog]")
    # Prefilled from the line that suggests a supplier.
    _pick(page, "po-create-supplier", "ACME Industrial")
    # The quoted prices differ from the requisition's estimates.
    _row(page, "po-create-lines", "Spindle motor").locator("input").fill("9800")
    coupling = _row(page, "po-create-lines", "Coupling").locator("input")
    coupling.fill("125.125")  # a 3rd decimal is refused with a message, not rounded silently
    page.wait_for_selector(
        "[data-test=po-create-dialog] [data-test=money-refused]:has-text('At most 2 decimals')"
    )
    coupling.fill("125.13")
    page.wait_for_function(  # 9800.00 + 2 × 125.13 = 10050.26; tax 502.513 → 502.51
        "document.querySelector('[data-test=po-create-total]').innerText.includes('10,552.77')"
    )
    page.click("[data-test=po-create-dialog] [data-test=dialog-confirm]")
    page.wait_for_url(re.compile(r".*/purchase-orders/\d+$"))
    page.wait_for_selector("[data-test=po-status]:has-text('Draft')")
    po_url = page.url

    page.click("[data-test=po-edit]")
    _field(page, "po-edit-tax-rate").fill("7.25")
    page.wait_for_function(  # 10050.26 × 0.0725 = 728.64385 → 728.64
        "document.querySelector('[data-test=po-edit-total]').innerText.includes('10,778.90')"
    )
    page.click("[data-test=po-edit-dialog] [data-test=dialog-confirm]")
    page.wait_for_selector("[data-test=po-total]:has-text('10,778.90')")
    page.click("[data-test=po-submit]")
    page.wait_for_selector("[data-test=po-status]:has-text('Pending Approval')")
    assert page.locator("[data-test=po-approve]").count() == 0  # nobody approves their own

    manager_ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    manager = manager_ctx.new_page()
    _login(manager, live_server, "procmgr")
    manager.click("[data-test=nav-pos]")
    manager.wait_for_selector("[data-test=po-table] >> text=Pending Approval")
    manager.goto(po_url)
    manager.click("[data-test=po-approve]")
    manager.click("[data-test=decision-dialog] [data-test=dialog-confirm]")
    manager.wait_for_selector("[data-test=po-status]:has-text('Approved')")
    manager_ctx.close()

    # The buyer's tab was left open: it follows the approval without a reload.
    page.wait_for_selector("[data-test=po-status]:has-text('Approved')", timeout=15000)
    page.click("[data-test=po-send]")
    assert "e-mails the supplier the PDF" in page.inner_text("[data-test=confirm-dialog]")
    page.click("[data-test=confirm-dialog] [data-test=dialog-confirm]")
    page.wait_for_selector("[data-test=po-status]:has-text('Sent')")
    pdf = page.request.get(live_server + page.get_attribute("[data-test=po-pdf]", "href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"].startswith("application/pdf")
    shoot(page, "purchase-order")
    buyer_ctx.close()


def test_buyer_compares_quotations_and_awards_the_cheapest(
    app, browser, live_server, client, auth, users
):
    suppliers(app, "ACME", "BOLT")
    approved_requisition(client, auth, line("Hex bolts M8", "100", "0.40"))

    page = browser.new_page(viewport={"width": 1440, "height": 900})
    _login(page, live_server, "buyer")
    page.click("[data-test=nav-sourcing]")
    _row(page, "queue-table", "Hex bolts M8").locator(".el-checkbox").click()
    page.click("[data-test=queue-create-rfq]")
    _pick(page, "rfq-create-suppliers", "ACME Industrial")
    page.click(".el-select-dropdown__item:has-text('BOLT Industrial')")
    page.keyboard.press("Escape")
    page.click("[data-test=rfq-create-dialog] [data-test=dialog-confirm]")
    page.wait_for_url(re.compile(r".*/rfqs/\d+$"))
    page.wait_for_selector("[data-test=rfq-status]:has-text('Sent')")

    for index, (price, days) in enumerate((("0.38", "12"), ("0.35", "20"))):
        page.locator("[data-test=rfq-record-quote]").nth(index).click()
        _field(page, "quote-price-0").fill(price)
        _field(page, "quote-lead-0").fill(days)
        page.click("[data-test=rfq-quote-dialog] [data-test=dialog-confirm]")
        page.wait_for_selector("[data-test=rfq-quote-dialog]", state="hidden")
    cheapest = page.locator("td:has([data-test=rfq-cheapest])")
    fastest = page.locator("td:has([data-test=rfq-fastest])")
    page.wait_for_function("document.querySelectorAll('[data-test=rfq-cheapest]').length === 1")
    assert "0.35" in cheapest.inner_text() and "0.38" in fastest.inner_text()

    page.click("[data-test=rfq-award]")
    assert "BOLT Industrial" in page.inner_text("[data-test=rfq-award-summary]")
    page.click("[data-test=rfq-award-dialog] [data-test=dialog-confirm]")
    page.wait_for_selector("[data-test=rfq-status]:has-text('Awarded')")
    page.click("[data-test=rfq-po-link]")
    page.wait_for_selector("[data-test=po-status]:has-text('Draft')")
    assert "35.00" in page.inner_text("[data-test=po-subtotal]")


@pytest.mark.parametrize(
    ("username", "shown"),
    [
        ("buyer", ["nav-sourcing", "nav-pos", "nav-rfqs"]),
        ("storekeeper", ["nav-pos"]),
        ("accountant", ["nav-pos"]),
        ("engineer", []),
    ],
)
def test_each_role_sees_only_the_purchasing_entries_it_may_use(
    page, live_server, users, username, shown
):
    _login(page, live_server, username)
    page.wait_for_selector("[data-test=nav-dashboard]")
    entries = ["nav-sourcing", "nav-pos", "nav-rfqs"]
    assert [e for e in entries if page.locator(f"[data-test={e}]").count()] == shown
    if "nav-sourcing" not in shown:
        page.goto(f"{live_server}/sourcing")
        page.wait_for_url(re.compile(r".*/403.*"))


def test_a_lines_to_source_notification_opens_the_queue_for_that_requisition(
    client, auth, page, live_server, users
):
    approved_requisition(client, auth, line("Gear pump", "1", "310.00"))
    second = approved_requisition(client, auth, line("Pressure gauge", "2", "45.00"))
    _login(page, live_server, "buyer")
    page.click("[data-test=bell]")
    page.click(f"[data-test=notification-item]:has-text('{second['req_number']}')")
    page.wait_for_url(re.compile(rf".*/sourcing\?requisition_id={second['id']}$"))
    page.wait_for_selector("[data-test=queue-table] >> text=Pressure gauge")
    page.wait_for_selector(
        f"[data-test=queue-requisition-filter]:has-text('{second['req_number']}')"
    )
    assert page.locator("[data-test=queue-table] >> text=Gear pump").count() == 0
    # Closing the filter shows the whole queue again.
    page.click("[data-test=queue-requisition-filter] .el-tag__close")
    page.wait_for_selector("[data-test=queue-table] >> text=Gear pump")
    page.wait_for_selector("[data-test=queue-requisition-filter]", state="detached")
    assert page.url.endswith("/sourcing")
