"""The monthly spend report's schedule as a use case: read it (never writes: the defaults —
the 1st at 06:00 UTC, every ProcurementMgr — until an Admin saves one) and change it
(validated, audited, an event)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from reqflow.errors import Forbidden, ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.reporting.events import ReportScheduleUpdated
from reqflow.reporting.models import ReportSchedule

DEFAULTS = {"day_of_month": 1, "hour": 6, "recipient_ids": []}
FIELDS = tuple(DEFAULTS)


def current() -> ReportSchedule:
    """The saved schedule, or an unsaved one holding the defaults."""
    row = db.session.get(ReportSchedule, 1)
    return row if row is not None else ReportSchedule(id=1, last_period=None, **DEFAULTS)


def locked() -> ReportSchedule:
    row = db.session.get(ReportSchedule, 1, with_for_update=True, populate_existing=True)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = ReportSchedule(id=1, **DEFAULTS)
            db.session.add(row)
    except IntegrityError:  # a concurrent first save created it: take it, locked
        row = db.session.get(ReportSchedule, 1, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


def _check_recipients(ids: list[int]) -> None:
    if not ids:
        return
    found = db.session.scalar(
        select(func.count(User.id)).where(User.id.in_(ids), User.is_active.is_(True))
    )
    if found != len(ids):
        raise ValidationFailed(
            "Invalid recipients", details={"recipient_ids": ["Unknown or inactive user."]}
        )


def update(*, actor: User, data: dict[str, Any]) -> ReportSchedule:
    """Set the day (1–28), hour (0–23, UTC) and recipients (user ids; [] = every
    ProcurementMgr); records ``ReportScheduleUpdated`` with the old and new values."""
    if not actor.can("settings", "manage"):
        raise Forbidden("You do not have permission to do this")
    ids = sorted(set(data["recipient_ids"]))
    _check_recipients(ids)
    row = locked()
    old = {f: getattr(row, f) for f in FIELDS}
    row.day_of_month, row.hour, row.recipient_ids = data["day_of_month"], data["hour"], ids
    new = {f: getattr(row, f) for f in FIELDS}
    record(ReportScheduleUpdated(actor_id=actor.id, resource_id=1, old_values=old, new_values=new))
    db.session.commit()
    return row
