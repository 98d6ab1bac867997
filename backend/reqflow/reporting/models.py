"""The monthly spend report's schedule: one row, edited by an Admin."""

from __future__ import annotations

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from reqflow.core.models import TimestampMixin
from reqflow.extensions import db


class ReportSchedule(TimestampMixin, db.Model):  # type: ignore[name-defined,misc]
    """When the monthly spend report goes out (day of month, hour UTC) and to whom: the listed
    users, or every active ProcurementMgr when the list is empty. ``last_period`` (YYYY-MM,
    the month reported) keeps a second run in the same month from sending it again."""

    __tablename__ = "report_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day_of_month: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    hour: Mapped[int] = mapped_column(Integer, nullable=False, default=6)
    recipient_ids: Mapped[list[int]] = mapped_column(JSON, nullable=False, default=list)
    last_period: Mapped[str | None] = mapped_column(String(7), nullable=True)
