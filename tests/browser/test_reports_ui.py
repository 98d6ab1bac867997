"""The procurement manager's Spend report in Chromium: filter by project (a picker), chart
and table agree, a bar drills down to the supplier's (or the project's) purchase orders, the
XLSX download completes; the Admin sets the monthly report's schedule."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.test_dashboard_ui import _watch_console
from tests.browser.test_shell import _login
from tests.integration.report_data import build

pytestmark = pytest.mark.browser


def _pick(page, picker: str, typed: str, option: str) -> None:
    page.click(f"[data-test={picker}] .el-select")
    page.keyboard.type(typed)
    page.click(f".el-select-dropdown__item:visible:has-text('{option}')")


def _shows(page, test_id: str, text: str) -> None:
    """Waits until the select shows ``text`` (its label, once the picker has fetched it)."""
    page.wait_for_function(
        """([id, text]) => {
            const el = document.querySelector(`[data-test=${id}]`)
            const input = el?.querySelector('input')
            return !!el && (el.innerText.includes(text) || (input?.value ?? '').includes(text))
        }""",
        arg=[test_id, text],
    )


def _table_rows(page) -> list[list[str]]:
    rows = page.locator("[data-test=spend-table] .el-table__body-wrapper tbody tr")
    return [
        [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_spend_filter_chart_table_drill_down_and_export(browser, live_server, app, users, shoot):
    ids = build(app)
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors = _watch_console(page)
    try:
        _login(page, live_server, "procmgr")
        page.wait_for_selector("[data-test=welcome], [data-test=kpis]")
        page.click("[data-test=nav-report-spend]")
        page.wait_for_selector("[data-test=spend-table] tbody tr")
        shoot(page, "spend-all")
        _pick(page, "spend-project", "APL", "APL — Apollo")
        page.wait_for_url(re.compile(rf"project_id={ids['apollo']}"))
        # Apollo: only PO-T1 (Acme Tools), 200.00 committed
        page.wait_for_function(
            "document.querySelectorAll('[data-test=spend-table] tbody tr').length === 1"
        )
        rows = _table_rows(page)
        assert rows[0][0] == "Acme Tools" and "$200.00" in rows[0]
        chart = page.locator("[data-test=spend-chart]")
        page.wait_for_selector("[data-test=spend-chart] canvas")
        assert chart.get_attribute("data-total") == "200.00"  # the bars add up to the table
        shoot(page, "spend-apollo")
        # the shared link opens the same report
        assert "group_by=supplier" in page.url
        box = page.locator("[data-test=spend-chart] canvas").bounding_box()
        # one month, one bar: centred in the plot, just above the axis (grid bottom 48 px)
        page.mouse.click(box["x"] + 64 + (box["width"] - 80) / 2, box["y"] + box["height"] - 60)
        page.wait_for_url(re.compile(rf"/purchase-orders\?supplier_id={ids['acme']}"))
        page.wait_for_selector("[data-test=po-table] tbody tr")
        page.wait_for_function(
            "[...document.querySelectorAll('[data-test=po-table] tbody tr')]"
            ".every(r => !r.innerText.includes('PO-T3'))"
        )
        text = page.locator("[data-test=po-table]").inner_text()
        assert "PO-T1" in text and "PO-T2" in text and "PO-T5" not in text
        shoot(page, "drilled-to-pos")
        page.go_back()
        page.wait_for_selector("[data-test=spend-table] tbody tr")
        with page.expect_download() as info:
            page.click("[data-test=report-xlsx]")
        download = info.value
        assert download.suggested_filename.endswith(".xlsx")
        sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
        values = {row[0]: row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert values == {"Acme Tools": 200.0, "Total": 200.0}
        shoot(page, "exported")
        assert errors == [], errors
    finally:
        context.close()


def test_spend_by_project_drills_down_to_the_project_pos(browser, live_server, app, users, shoot):
    ids = build(app)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    errors = _watch_console(page)
    try:
        _login(page, live_server, "procmgr")
        page.wait_for_selector("[data-test=welcome], [data-test=kpis]")
        page.goto(f"{live_server}/reports/spend?group_by=project&project_id={ids['apollo']}")
        page.wait_for_function(
            "document.querySelectorAll('[data-test=spend-table] tbody tr').length === 1"
        )
        # the picker shows the project from the URL by name, not by id
        _shows(page, "spend-project", "APL — Apollo")
        assert _table_rows(page)[0][0].startswith("APL")
        page.wait_for_selector("[data-test=spend-chart] canvas")
        box = page.locator("[data-test=spend-chart] canvas").bounding_box()
        page.mouse.click(box["x"] + 64 + (box["width"] - 80) / 2, box["y"] + box["height"] - 60)
        page.wait_for_url(re.compile(rf"/purchase-orders\?project_id={ids['apollo']}"))
        page.wait_for_selector("[data-test=po-table] tbody tr")
        page.wait_for_function(
            "document.querySelectorAll('[data-test=po-table] tbody tr').length === 1"
        )
        text = page.locator("[data-test=po-table]").inner_text()
        assert "PO-T1" in text and "PO-T2" not in text
        _shows(page, "po-project-filter", "Apollo")
        shoot(page, "drilled-to-project-pos")
        assert errors == [], errors
    finally:
        context.close()


def test_admin_sets_the_monthly_report_schedule(browser, live_server, app, client, users, shoot):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    errors = _watch_console(page)
    try:
        _login(page, live_server, "admin")
        page.wait_for_selector("[data-test=welcome]")
        page.click("[data-test=nav-report-schedule]")
        page.wait_for_url(re.compile(r"/reports/schedule$"))
        day = page.locator("[data-test=schedule-day] input")
        page.wait_for_function(
            "document.querySelector('[data-test=schedule-day] input')?.value === '1'"
        )
        shoot(page, "schedule-defaults")
        day.fill("15")
        day.press("Tab")
        page.click("[data-test=schedule-hour]")
        page.click(".el-select-dropdown__item:visible:has-text('08:00')")
        page.click("[data-test=schedule-recipients]")
        page.keyboard.type("Procmgr")
        page.click(".el-select-dropdown__item:visible:has-text('Procmgr (procmgr)')")
        page.keyboard.press("Escape")
        page.click("[data-test=schedule-save]")
        page.wait_for_selector(".el-message--success")
        shoot(page, "schedule-saved")
        with app.app_context():
            from reqflow.extensions import db
            from reqflow.reporting.models import ReportSchedule

            row = db.session.get(ReportSchedule, 1)
            assert row is not None
            assert (row.day_of_month, row.hour, row.recipient_ids) == (
                15,
                8,
                [users["procmgr"].id],
            )
            db.session.rollback()
        page.reload()
        page.wait_for_function(
            "document.querySelector('[data-test=schedule-day] input')?.value === '15'"
        )
        _shows(page, "schedule-recipients", "Procmgr (procmgr)")
        _shows(page, "schedule-hour", "08:00")
        assert errors == [], errors
    finally:
        context.close()
