"""Project events: every project change is audited through these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from reqflow.events import DomainEvent, event_type


@dataclass(frozen=True, kw_only=True)
class _ProjectEvent(DomainEvent):
    resource_type: ClassVar[str] = "project"


@event_type
@dataclass(frozen=True, kw_only=True)
class ProjectCreated(_ProjectEvent):
    action: ClassVar[str] = "project.create"


@event_type
@dataclass(frozen=True, kw_only=True)
class ProjectUpdated(_ProjectEvent):
    action: ClassVar[str] = "project.update"
