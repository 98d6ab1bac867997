"""Approval policies, steps and out-of-office delegations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reqflow.core.models import TimestampMixin, UTCDateTime, VersionedMixin
from reqflow.extensions import db
from reqflow.identity.models import User


class StepStatus(StrEnum):
    WAITING = "Waiting"
    PENDING = "Pending"
    APPROVED = "Approved"
    REJECTED = "Rejected"
    QUESTIONED = "Questioned"
    SKIPPED = "Skipped"
    CANCELLED = "Cancelled"


class StepKind(StrEnum):
    LINE_MANAGER = "line_manager"
    ROLE = "role"


class ApprovalPolicy(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    """A rule: when purpose / department / amount match, these ordered steps apply."""

    __tablename__ = "approval_policies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    priority: Mapped[int] = mapped_column(Integer, nullable=False, default=100)
    document_type: Mapped[str] = mapped_column(String(40), nullable=False, default="requisition")
    purpose: Mapped[str | None] = mapped_column(String(40), nullable=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    min_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), nullable=True)
    max_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), nullable=True)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class ApprovalStep(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    """One step of a document's chain; a Pending step is a task in its approvers' inbox."""

    __tablename__ = "approval_steps"
    __table_args__ = (
        Index("ix_approval_steps_document", "document_type", "document_id", "round", "sequence"),
        Index(
            "ix_approval_steps_pending_role",
            "role",
            "due_at",
            postgresql_where=text("status = 'Pending'"),
            sqlite_where=text("status = 'Pending'"),
        ),
        # Who sees a document as an approver, one index per reason (service.reach).
        Index("ix_approval_steps_approver_document", "approver_id", "document_type", "document_id"),
        Index(
            "ix_approval_steps_decider_document", "decided_by_id", "document_type", "document_id"
        ),
        Index(
            "ix_approval_steps_pending_approver",
            "approver_id",
            postgresql_where=text("status = 'Pending'"),
            sqlite_where=text("status = 'Pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_type: Mapped[str] = mapped_column(String(40), nullable=False)
    document_id: Mapped[int] = mapped_column(Integer, nullable=False)
    document_number: Mapped[str] = mapped_column(String(40), nullable=False)
    document_title: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    round: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    role: Mapped[str | None] = mapped_column(String(30), nullable=True)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    label: Mapped[str] = mapped_column(String(120), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    on_behalf_of: Mapped[User | None] = relationship(foreign_keys=[on_behalf_of_id])


class Delegation(TimestampMixin, db.Model):  # type: ignore[name-defined,misc]
    """Out of office: the delegate acts for the delegator from ``starts_on`` to ``ends_on``."""

    __tablename__ = "delegations"
    __table_args__ = (
        Index("ix_delegations_delegate_dates", "delegate_id", "starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delegator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    delegator: Mapped[User] = relationship(foreign_keys=[delegator_id])
    delegate: Mapped[User] = relationship(foreign_keys=[delegate_id])
