"""Returns to the supplier (RTV-…): raised when a requester rejects received goods, followed
by the buyer until the supplier credits or replaces them. Every status change goes through
``SupplierReturn.apply`` (the TRANSITIONS table)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reqflow.core.models import UTCDateTime, VersionedMixin, utcnow
from reqflow.errors import InvalidTransition
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.inventory.models import GoodsReceipt, GoodsReceiptLine
from reqflow.purchasing.models import PurchaseOrder, PurchaseOrderLine


class ReturnStatus(StrEnum):
    PENDING = "Pending"
    SHIPPED = "Shipped Back"
    CREDITED = "Credited"
    REPLACED = "Replaced"


R = ReturnStatus
# (from, action) → to. A return is shipped back, then settled by the supplier's credit note
# or by replacement goods (received against the returned quantity).
TRANSITIONS: dict[tuple[ReturnStatus, str], ReturnStatus] = {
    (R.PENDING, "ship"): R.SHIPPED,
    (R.SHIPPED, "credit"): R.CREDITED,
    (R.SHIPPED, "replace"): R.REPLACED,
}
OPEN = (R.PENDING, R.SHIPPED)


def next_status(current: str, action: str) -> ReturnStatus:
    target = TRANSITIONS.get((ReturnStatus(current), action))
    if target is None:
        raise InvalidTransition(
            f"Cannot {action} a return that is {current}",
            details={"status": current, "action": action},
        )
    return target


def can(current: str, action: str) -> bool:
    return (ReturnStatus(current), action) in TRANSITIONS


class SupplierReturn(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "supplier_returns"
    __table_args__ = (
        Index("ix_supplier_returns_po_created", "po_id", "created_at"),
        Index("ix_supplier_returns_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rtv_number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    po_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), nullable=False)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("goods_receipts.id"), nullable=False)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=R.PENDING)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The supplier's credit note (Credited): its number, its amount, the invoice it reduced.
    credit_note_number: Mapped[str | None] = mapped_column(String(60))
    credit_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    credited_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    comment: Mapped[str | None] = mapped_column(Text)

    purchase_order: Mapped[PurchaseOrder] = relationship()
    receipt: Mapped[GoodsReceipt] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    lines: Mapped[list[SupplierReturnLine]] = relationship(
        back_populates="supplier_return",
        cascade="all, delete-orphan",
        order_by="SupplierReturnLine.id",
    )

    def apply(self, action: str) -> tuple[str, str]:
        """Move along the state machine and stamp the time; returns (old, new) status."""
        old = self.status
        self.status = next_status(old, action)
        if self.status == R.SHIPPED:
            self.shipped_at = utcnow()
        else:
            self.settled_at = utcnow()
        return old, self.status

    def audit_view(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "po_id": self.po_id,
            "receipt_id": self.receipt_id,
            "lines": [
                {"po_line_id": x.po_line_id, "quantity": str(x.quantity), "reason": x.reason}
                for x in self.lines
            ],
        }


class SupplierReturnLine(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "supplier_return_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("supplier_returns.id", ondelete="CASCADE"), nullable=False, index=True
    )
    receipt_line_id: Mapped[int] = mapped_column(
        ForeignKey("goods_receipt_lines.id"), nullable=False
    )
    po_line_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_order_lines.id"), nullable=False, index=True
    )
    description: Mapped[str] = mapped_column(String(500), nullable=False)
    uom: Mapped[str] = mapped_column(String(20), nullable=False, default="EA")
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)

    supplier_return: Mapped[SupplierReturn] = relationship(back_populates="lines")
    receipt_line: Mapped[GoodsReceiptLine] = relationship()
    po_line: Mapped[PurchaseOrderLine] = relationship()
