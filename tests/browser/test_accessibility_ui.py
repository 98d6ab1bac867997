"""Every main page, as each role sees it, passes axe-core's WCAG 2.2 AA rules with no critical
and no serious violation; the app works from the keyboard alone."""

from __future__ import annotations

import pytest

from tests.browser.a11y import axe_violations, summary
from tests.browser.conftest import ARTIFACTS, SETTLED
from tests.browser.test_shell import _login

pytestmark = pytest.mark.browser

PAGES = {
    "engineer": [
        "/",
        "/requisitions",
        "/requisitions/new",
        "/approvals",
        "/projects",
        "/suppliers",
        "/items",
        "/profile",
        "/profile/delegations",
        "/receipts",
    ],
    "buyer": ["/", "/sourcing", "/purchase-orders", "/rfqs"],
    "storekeeper": ["/receiving", "/receipts", "/inventory", "/storage-locations"],
    "accountant": ["/", "/invoices", "/reports/ap-aging"],
    "admin": ["/", "/admin/users", "/admin/departments", "/admin/approval-policies", "/audit"],
}


def _settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function(SETTLED, timeout=5_000)
    page.wait_for_selector("h1, [data-test=welcome], [data-test=kpis]")


@pytest.mark.parametrize("role", sorted(PAGES))
def test_every_main_page_has_no_critical_or_serious_axe_violation(page, live_server, users, role):
    _login(page, live_server, role)
    page.wait_for_selector("[data-test=kpis], [data-test=welcome]")
    found: dict[str, list] = {}
    for path in PAGES[role]:
        page.goto(f"{live_server}{path}")
        _settle(page)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    report = summary(found)
    ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS.parent / f"axe-{role}.txt").write_text(report or "no violations\n")
    assert found == {}, report
