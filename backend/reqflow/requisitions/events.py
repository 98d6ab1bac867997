"""Requisition events, named in the past tense; each one is also an audit row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from reqflow.events import DomainEvent, event_type


@dataclass(frozen=True, kw_only=True)
class _RequisitionEvent(DomainEvent):
    resource_type: ClassVar[str] = "requisition"
    req_number: str = ""
    requester_id: int = 0
    status: str = ""
    comment: str | None = None


@event_type
@dataclass(frozen=True, kw_only=True)
class RequisitionCreated(_RequisitionEvent):
    action: ClassVar[str] = "requisition.create"


@event_type
@dataclass(frozen=True, kw_only=True)
class RequisitionCopied(_RequisitionEvent):
    """A new Draft made from another requisition (its number in the comment)."""

    action: ClassVar[str] = "requisition.copy"


@event_type
@dataclass(frozen=True, kw_only=True)
class RequisitionUpdated(_RequisitionEvent):
    action: ClassVar[str] = "requisition.update"


@event_type
@dataclass(frozen=True, kw_only=True)
class RequisitionDeleted(_RequisitionEvent):
    action: ClassVar[str] = "requisition.delete"


@event_type
@dataclass(frozen=True, kw_only=True)
class RequisitionSubmitted(_RequisitionEvent):
    action: ClassVar[str] = "requisition.submit"
    over_budget: bool = False


@event_type
@dataclass(frozen=True, kw_only=True)
class RequisitionStepApproved(_RequisitionEvent):
    action: ClassVar[str] = "requisition.step_approve"


@event_type
@dataclass(frozen=True, kw_only=True)
class RequisitionApproved(_RequisitionEvent):
    action: ClassVar[str] = "requisition.approve"


@event_type
@dataclass(frozen=True, kw_only=True)
class RequisitionRejected(_RequisitionEvent):
    action: ClassVar[str] = "requisition.reject"


@event_type
@dataclass(frozen=True, kw_only=True)
class RequisitionQuestioned(_RequisitionEvent):
    action: ClassVar[str] = "requisition.question"


@event_type
@dataclass(frozen=True, kw_only=True)
class RequisitionCancelled(_RequisitionEvent):
    action: ClassVar[str] = "requisition.cancel"
