"""The monthly spend report: the Admin sets its day, hour and recipients; on that day it is
e-mailed over real SMTP (aiosmtpd) with last month's figures and an XLSX attachment, once."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from reqflow import create_app
from reqflow.reporting.monthly import send_monthly_spend
from tests.conftest import make_config
from tests.integration.report_data import build
from tests.integration.test_email import smtp  # noqa: F401 - the SMTP server fixture

URL = "/api/v1/reports/schedule"


def test_admin_sets_the_schedule_and_bad_input_is_422(client, auth, users):
    assert client.get(URL, headers=auth("procmgr")).status_code == 403
    got = client.get(URL, headers=auth("admin"))
    assert got.json["data"]["schedule"] == {
        "day_of_month": 1, "hour": 6, "recipient_ids": [], "last_period": None
    }  # fmt: skip
    bad = [{"day_of_month": 29, "hour": 6}, {"day_of_month": 1, "hour": 24}, {"hour": 6}]
    bad += [{"day_of_month": 1, "hour": 6, "recipient_ids": [999999]}]
    for body in bad:
        response = client.put(URL, json=body, headers=auth("admin"))
        assert response.status_code == 422, body
        assert response.json["success"] is False
    body = {"day_of_month": 2, "hour": 7, "recipient_ids": [users["accountant"].id]}
    saved = client.put(URL, json=body, headers=auth("admin"))
    assert saved.status_code == 200, saved.json
    assert saved.json["data"]["schedule"]["recipient_ids"] == [users["accountant"].id]


def test_monthly_spend_is_mailed_with_xlsx_and_summary_once(
    app,
    users,
    pg_database,
    tmp_path,
    smtp,  # noqa: F811 - the imported fixture
):
    inbox, port = smtp
    build(app)
    mail_app = create_app(make_config(tmp_path, pg_database, SMTP_HOST="127.0.0.1", SMTP_PORT=port))
    with mail_app.app_context():
        assert send_monthly_spend(datetime(2026, 3, 1, 5, tzinfo=UTC)) == 0  # before 06:00
        # on March 1st at 06:00: February's report to every ProcurementMgr
        # (the users fixture's procmgr and the data set's rpt_mgr)
        assert send_monthly_spend(datetime(2026, 3, 1, 6, tzinfo=UTC)) == 2
        assert send_monthly_spend(datetime(2026, 3, 1, 7, tzinfo=UTC)) == 0  # once a month
    to = sorted(r for rcpt, _ in inbox.messages for r in rcpt)
    assert to == ["procmgr@example.com", "rpt_mgr@example.com"]
    message = inbox.messages[0][1]
    assert message["Subject"] == "[ReqFlow] Spend report 2026-02"
    parts = {p.get_content_type(): p for p in message.walk() if not p.is_multipart()}
    html = parts["text/html"].get_payload(decode=True).decode()
    # February: PO-T2 Acme 220.00 + PO-T3 Bolt 300.00 = 520.00 committed; received 15 × 11.00
    # = 165.00; invoiced 165.00 + 270.00 = 435.00; paid 66.00
    for figure, value in (("committed", "520.00"), ("received", "165.00"),
                          ("invoiced", "435.00"), ("paid", "66.00")):  # fmt: skip
        assert f'data-figure="{figure}"' in html and value in html
    sheet_part = next(p for p in message.walk() if p.get_filename() == "spend-2026-02.xlsx")
    sheet = load_workbook(io.BytesIO(sheet_part.get_payload(decode=True))).active
    rows = {r[0]: r[3] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {"Bolt & Co": 300.0, "Acme Tools": 220.0, "Total": 520.0}


def test_reading_the_schedule_writes_nothing_and_saving_it_is_audited(app, client, auth, users):
    from sqlalchemy import func, select

    from reqflow.audit.models import AuditLog
    from reqflow.events import OutboxEvent
    from reqflow.extensions import db
    from reqflow.reporting.models import ReportSchedule

    def stored() -> tuple[int, list[AuditLog], list[str]]:
        with app.app_context():
            rows = db.session.scalar(select(func.count()).select_from(ReportSchedule))
            audits = list(
                db.session.scalars(
                    select(AuditLog).where(AuditLog.action == "report_schedule.update")
                )
            )
            names = list(
                db.session.scalars(
                    select(OutboxEvent.name).where(OutboxEvent.name == "ReportScheduleUpdated")
                )
            )
            db.session.expunge_all()
        return int(rows or 0), audits, names

    for _ in range(2):
        assert client.get(URL, headers=auth("admin")).status_code == 200
    assert stored() == (0, [], [])  # GET shows the defaults without creating the row
    body_first = {"day_of_month": 15, "hour": 8, "recipient_ids": [users["procmgr"].id]}
    assert client.put(URL, json=body_first, headers=auth("admin")).status_code == 200
    body = {"day_of_month": 3, "hour": 9, "recipient_ids": []}
    assert client.put(URL, json=body, headers=auth("admin")).status_code == 200
    rows, audits, names = stored()
    assert (rows, names) == (1, ["ReportScheduleUpdated", "ReportScheduleUpdated"])
    first, second = sorted(audits, key=lambda a: a.id)
    assert first.actor_id == users["admin"].id and first.resource_type == "report_schedule"
    assert first.old_values == {"day_of_month": 1, "hour": 6, "recipient_ids": []}
    assert first.new_values == body_first
    assert second.old_values == first.new_values
    assert second.new_values == {"day_of_month": 3, "hour": 9, "recipient_ids": []}
    got = client.get(URL, headers=auth("admin")).json["data"]["schedule"]
    assert (got["day_of_month"], got["hour"], got["recipient_ids"]) == (3, 9, [])
    # a refused save (an unknown recipient) changes and audits nothing
    bad = {"day_of_month": 4, "hour": 9, "recipient_ids": [999999]}
    assert client.put(URL, json=bad, headers=auth("admin")).status_code == 422
    assert len(stored()[1]) == 2
