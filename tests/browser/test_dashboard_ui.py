"""The dashboard in real Chromium: KPI cards and charts from the API, live refresh from the
socket, notifications (toast, drawer, preferences), the narrow layout, and the page-load budget
(SPEC §7: interactive < 1.5 s, initial JS+CSS < 350 kB gzipped) written to docs/BENCHMARKS.md."""

from __future__ import annotations

import gzip
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

from tests.browser.test_shell import _login
from tests.conftest import PASSWORD, REPO

pytestmark = pytest.mark.browser

BENCHMARKS = REPO / "docs" / "BENCHMARKS.md"
TTI_BUDGET_MS = 1500
INITIAL_BUDGET_BYTES = 350_000
# Production NGINX compresses with gzip_comp_level 5 (nginx/nginx.conf).
GZIP_LEVEL = 5
# Mark set by DashboardView once the first KPI cards are in the DOM.
KPI_MARK = "reqflow:dashboard-kpis"


# ---- fixtures --------------------------------------------------------------------------


@pytest.fixture
def tabs(browser):
    """``tabs(viewport=...)`` opens a browser context; all are closed when the test ends."""
    opened = []

    def open_context(**kwargs):
        context = browser.new_context(**kwargs)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


# ---- helpers ---------------------------------------------------------------------------


def _api_token(base: str, username: str) -> str:
    response = requests.post(
        f"{base}/api/v1/auth/login",
        json={"username": username, "password": PASSWORD},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]["access_token"]


