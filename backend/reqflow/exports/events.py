"""Export events, named in the past tense; each one is also an audit row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from reqflow.events import DomainEvent, event_type


@dataclass(frozen=True, kw_only=True)
class _ExportEvent(DomainEvent):
    resource_type: ClassVar[str] = "export"
    kind: str = ""
    format: str = ""
    rows: int = 0


@event_type
@dataclass(frozen=True, kw_only=True)
class ExportRequested(_ExportEvent):
    action: ClassVar[str] = "export.request"


@event_type
@dataclass(frozen=True, kw_only=True)
class ExportCompleted(_ExportEvent):
    action: ClassVar[str] = "export.complete"


@event_type
@dataclass(frozen=True, kw_only=True)
class ExportFailed(_ExportEvent):
    action: ClassVar[str] = "export.fail"
    error: str = ""
