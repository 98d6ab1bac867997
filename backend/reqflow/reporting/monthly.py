"""The monthly spend report, e-mailed to each ProcurementMgr (or the Admin's chosen
recipients) on the configured day and hour (UTC): last month's spend per supplier as an XLSX
attachment and a short HTML summary. The beat runs the job hourly; it sends once per month."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from reqflow.core.jobs import EMAIL, job
from reqflow.core.models import utcnow
from reqflow.core.tabular import XLSX_MIME, write_xlsx
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.identity.permissions import Role
from reqflow.notifications.email import build_message, send
from reqflow.reporting import tables
from reqflow.reporting.models import ReportSchedule
from reqflow.reporting.schedule import locked
from reqflow.reporting.spend import spend


def schedule() -> ReportSchedule:
    """The schedule row, locked (created with the defaults on the first run, which records
    the month sent in it)."""
    return locked()


def recipients(row: ReportSchedule) -> list[User]:
    query = select(User).where(User.is_active.is_(True)).order_by(User.id)
    if row.recipient_ids:
        return list(db.session.scalars(query.where(User.id.in_(row.recipient_ids))))
    return list(db.session.scalars(query.where(User.role == Role.PROCUREMENT_MGR.value)))


def previous_month(now: datetime) -> tuple[date, date]:
    last = now.date().replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _xlsx(report: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(tables.SPEND, tables.spend_rows(report), buffer, sheet="Spend")
    return buffer.getvalue()


def send_monthly_spend(now: datetime | None = None) -> int:
    """Send last month's report if it is due and not yet sent; returns the e-mails sent."""
    now = now or utcnow()
    row = schedule()
    start, end = previous_month(now)
    period = f"{start:%Y-%m}"
    due = now.day >= row.day_of_month and now.hour >= row.hour
    if not due or row.last_period == period:
        db.session.commit()
        return 0
    report = spend(group_by="supplier", filters={"since": start, "until": end})
    attachment = (f"spend-{period}.xlsx", _xlsx(report), XLSX_MIME)
    people = recipients(row)
    for user in people:
        send(
            build_message(
                to=user.email,
                subject=f"[ReqFlow] Spend report {period}",
                kind="monthly_spend",
                context={
                    "user": user,
                    "period": period,
                    "report": report,
                    "top": report["groups"][:5],
                },
                attachments=[attachment],
            )
        )
    row.last_period = period
    db.session.commit()
    return len(people)


@job("reporting.monthly_spend", queue=EMAIL)
def monthly_spend() -> None:
    send_monthly_spend()
