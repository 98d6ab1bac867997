"""Export from list pages in real Chromium: the file downloads with what the list shows;
a list over the stream limit is built in the background and offers its download link;
the requisition detail prints."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert

from tests.browser.test_dashboard_ui import _watch_console
from tests.browser.test_shell import _login
from tests.integration.reqs import payload, submitted

pytestmark = pytest.mark.browser


def _open(browser, base: str, username: str, nav: str, table: str):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors = _watch_console(page)
    _login(page, base, username)
    page.wait_for_selector("[data-test=welcome], [data-test=kpis]")
    page.click(f"[data-test={nav}]")
    page.wait_for_selector(f"[data-test={table}] .el-table__row")
    return context, page, errors


def _export(page, fmt: str):
    page.click("[data-test=export-open]")
    with page.expect_download() as info:
        page.click(f"[data-test=export-{fmt}]")
    return info.value


def test_an_engineer_exports_the_requisitions_list_as_xlsx(
    browser, live_server, client, auth, shoot
):
    mine = [submitted(client, auth, "engineer", payload(("2", p)))["req_number"] for p in "34"]
    submitted(client, auth, "engineer2", payload(("1", "9")))  # not the engineer's to see
    context, page, errors = _open(browser, live_server, "engineer", "nav-requisitions", "req-table")
    try:
        shoot(page, "requisitions")
        download = _export(page, "xlsx")
        assert download.suggested_filename == "requisitions.xlsx"
        sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "Number"
        assert [r[0] for r in rows[1:]] == sorted(mine, reverse=True)  # newest first, as listed
        page.click("[data-test=req-link] >> nth=0")
        printed = page.wait_for_selector("[data-test=print]")
        pdf = page.request.get(live_server + printed.get_attribute("href"))
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
        assert mine[-1].encode() in pdf.body()  # the document's number, in its title
        shoot(page, "requisition-print")
        assert errors == [], errors
    finally:
        context.close()


def test_a_long_audit_log_is_exported_in_the_background(browser, live_server, app, users, shoot):
    from reqflow.audit.models import AuditLog
    from reqflow.core.models import utcnow
    from reqflow.extensions import db

    start = utcnow() - timedelta(days=30)
    with app.app_context():
        rows = [
            {
                "action": "stock.counted",
                "resource_type": "stock",
                "resource_id": i,
                "created_at": start + timedelta(minutes=i),
            }
            for i in range(5_050)
        ]
        db.session.execute(insert(AuditLog), rows)
        db.session.commit()
    context, page, errors = _open(browser, live_server, "admin", "nav-audit", "audit-table")
    try:
        page.click("[data-test=export-open]")
        page.click("[data-test=export-csv]")
        link = page.wait_for_selector("[data-test=export-download]")
        assert "rows" in link.inner_text()
        shoot(page, "background-export-ready")
        with page.expect_download() as info:
            link.dispatch_event("click")  # the "export is ready" toast may cover the link
        text = Path(info.value.path()).read_text(encoding="utf-8-sig")
        exported = list(csv.DictReader(io.StringIO(text)))
        assert len(exported) >= 5_050
        assert sum(r["Action"] == "stock.counted" for r in exported) == 5_050
        assert errors == [], errors
    finally:
        context.close()
