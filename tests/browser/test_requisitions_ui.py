"""The requisition flow in real Chromium: create with live totals, submit, approve from the
inbox, and the requester's open tab follows the status live."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_shell import _login

pytestmark = pytest.mark.browser


def _field(page, name):
    return page.locator(
        f"[data-test={name}] input, input[data-test={name}], "
        f"[data-test={name}] textarea, textarea[data-test={name}]"
    ).first


def test_engineer_creates_and_submits_then_lead_approves_from_the_inbox(
    browser, live_server, users, shoot
):
    requester = browser.new_context(viewport={"width": 1366, "height": 900})
    page = requester.new_page()
    _login(page, live_server, "engineer")
    page.wait_for_selector("[data-test=welcome]")
    page.click("[data-test=nav-requisitions]")
    page.click("[data-test=req-new]")
    _field(page, "req-justification").fill("Replacement bearings for press 4")
    _field(page, "item-description-0").fill("Bearing 6204-2RS")
    _field(page, "item-quantity-0").fill("3")
    _field(page, "item-price-0").fill("12.55")
    page.click("[data-test=item-add]")
    _field(page, "item-description-1").fill("Grease cartridge")
    _field(page, "item-quantity-1").fill("0.5")
    _field(page, "item-price-1").fill("8.33")
    page.wait_for_function(
        "document.querySelector('[data-test=req-total]').innerText.includes('41.82')"
    )  # 37.65 + 4.17 (4.165 rounded half-up)
    page.click("[data-test=req-submit]")
    page.wait_for_url(re.compile(r".*/requisitions/\d+$"))
    page.wait_for_selector("[data-test=req-status]:has-text('Submitted')")
    shoot(page, "requisition")

    approver = browser.new_context(viewport={"width": 1366, "height": 900})
    lead = approver.new_page()
    _login(lead, live_server, "lead")
    lead.wait_for_selector("[data-test=welcome]")
    lead.click("[data-test=nav-inbox]")
    lead.wait_for_selector("[data-test=inbox-table] >> text=Replacement bearings")
    lead.click("[data-test=inbox-approve]")
    lead.click("[data-test=dialog-confirm]")
    lead.wait_for_selector("[data-test=inbox-table] >> text=No", timeout=10000)

    # The requester's tab was left open: it follows the new status without a reload.
    page.wait_for_selector("[data-test=req-status]:has-text('Under Review')", timeout=15000)
    page.wait_for_selector("[data-test=req-timeline] >> text=Lead")
    requester.close()
    approver.close()
