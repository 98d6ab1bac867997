"""Receiving-to-payment screens open for the roles that use them, without console errors."""

from __future__ import annotations

import pytest

from tests.browser.test_dashboard_ui import _watch_console
from tests.browser.test_shell import _login

pytestmark = pytest.mark.browser

SCREENS = {
    "storekeeper": [
        ("nav-receiving", None),
        ("nav-receipts", "receipts-table"),
        ("nav-inventory", "inventory-table"),
        ("nav-storage-locations", "locations-table"),
    ],
    "accountant": [("nav-invoices", "invoices-table"), ("nav-ap-aging", "aging-table")],
}


@pytest.mark.parametrize("username", sorted(SCREENS))
def test_each_screen_of_the_role_opens_cleanly(browser, live_server, users, username, shoot):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors = _watch_console(page)
    try:
        _login(page, live_server, username)
        page.wait_for_selector("[data-test=welcome], [data-test=kpis]")
        for nav, table in SCREENS[username]:
            page.click(f"[data-test={nav}]")
            if table:
                page.wait_for_selector(f"[data-test={table}]")
            else:
                page.wait_for_load_state("networkidle")
            shoot(page, nav.removeprefix("nav-"))
        assert errors == [], errors
    finally:
        context.close()


def test_engineer_sees_no_warehouse_or_accounts_menu(browser, live_server, users):
    context = browser.new_context()
    page = context.new_page()
    try:
        _login(page, live_server, "engineer")
        page.wait_for_selector("[data-test=welcome], [data-test=kpis]")
        for nav in ("nav-receiving", "nav-invoices", "nav-ap-aging", "nav-storage-locations"):
            assert page.locator(f"[data-test={nav}]").count() == 0, nav
    finally:
        context.close()