class Api:
    """Bearer-token calls, as an integration would make them."""

    def __init__(self, base: str, username: str) -> None:
        self.base = f"{base}/api/v1"
        self.headers = {"Authorization": f"Bearer {_api_token(base, username)}"}

    def get(self, path: str) -> dict:
        response = requests.get(f"{self.base}{path}", headers=self.headers, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()["data"]

    def send(self, method: str, path: str, body: dict, expect: int = 200) -> dict:
        response = requests.request(
            method, f"{self.base}{path}", json=body, headers=self.headers, timeout=10
        )
        assert response.status_code == expect, response.text
        return response.json()["data"]

    def create_requisition(self, justification: str = "Spare bearings for press 4") -> dict:
        body = {
            "purpose": "Daily Operations",
            "justification": justification,
            "needed_by": (date.today() + timedelta(days=30)).isoformat(),
            "items": [
                {
                    "description": "Bearing 6204-2RS",
                    "quantity": "4",
                    "uom": "EA",
                    "estimated_unit_price": "12.55",
                }
            ],
        }
        return self.send("POST", "/requisitions", body, expect=201)["requisition"]

    def submit(self, requisition_id: int) -> dict:
        return self.send("POST", f"/requisitions/{requisition_id}/submit", {})["requisition"]


def _watch_console(page) -> list[str]:
    """Every console error and uncaught exception on the page, collected as it runs."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


def _sign_in(page, base: str, username: str, errors: list[str]) -> None:
    """Signs in and waits for the dashboard's KPI cards. The login page asks the server
    nothing while no session cookie exists, so even it logs no error."""
    _login(page, base, username)
    page.wait_for_selector("[data-test=kpis]")


def _signed_in(tabs, base: str, username: str, viewport=(1366, 900)):
    """A fresh tab signed in as ``username`` showing the dashboard, and its console errors."""
    context = tabs(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    errors = _watch_console(page)
    _sign_in(page, base, username, errors)
    return context, page, errors


def _kpi(page, key: str) -> str:
    return page.inner_text(f"[data-test=kpi-{key}] [data-test=kpi-value]").strip()


def _initial_assets(dist: Path) -> list[Path]:
    """What index.html makes the browser fetch before any route runs: entry script,
    modulepreloads and stylesheets."""
    html = (dist / "index.html").read_text(encoding="utf-8")
    refs = re.findall(r'<(?:script|link)\b[^>]*?(?:src|href)="(/assets/[^"]+\.(?:js|css))"', html)
    assert refs, "no assets referenced from index.html"
    return [dist / ref.lstrip("/") for ref in dict.fromkeys(refs)]


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL))


def _write_page_load_section(lines: list[str]) -> None:
    """Replaces only the "## Page load" section of docs/BENCHMARKS.md (creating the file)."""
    section = "## Page load\n\n" + "\n".join(lines).rstrip() + "\n"
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Page load[ \t]*\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    BENCHMARKS.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARKS.write_text(text, encoding="utf-8")


def _time_to_kpis(browser, base: str, state: dict) -> float:
    """One cold load of the dashboard (new context: empty cache, session cookies only):
    ms from navigation start to the KPI cards in the DOM."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, storage_state=state)
    page = context.new_page()
    errors = _watch_console(page)
    try:
        page.goto(f"{base}/")
        page.wait_for_selector("[data-test=kpi-approvals-waiting]")
        elapsed = page.evaluate(
            """(mark) => {
                const entry = performance.getEntriesByName(mark)[0]
                return entry ? entry.startTime : performance.now()
            }""",
            KPI_MARK,
        )
        assert errors == [], errors
        return float(elapsed)
    finally:
        context.close()


# ---- tests -----------------------------------------------------------------------------


def test_engineer_sees_kpi_cards_and_the_status_chart(tabs, live_server, users, shoot):
    engineer = Api(live_server, "engineer")
    first = engineer.create_requisition("Drive belts for conveyor 2")
    engineer.create_requisition("Safety gloves, size 9")
    engineer.submit(first["id"])

    _, page, errors = _signed_in(tabs, live_server, "engineer")
    assert _kpi(page, "my-open") == "1"
    assert _kpi(page, "my-drafts") == "1"
    assert _kpi(page, "approvals-waiting") == "0"
    assert _kpi(page, "approvals-overdue") == "0"
    # ECharts arrives in its own chunk and draws on a canvas.
    page.wait_for_selector("[data-test=chart-my-status] canvas", timeout=10000)
    # An engineer sees no company-wide sections.
    assert page.locator("[data-test=chart-all-status]").count() == 0
    assert page.locator("[data-test=chart-spend]").count() == 0
    shoot(page, "dashboard-engineer")
    assert errors == [], errors


def test_a_new_engineer_is_invited_to_create_a_requisition(tabs, live_server, users):
    _, page, errors = _signed_in(tabs, live_server, "engineer2")
    page.wait_for_selector("[data-test=chart-my-status] >> text=No requisitions yet")
    page.click("[data-test=dashboard-create-requisition]")
    page.wait_for_url(re.compile(r".*/requisitions/new$"))
    assert errors == [], errors


def test_buyer_sees_company_wide_charts(tabs, live_server, users):
    Api(live_server, "engineer").submit(Api(live_server, "engineer").create_requisition()["id"])
    _, page, errors = _signed_in(tabs, live_server, "buyer")
    page.wait_for_selector("[data-test=chart-all-status] canvas", timeout=10000)
    page.wait_for_selector("[data-test=chart-spend] >> text=No approved spend")
    assert _kpi(page, "approvals-pending-total") == "1"
    assert page.locator("[data-test=kpi-my-open]").count() == 0
    assert errors == [], errors


def test_leads_approvals_waiting_goes_from_0_to_1_live(tabs, live_server, users):
    _, page, errors = _signed_in(tabs, live_server, "lead")
    assert _kpi(page, "approvals-waiting") == "0"
    page.evaluate("window.__sameDocument = true")

    engineer = Api(live_server, "engineer")
    requisition = engineer.submit(engineer.create_requisition()["id"])

    page.wait_for_function(
        """() => document.querySelector(
            '[data-test=kpi-approvals-waiting] [data-test=kpi-value]')?.innerText.trim() === '1'""",
        timeout=15000,
    )
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"

    # The live toast has a "View" link to the requisition.
    page.click(".rf-toast [data-test=toast-view]")
    page.wait_for_url(re.compile(rf".*/requisitions/{requisition['id']}$"))
    assert errors == [], errors


def test_notification_drawer_marks_read_and_opens_the_link(tabs, live_server, users):
    engineer = Api(live_server, "engineer")
    requisition = engineer.submit(engineer.create_requisition()["id"])
    lead = Api(live_server, "lead")
    assert lead.get("/notifications")["unread_count"] == 1

    _, page, errors = _signed_in(tabs, live_server, "lead")
    page.click("[data-test=bell]")
    item = page.locator("[data-test=notification-item]").first
    item.wait_for()
    assert item.get_attribute("data-unread") == "true"
    assert requisition["req_number"] in item.inner_text()
    item.click()
    page.wait_for_url(re.compile(rf".*/requisitions/{requisition['id']}$"))
    # Read on the server too.
    for _ in range(20):
        if lead.get("/notifications")["unread_count"] == 0:
            break
        page.wait_for_timeout(100)
    assert lead.get("/notifications")["unread_count"] == 0
    assert errors == [], errors


def test_email_preferences_save_on_change(tabs, live_server, users):
    lead = Api(live_server, "lead")
    before = {p["type"]: p["email"] for p in lead.get("/notifications/preferences")["preferences"]}
    assert "approval_assigned" in before

    _, page, errors = _signed_in(tabs, live_server, "lead")
    page.click("[data-test=user-menu]")
    page.click("[data-test=profile]")
    switch = page.locator("[data-test=pref-email-approval_assigned]")
    switch.wait_for()
    switch.click()
    page.wait_for_selector(".el-message--success")
    after = {p["type"]: p["email"] for p in lead.get("/notifications/preferences")["preferences"]}
    assert after["approval_assigned"] is (not before["approval_assigned"])
    assert {k: v for k, v in after.items() if k != "approval_assigned"} == {
        k: v for k, v in before.items() if k != "approval_assigned"
    }
    assert errors == [], errors


def test_tablet_width_folds_the_menu_and_keeps_tables_inside_the_page(
    tabs, live_server, users, shoot
):
    Api(live_server, "engineer").create_requisition("A long justification " * 8)
    _, page, errors = _signed_in(tabs, live_server, "engineer", viewport=(800, 1000))
    aside = page.locator("[data-test=layout-aside]")
    assert aside.get_attribute("data-collapsed") == "true"
    page.click("[data-test=menu-toggle]")
    page.wait_for_selector("[data-test=layout-aside][data-collapsed=false]")
    page.click("[data-test=menu-toggle]")
    page.wait_for_selector("[data-test=layout-aside][data-collapsed=true]")

    page.click("[data-test=nav-requisitions]")
    page.wait_for_selector(".el-table__row")
    layout = page.evaluate(
        """() => {
            const root = document.documentElement
            const table = document.querySelector('.el-table')
            const wrap = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap')
            const wide = wrap.scrollWidth > wrap.clientWidth
            wrap.scrollLeft = 40
            return {
                pageOverflow: root.scrollWidth - root.clientWidth,
                tableRight: table.getBoundingClientRect().right,
                viewport: root.clientWidth,
                wide,
                scrolled: wrap.scrollLeft,
            }
        }"""
    )
    assert layout["pageOverflow"] <= 0, layout
    assert layout["tableRight"] <= layout["viewport"], layout
    # A table wider than the window scrolls inside itself.
    assert not layout["wide"] or layout["scrolled"] > 0, layout
    shoot(page, "requisitions-800px")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_selector("[data-test=layout-aside][data-collapsed=false]")
    assert errors == [], errors


def test_initial_bundle_fits_the_size_budget(app):
    """SPEC §7: the JS + CSS that index.html loads stays under 350 kB gzipped. (Time to
    interactive is a measurement, not an assertion: tests/bench/test_page_load.py.)"""
    sizes = {p.name: _gzip_size(p) for p in _initial_assets(Path(app.config["FRONTEND_DIST"]))}
    assert sum(sizes.values()) < INITIAL_BUDGET_BYTES, sizes
