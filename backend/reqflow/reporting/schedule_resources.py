"""GET/PUT /reports/schedule: when the monthly spend report is e-mailed, and to whom (Admin)."""

from __future__ import annotations

from flask_restful import Resource
from sqlalchemy import func, select

from reqflow.core.envelope import ok
from reqflow.core.rbac import require_permission
from reqflow.core.schemas import load
from reqflow.errors import ValidationFailed
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.reporting.monthly import schedule
from reqflow.reporting.schemas import ScheduleIn, ScheduleRead


class ReportScheduleResource(Resource):
    schemas = {
        "get": {"response": ScheduleRead, "key": "schedule"},
        "put": {"body": ScheduleIn, "response": ScheduleRead, "key": "schedule"},
    }

    @require_permission("settings", "manage")
    def get(self):
        """The monthly spend report's day of month, hour (UTC) and recipients."""
        row = schedule()
        db.session.commit()
        return ok({"schedule": ScheduleRead().dump(row)}, "Report schedule")

    @require_permission("settings", "manage")
    def put(self):
        """Set the day (1–28), hour (0–23, UTC) and recipients (user ids; [] = every
        ProcurementMgr)."""
        data = load(ScheduleIn())
        ids = sorted(set(data["recipient_ids"]))
        if ids:
            found = db.session.scalar(
                select(func.count(User.id)).where(User.id.in_(ids), User.is_active.is_(True))
            )
            if found != len(ids):
                raise ValidationFailed(
                    "Invalid recipients", details={"recipient_ids": ["Unknown or inactive user."]}
                )
        row = schedule()
        row.day_of_month, row.hour, row.recipient_ids = data["day_of_month"], data["hour"], ids
        db.session.commit()
        return ok({"schedule": ScheduleRead().dump(row)}, "Report schedule saved")
