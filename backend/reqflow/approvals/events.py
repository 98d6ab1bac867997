from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from reqflow.events import DomainEvent, event_type


@event_type
@dataclass(frozen=True, kw_only=True)
class ApprovalStepAssigned(DomainEvent):
    """A step reached its approvers (notify them)."""

    resource_type: ClassVar[str] = "approval_step"
    action: ClassVar[str] = "approval.step_assigned"
    document_type: str = ""
    document_id: int = 0
    document_number: str = ""
    role: str | None = None
    approver_ids: list[int] = field(default_factory=list)


@event_type
@dataclass(frozen=True, kw_only=True)
class ApprovalPoliciesChanged(DomainEvent):
    resource_type: ClassVar[str] = "approval_policy"
    action: ClassVar[str] = "approval_policy.replace"


@event_type
@dataclass(frozen=True, kw_only=True)
class DelegationCreated(DomainEvent):
    resource_type: ClassVar[str] = "delegation"
    action: ClassVar[str] = "delegation.create"


@event_type
@dataclass(frozen=True, kw_only=True)
class DelegationCancelled(DomainEvent):
    resource_type: ClassVar[str] = "delegation"
    action: ClassVar[str] = "delegation.cancel"


@event_type
@dataclass(frozen=True, kw_only=True)
class ApprovalStepOverdue(DomainEvent):
    """A pending step passed its due time: its approvers get a reminder."""

    resource_type: ClassVar[str] = "approval_step"
    action: ClassVar[str] = "approval.reminder"
    document_id: int = 0
    document_number: str = ""
    approver_ids: list[int] = field(default_factory=list)


@event_type
@dataclass(frozen=True, kw_only=True)
class ApprovalStepEscalated(DomainEvent):
    """Still pending a period after the reminder: the step's role manager is told."""

    resource_type: ClassVar[str] = "approval_step"
    action: ClassVar[str] = "approval.escalate"
    document_id: int = 0
    document_number: str = ""
    escalated_to: list[int] = field(default_factory=list)
