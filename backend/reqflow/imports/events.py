"""Import events: one audit entry per committed import, with its counts and file hash."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from reqflow.events import DomainEvent, event_type


@event_type
@dataclass(frozen=True, kw_only=True)
class ImportCommitted(DomainEvent):
    resource_type: ClassVar[str] = "import"
    action: ClassVar[str] = "import.commit"


@event_type
@dataclass(frozen=True, kw_only=True)
class ImportFailed(DomainEvent):
    resource_type: ClassVar[str] = "import"
    action: ClassVar[str] = "import.fail"
