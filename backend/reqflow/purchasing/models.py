"""Purchase orders and their lines; every status change goes through ``PurchaseOrder.apply``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reqflow.catalog.models import Supplier
from reqflow.core.models import UTCDateTime, VersionedMixin, utcnow
from reqflow.core.money import money
from reqflow.documents.counts import attachment_count
from reqflow.errors import InvalidTransition
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.purchasing import rfq_models as _rfq_models  # noqa: F401 - purchase_orders → rfqs

DEFAULT_TAX_RATE = Decimal("0.0500")


class POStatus(StrEnum):
    DRAFT = "Draft"
    PENDING_APPROVAL = "Pending Approval"
    APPROVED = "Approved"
    SENT = "Sent"
    PARTIALLY_RECEIVED = "Partially Received"
    RECEIVED = "Received"
    CLOSED = "Closed"
    CANCELLED = "Cancelled"


# (from, action) → to. Submitting picks "submit" or "submit_below_threshold" by the total;
# the receive_* actions belong to goods receipt (``service.apply_receipt``).
TRANSITIONS: dict[tuple[POStatus, str], POStatus] = {
    (POStatus.DRAFT, "submit"): POStatus.PENDING_APPROVAL,
    (POStatus.DRAFT, "submit_below_threshold"): POStatus.APPROVED,
    (POStatus.PENDING_APPROVAL, "approve"): POStatus.APPROVED,
    (POStatus.APPROVED, "send"): POStatus.SENT,
    (POStatus.SENT, "receive_partial"): POStatus.PARTIALLY_RECEIVED,
    (POStatus.PARTIALLY_RECEIVED, "receive_partial"): POStatus.PARTIALLY_RECEIVED,
    (POStatus.SENT, "receive_all"): POStatus.RECEIVED,
    (POStatus.PARTIALLY_RECEIVED, "receive_all"): POStatus.RECEIVED,
    (POStatus.RECEIVED, "close"): POStatus.CLOSED,
    (POStatus.DRAFT, "cancel"): POStatus.CANCELLED,
    (POStatus.PENDING_APPROVAL, "cancel"): POStatus.CANCELLED,
    (POStatus.APPROVED, "cancel"): POStatus.CANCELLED,
    # The approver sends a PO back to its buyer with a reason instead of approving it.
    (POStatus.PENDING_APPROVAL, "return"): POStatus.DRAFT,
}
# What the Warehouse sees and is told about: approved and later (not cancelled).
WAREHOUSE_VISIBLE = (
    POStatus.APPROVED,
    POStatus.SENT,
    POStatus.PARTIALLY_RECEIVED,
    POStatus.RECEIVED,
    POStatus.CLOSED,
)
# Statuses that count as committed project spend.
COMMITTED = tuple(s for s in POStatus if s != POStatus.CANCELLED)


def next_status(current: str, action: str) -> POStatus:
    """The allowed-transition table; anything else is a 409."""
    target = TRANSITIONS.get((POStatus(current), action))
    if target is None:
        verb = action.split("_")[0]
        raise InvalidTransition(
            f"Cannot {verb} a purchase order that is {current}",
            details={"status": current, "action": verb},
        )
    return target


def can(current: str, action: str) -> bool:
    return (POStatus(current), action) in TRANSITIONS


class PurchaseOrder(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "purchase_orders"
    __table_args__ = (
        Index("ix_purchase_orders_created", "created_at"),
        Index("ix_purchase_orders_status_created", "status", "created_at"),
        Index("ix_purchase_orders_supplier_created", "supplier_id", "created_at"),
        CheckConstraint("tax_rate >= 0 AND tax_rate <= 1", name="tax_rate_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    po_number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=POStatus.DRAFT)
    subtotal: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False, default=0)
    tax_rate: Mapped[Decimal] = mapped_column(
        Numeric(5, 4), nullable=False, default=DEFAULT_TAX_RATE
    )
    tax_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False, default=0)
    total_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False, default=0)
    delivery_address: Mapped[str | None] = mapped_column(Text)
    expected_delivery_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # Set when the PO came out of an RFQ award.
    rfq_id: Mapped[int | None] = mapped_column(ForeignKey("rfqs.id"), index=True)

    supplier: Mapped[Supplier] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    lines: Mapped[list[PurchaseOrderLine]] = relationship(
        back_populates="purchase_order",
        cascade="all, delete-orphan",
        order_by="PurchaseOrderLine.line_no",
    )

    def apply(self, action: str) -> tuple[str, str]:
        """Move along the state machine and stamp the time; returns (old, new) status."""
        old = self.status
        self.status = next_status(old, action)
        stamp = {
            POStatus.PENDING_APPROVAL: "submitted_at",
            POStatus.APPROVED: "approved_at",
            POStatus.SENT: "sent_at",
            POStatus.RECEIVED: "received_at",
            POStatus.CLOSED: "closed_at",
            POStatus.CANCELLED: "cancelled_at",
        }.get(POStatus(self.status))
        if stamp:
            setattr(self, stamp, utcnow())
        return old, self.status

    def recompute_totals(self) -> None:
        """Subtotal of the lines; tax = round(subtotal × rate) half-up; total = both."""
        self.subtotal = money(sum((line.line_total for line in self.lines), Decimal("0")))
        self.tax_amount = money(self.subtotal * Decimal(self.tax_rate))
        self.total_amount = money(self.subtotal + self.tax_amount)

    def audit_view(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "supplier_id": self.supplier_id,
            "subtotal": str(self.subtotal),
            "tax_rate": str(self.tax_rate),
            "tax_amount": str(self.tax_amount),
            "total_amount": str(self.total_amount),
            "delivery_address": self.delivery_address,
            "expected_delivery_date": (
                self.expected_delivery_date.isoformat() if self.expected_delivery_date else None
            ),
            "notes": self.notes,
            "lines": [line.audit_view() for line in self.lines],
        }


class PurchaseOrderLine(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint("quantity_received >= 0", name="quantity_received_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    po_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE"), nullable=False, index=True
    )
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)
    requisition_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("requisition_items.id"), index=True
    )
    # Indexed: the reports' previous price of an item is looked up among its PO lines.
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    description: Mapped[str] = mapped_column(String(500), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3), nullable=False)
    uom: Mapped[str] = mapped_column(String(20), nullable=False, default="EA")
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    line_total: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    # Updated by goods receipt (inventory); the PO status follows via service.apply_receipt.
    quantity_received: Mapped[Decimal] = mapped_column(
        Numeric(12, 3), nullable=False, default=Decimal("0")
    )
    # Rejected at acceptance and returned to the supplier (inventory keeps it); the part of it
    # the supplier credited instead of replacing (accounting keeps it).
    quantity_returned: Mapped[Decimal] = mapped_column(
        Numeric(12, 3), nullable=False, default=Decimal("0"), server_default="0"
    )
    quantity_credited: Mapped[Decimal] = mapped_column(
        Numeric(12, 3), nullable=False, default=Decimal("0"), server_default="0"
    )

    purchase_order: Mapped[PurchaseOrder] = relationship(back_populates="lines")

    @property
    def quantity_net(self) -> Decimal:
        """Received minus returned to the supplier: what the invoice is matched against."""
        return Decimal(self.quantity_received or 0) - Decimal(self.quantity_returned or 0)

    @property
    def quantity_replaceable(self) -> Decimal:
        """Returned and not credited: the supplier owes a replacement that may be received."""
        return Decimal(self.quantity_returned or 0) - Decimal(self.quantity_credited or 0)

    @property
    def quantity_open(self) -> Decimal:
        """Still to arrive: ordered less received, plus returned goods to be replaced."""
        left = Decimal(self.quantity) - Decimal(self.quantity_received or 0)
        return max(left + self.quantity_replaceable, Decimal("0"))

    def audit_view(self) -> dict[str, Any]:
        return {
            "line_no": self.line_no,
            "requisition_item_id": self.requisition_item_id,
            "description": self.description,
            "quantity": str(self.quantity),
            "unit_price": str(self.unit_price),
            "line_total": str(self.line_total),
        }


class SourcingRun(db.Model):  # type: ignore[name-defined,misc]
    """One row per requisition sourced after approval: makes the handler run once."""

    __tablename__ = "sourcing_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requisition_id: Mapped[int] = mapped_column(
        ForeignKey("requisitions.id"), unique=True, nullable=False
    )
    event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    po_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    unsourced_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


# The paperclip in lists (undeferred by the list for its page's rows only).
PurchaseOrder.attachment_count = attachment_count("purchase_order", PurchaseOrder.id)
