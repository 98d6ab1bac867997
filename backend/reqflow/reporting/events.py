"""Reporting events, named in the past tense; each one is also an audit row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from reqflow.events import DomainEvent, event_type


@event_type
@dataclass(frozen=True, kw_only=True)
class ReportScheduleUpdated(DomainEvent):
    """An Admin changed when the monthly spend report goes out, or to whom."""

    resource_type: ClassVar[str] = "report_schedule"
    action: ClassVar[str] = "report_schedule.update"
