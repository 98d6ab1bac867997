"""GET/PUT /reports/schedule: when the monthly spend report is e-mailed, and to whom (Admin)."""

from __future__ import annotations

from flask_restful import Resource

from reqflow.core.envelope import ok
from reqflow.core.rbac import current_user, require_permission
from reqflow.core.schemas import load
from reqflow.reporting import schedule
from reqflow.reporting.schemas import ScheduleIn, ScheduleRead


class ReportScheduleResource(Resource):
    schemas = {
        "get": {"response": ScheduleRead, "key": "schedule"},
        "put": {"body": ScheduleIn, "response": ScheduleRead, "key": "schedule"},
    }

    @require_permission("settings", "manage")
    def get(self):
        """The monthly spend report's day of month, hour (UTC) and recipients."""
        return ok({"schedule": ScheduleRead().dump(schedule.current())}, "Report schedule")

    @require_permission("settings", "manage")
    def put(self):
        """Set the day (1–28), hour (0–23, UTC) and recipients (user ids; [] = every
        ProcurementMgr)."""
        row = schedule.update(actor=current_user(), data=load(ScheduleIn()))
        return ok({"schedule": ScheduleRead().dump(row)}, "Report schedule saved")
