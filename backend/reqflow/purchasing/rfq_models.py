"""Requests for quotation: lines from the sourcing queue, invited suppliers, their quotes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reqflow.catalog.models import Supplier
from reqflow.core.models import VersionedMixin
from reqflow.documents.counts import attachment_count
from reqflow.errors import InvalidTransition
from reqflow.extensions import db
from reqflow.identity.models import User


class RfqStatus(StrEnum):
    DRAFT = "Draft"
    SENT = "Sent"
    CLOSED = "Closed"
    AWARDED = "Awarded"
    CANCELLED = "Cancelled"


RFQ_TRANSITIONS: dict[tuple[RfqStatus, str], RfqStatus] = {
    (RfqStatus.DRAFT, "send"): RfqStatus.SENT,
    (RfqStatus.SENT, "close"): RfqStatus.CLOSED,
    (RfqStatus.SENT, "award"): RfqStatus.AWARDED,
    (RfqStatus.CLOSED, "award"): RfqStatus.AWARDED,
    (RfqStatus.DRAFT, "cancel"): RfqStatus.CANCELLED,
    (RfqStatus.SENT, "cancel"): RfqStatus.CANCELLED,
    (RfqStatus.CLOSED, "cancel"): RfqStatus.CANCELLED,
}
OPEN = (RfqStatus.DRAFT, RfqStatus.SENT, RfqStatus.CLOSED)


class Rfq(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "rfqs"
    __table_args__ = (Index("ix_rfqs_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rfq_number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=RfqStatus.DRAFT)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    due_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship()
    lines: Mapped[list[RfqLine]] = relationship(
        back_populates="rfq", cascade="all, delete-orphan", order_by="RfqLine.line_no"
    )
    suppliers: Mapped[list[RfqSupplier]] = relationship(
        back_populates="rfq", cascade="all, delete-orphan", order_by="RfqSupplier.id"
    )
    quotes: Mapped[list[RfqQuote]] = relationship(
        back_populates="rfq", cascade="all, delete-orphan", order_by="RfqQuote.id"
    )

    def apply(self, action: str) -> tuple[str, str]:
        old = self.status
        target = RFQ_TRANSITIONS.get((RfqStatus(old), action))
        if target is None:
            raise InvalidTransition(
                f"Cannot {action} an RFQ that is {old}",
                details={"status": old, "action": action},
            )
        self.status = target
        return old, target


class RfqLine(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "rfq_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rfq_id: Mapped[int] = mapped_column(
        ForeignKey("rfqs.id", ondelete="CASCADE"), nullable=False, index=True
    )
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)
    requisition_item_id: Mapped[int] = mapped_column(
        ForeignKey("requisition_items.id"), nullable=False, index=True
    )
    description: Mapped[str] = mapped_column(String(500), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3), nullable=False)
    uom: Mapped[str] = mapped_column(String(20), nullable=False, default="EA")
    awarded_supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))

    rfq: Mapped[Rfq] = relationship(back_populates="lines")


class RfqSupplier(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "rfq_suppliers"
    __table_args__ = (
        UniqueConstraint("rfq_id", "supplier_id", name="uq_rfq_suppliers_rfq_supplier"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rfq_id: Mapped[int] = mapped_column(ForeignKey("rfqs.id", ondelete="CASCADE"), nullable=False)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), nullable=False, index=True)

    rfq: Mapped[Rfq] = relationship(back_populates="suppliers")
    supplier: Mapped[Supplier] = relationship()


class RfqQuote(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "rfq_quotes"
    __table_args__ = (
        UniqueConstraint("supplier_id", "rfq_line_id", name="uq_rfq_quotes_supplier_line"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint("lead_time_days >= 0", name="lead_time_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rfq_id: Mapped[int] = mapped_column(
        ForeignKey("rfqs.id", ondelete="CASCADE"), nullable=False, index=True
    )
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), nullable=False)
    rfq_line_id: Mapped[int] = mapped_column(
        ForeignKey("rfq_lines.id", ondelete="CASCADE"), nullable=False, index=True
    )
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    lead_time_days: Mapped[int] = mapped_column(Integer, nullable=False)
    valid_until: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    rfq: Mapped[Rfq] = relationship(back_populates="quotes")


# The paperclip in lists (undeferred by the list for its page's rows only).
Rfq.attachment_count = attachment_count("rfq", Rfq.id)
