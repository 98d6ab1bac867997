"""Requisition and its items; every status change goes through ``Requisition.apply``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship
from sqlalchemy.orm.attributes import instance_state

from reqflow.approvals.models import ApprovalStep
from reqflow.catalog.models import Item, Supplier
from reqflow.core.models import UTCDateTime, VersionedMixin
from reqflow.core.versioning import register_child
from reqflow.documents.counts import attachment_count
from reqflow.errors import InvalidTransition
from reqflow.extensions import db
from reqflow.identity.models import Department, User
from reqflow.projects.models import Project


class Status(StrEnum):
    DRAFT = "Draft"
    SUBMITTED = "Submitted"
    UNDER_REVIEW = "Under Review"
    APPROVED = "Approved"
    REJECTED = "Rejected"
    QUESTIONED = "Questioned"
    CANCELLED = "Cancelled"


class Purpose(StrEnum):
    DAILY = "Daily Operations"
    PROJECT = "Project-Specific"


# (from, action) → to. "advance" is an approval of a step that is not the last one.
TRANSITIONS: dict[tuple[Status, str], Status] = {
    (Status.DRAFT, "submit"): Status.SUBMITTED,
    (Status.QUESTIONED, "submit"): Status.SUBMITTED,
    (Status.SUBMITTED, "advance"): Status.UNDER_REVIEW,
    (Status.UNDER_REVIEW, "advance"): Status.UNDER_REVIEW,
    (Status.SUBMITTED, "approve"): Status.APPROVED,
    (Status.UNDER_REVIEW, "approve"): Status.APPROVED,
    (Status.SUBMITTED, "reject"): Status.REJECTED,
    (Status.UNDER_REVIEW, "reject"): Status.REJECTED,
    (Status.SUBMITTED, "question"): Status.QUESTIONED,
    (Status.UNDER_REVIEW, "question"): Status.QUESTIONED,
    (Status.DRAFT, "cancel"): Status.CANCELLED,
    (Status.QUESTIONED, "cancel"): Status.CANCELLED,
}
EDITABLE = (Status.DRAFT, Status.QUESTIONED)
TERMINAL = (Status.APPROVED, Status.REJECTED, Status.CANCELLED)


def next_status(current: str, action: str) -> Status:
    """The allowed-transition table; anything else is a 409."""
    target = TRANSITIONS.get((Status(current), action))
    if target is None:
        raise InvalidTransition(
            f"Cannot {action} a requisition that is {current}",
            details={"status": current, "action": action},
        )
    return target


class Requisition(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "requisitions"
    __table_args__ = (
        Index("ix_requisitions_requester_created", "requester_id", "created_at"),
        # The default list order (-created_at, -id) walks this index backwards.
        Index("ix_requisitions_created_id", "created_at", "id"),
        Index("ix_requisitions_status_created", "status", "created_at"),
        Index("ix_requisitions_department_created", "department_id", "created_at"),
        Index(
            "ix_requisitions_open",
            "submitted_at",
            postgresql_where=text("status IN ('Submitted', 'Under Review')"),
            sqlite_where=text("status IN ('Submitted', 'Under Review')"),
        ),
        Index(
            "ix_requisitions_justification_trgm",
            "justification",
            postgresql_using="gin",
            postgresql_ops={"justification": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    req_number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    purpose: Mapped[str] = mapped_column(String(30), nullable=False)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    needed_by: Mapped[date | None] = mapped_column(Date)
    justification: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=Status.DRAFT)
    total_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False, default=0)
    over_budget: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    department: Mapped[Department | None] = relationship()
    project: Mapped[Project | None] = relationship()
    items: Mapped[list[RequisitionItem]] = relationship(
        back_populates="requisition",
        cascade="all, delete-orphan",
        order_by="RequisitionItem.line_no",
    )

    def apply(self, action: str) -> tuple[str, str]:
        """Move along the state machine; returns (old, new) status."""
        old = self.status
        self.status = next_status(old, action)
        return old, self.status

    def recompute_total(self) -> None:
        self.total_amount = sum((i.line_total for i in self.items), Decimal("0.00"))


class RequisitionItem(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "requisition_items"
    __table_args__ = (
        Index(
            "ix_requisition_items_description_trgm",
            "description",
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        ),
        Index(
            "ix_requisition_items_unsourced",
            "requisition_id",
            postgresql_where=text("po_line_id IS NULL"),
            sqlite_where=text("po_line_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requisition_id: Mapped[int] = mapped_column(
        ForeignKey("requisitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)
    description: Mapped[str] = mapped_column(String(500), nullable=False)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3), nullable=False)
    uom: Mapped[str] = mapped_column(String(20), nullable=False, default="EA")
    estimated_unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    line_total: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    suggested_supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    # Sourcing state: which PO line covers this item (set by purchasing through events).
    po_line_id: Mapped[int | None] = mapped_column(Integer)
    sourcing_status: Mapped[str] = mapped_column(String(20), nullable=False, default="Unsourced")

    requisition: Mapped[Requisition] = relationship(back_populates="items")
    suggested_supplier: Mapped[Supplier | None] = relationship()
    catalog_item: Mapped[Item | None] = relationship()


# The list shows how many lines a requisition has without loading them.
Requisition.item_count = column_property(
    select(func.count(RequisitionItem.id))
    .where(RequisitionItem.requisition_id == Requisition.id)
    .correlate_except(RequisitionItem)
    .scalar_subquery(),
    deferred=True,
)


def _chain_owner(step: ApprovalStep) -> tuple[type, int] | None:
    """A requisition's approval chain is part of it: a step added or moved to another status
    (activated, decided, cancelled) moves the requisition's version; reminders do not."""
    if step.document_type != "requisition":
        return None
    state = instance_state(step)
    if state.key is not None and not state.attrs.status.history.has_changes():
        return None
    return Requisition, step.document_id


register_child(ApprovalStep, _chain_owner)

# The paperclip in lists (undeferred by the list for its page's rows only).
Requisition.attachment_count = attachment_count("requisition", Requisition.id)
