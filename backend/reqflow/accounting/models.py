"""Supplier invoices, their lines and payments; every invoice status change goes through
``Invoice.apply`` (the TRANSITIONS table)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
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
from reqflow.core.models import TimestampMixin, UTCDateTime, VersionedMixin, utcnow
from reqflow.documents.counts import attachment_count
from reqflow.errors import InvalidTransition
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.purchasing.models import PurchaseOrder, PurchaseOrderLine


class InvoiceStatus(StrEnum):
    RECEIVED = "Received"
    MATCHED = "Matched"
    EXCEPTION = "Exception"
    APPROVED = "Approved"
    PARTIALLY_PAID = "Partially Paid"
    PAID = "Paid"
    VOID = "Void"


S = InvoiceStatus
# (from, action) → to. "match" / "except" are the three-way match outcome (on record and on
# rematch); "approve_override" approves an Exception with a reason; "void" before any payment.
TRANSITIONS: dict[tuple[InvoiceStatus, str], InvoiceStatus] = {
    **{(s, "match"): S.MATCHED for s in (S.RECEIVED, S.MATCHED, S.EXCEPTION)},
    **{(s, "except"): S.EXCEPTION for s in (S.RECEIVED, S.MATCHED, S.EXCEPTION)},
    (S.MATCHED, "approve"): S.APPROVED,
    (S.EXCEPTION, "approve_override"): S.APPROVED,
    (S.APPROVED, "pay_partial"): S.PARTIALLY_PAID,
    (S.PARTIALLY_PAID, "pay_partial"): S.PARTIALLY_PAID,
    (S.APPROVED, "pay_full"): S.PAID,
    (S.PARTIALLY_PAID, "pay_full"): S.PAID,
    **{(s, "void"): S.VOID for s in (S.RECEIVED, S.MATCHED, S.EXCEPTION, S.APPROVED)},
}
# Approved and not fully paid: what AP aging and the overdue gauge count.
PAYABLE = (S.APPROVED, S.PARTIALLY_PAID)
# Not paid and not void: what "due" and the ``overdue`` filter look at.
UNPAID = (S.RECEIVED, S.MATCHED, S.EXCEPTION, S.APPROVED, S.PARTIALLY_PAID)


class PaymentMethod(StrEnum):
    BANK_TRANSFER = "Bank Transfer"
    CHECK = "Check"
    CARD = "Card"
    CASH = "Cash"


def next_status(current: str, action: str) -> InvoiceStatus:
    """The allowed-transition table; anything else is a 409."""
    target = TRANSITIONS.get((InvoiceStatus(current), action))
    if target is None:
        verb = {"except": "match", "approve_override": "approve"}.get(action, action)
        verb = verb.split("_")[0]
        raise InvalidTransition(
            f"Cannot {verb} an invoice that is {current}",
            details={"status": current, "action": verb},
        )
    return target


def can(current: str, action: str) -> bool:
    return (InvoiceStatus(current), action) in TRANSITIONS


class Invoice(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("supplier_id", "invoice_number", name="uq_invoices_supplier_number"),
        Index("ix_invoices_status_due", "status", "due_date"),
        Index("ix_invoices_supplier_created", "supplier_id", "created_at"),
        Index("ix_invoices_created", "created_at"),
        CheckConstraint("amount_paid >= 0 AND amount_paid <= total_amount", name="paid_in_range"),
        CheckConstraint("due_date >= invoice_date", name="due_after_invoice"),
        CheckConstraint(
            "credited_amount >= 0 AND credited_amount + amount_paid <= total_amount",
            name="credited_in_range",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inv_number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    # The supplier's own invoice number: unique per supplier.
    invoice_number: Mapped[str] = mapped_column(String(60), nullable=False)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), nullable=False)
    po_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=S.RECEIVED)
    invoice_date: Mapped[date] = mapped_column(Date, nullable=False)
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    subtotal: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False, default=0)
    tax_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False, default=0)
    total_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False, default=0)
    amount_paid: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False, default=0)
    # Supplier credit notes (on returns to the supplier) applied to this invoice: they reduce
    # what is still to pay (``balance_due``) without changing what was invoiced.
    credited_amount: Mapped[Decimal] = mapped_column(
        Numeric(12, 2), nullable=False, default=Decimal("0"), server_default="0"
    )
    # The PO's tax on this invoice's subtotal (subtotal × PO tax rate, half-up to the cent):
    # the tax the supplier charged (``tax_amount``) is matched against it (TAX_MISMATCH).
    expected_tax_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # Invoice-level match outcome (beside each line's): [] or [{"code", "message", …}].
    match_reasons: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, nullable=False, default=list, server_default="[]"
    )
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    matched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    override_reason: Mapped[str | None] = mapped_column(Text)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    void_reason: Mapped[str | None] = mapped_column(Text)
    # Set by the "invoice due" job: Accountants are told once per invoice.
    due_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    supplier: Mapped[Supplier] = relationship()
    purchase_order: Mapped[PurchaseOrder] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="InvoiceLine.line_no"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="invoice", order_by="Payment.id", viewonly=True
    )

    @property
    def balance_due(self) -> Decimal:
        paid = Decimal(self.amount_paid or 0) + Decimal(self.credited_amount or 0)
        return Decimal(self.total_amount) - paid

    def apply(self, action: str) -> tuple[str, str]:
        """Move along the state machine and stamp the time; returns (old, new) status."""
        old = self.status
        self.status = next_status(old, action)
        stamp = {
            S.MATCHED: "matched_at",
            S.APPROVED: "approved_at",
            S.PAID: "paid_at",
            S.VOID: "voided_at",
        }.get(InvoiceStatus(self.status))
        if stamp:
            setattr(self, stamp, utcnow())
        return old, self.status

    def audit_view(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "invoice_number": self.invoice_number,
            "po_id": self.po_id,
            "invoice_date": self.invoice_date.isoformat(),
            "due_date": self.due_date.isoformat(),
            "subtotal": str(self.subtotal),
            "tax_amount": str(self.tax_amount),
            "total_amount": str(self.total_amount),
            "lines": [line.audit_view() for line in self.lines],
        }


class InvoiceLine(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "invoice_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False, index=True
    )
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)
    po_line_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_order_lines.id"), nullable=False, index=True
    )
    description: Mapped[str] = mapped_column(String(500), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3), nullable=False)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    line_total: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    # Three-way match outcome: [] when the line matches, else
    # [{"code", "message", "expected", "actual"}, …].
    match_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")
    po_line: Mapped[PurchaseOrderLine] = relationship()

    @property
    def matched(self) -> bool:
        return not self.match_reasons

    def audit_view(self) -> dict[str, Any]:
        return {
            "po_line_id": self.po_line_id,
            "quantity": str(self.quantity),
            "unit_price": str(self.unit_price),
            "line_total": str(self.line_total),
        }


class Payment(TimestampMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_payments_supplier_paid_on", "supplier_id", "paid_on"),
        Index("ix_payments_paid_on", "paid_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), nullable=False, index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    paid_on: Mapped[date] = mapped_column(Date, nullable=False)
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    reference: Mapped[str | None] = mapped_column(String(100))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    invoice: Mapped[Invoice] = relationship(back_populates="payments")
    supplier: Mapped[Supplier] = relationship()
    recorded_by: Mapped[User] = relationship()


# The paperclip in lists (undeferred by the list for its page's rows only).
Invoice.attachment_count = attachment_count("invoice", Invoice.id)
