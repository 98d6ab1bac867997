"""Storage locations and goods receipts (GRN); the stock itself lives in ``ledger``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    cast,
    func,
    literal,
    text,
)
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reqflow.catalog.models import Item
from reqflow.core.models import UTCDateTime, VersionedMixin, utcnow
from reqflow.documents.counts import attachment_count
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.purchasing.models import PurchaseOrder, PurchaseOrderLine

LOCATION_CODE = r"^[A-Z]-\d{2}-\d{2}$"


class StockStatus(StrEnum):
    PENDING = "Pending Acceptance"
    AVAILABLE = "Available"


class LineStatus(StrEnum):
    """A receipt line: waiting for its requester, accepted, returned, or stocked at once
    (goods nobody requisitioned need no acceptance)."""

    PENDING = "Pending Acceptance"
    ACCEPTED = "Accepted"
    RETURNED = "Returned"
    PARTIALLY_RETURNED = "Partially Returned"
    STOCKED = "Stocked"


class ReceiptStatus(StrEnum):
    PENDING = "Pending Acceptance"
    ACCEPTED = "Accepted"
    PARTIALLY_REJECTED = "Partially Rejected"
    REJECTED = "Rejected"


class Condition(StrEnum):
    GOOD = "Good"
    DAMAGED = "Damaged"


class StorageLocation(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "storage_locations"
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    capacity: Mapped[Decimal | None] = mapped_column(Numeric(12, 3), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    def audit_view(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "capacity": None if self.capacity is None else str(self.capacity),
            "is_active": self.is_active,
        }


class GoodsReceipt(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "goods_receipts"
    __table_args__ = (
        Index("ix_goods_receipts_po_created", "po_id", "created_at"),
        Index("ix_goods_receipts_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grn_number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    po_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    received_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    # The supplier's delivery note (packing slip) and the day the goods arrived by it.
    delivery_note_number: Mapped[str | None] = mapped_column(String(60))
    receipt_date: Mapped[date | None] = mapped_column(Date)

    purchase_order: Mapped[PurchaseOrder] = relationship()
    received_by: Mapped[User] = relationship()
    lines: Mapped[list[GoodsReceiptLine]] = relationship(
        back_populates="receipt", cascade="all, delete-orphan", order_by="GoodsReceiptLine.id"
    )

    def refresh_status(self) -> tuple[str, str]:
        """The receipt's status follows its lines; returns (old, new)."""
        old = self.status
        states = {line.status for line in self.lines}
        if LineStatus.PENDING in states:
            self.status = ReceiptStatus.PENDING
        elif states == {LineStatus.RETURNED}:
            self.status = ReceiptStatus.REJECTED
        elif states & {LineStatus.RETURNED, LineStatus.PARTIALLY_RETURNED}:
            self.status = ReceiptStatus.PARTIALLY_REJECTED
        else:
            self.status = ReceiptStatus.ACCEPTED
        return old, self.status

    def requester_ids(self) -> list[int]:
        return sorted({line.requester_id for line in self.lines if line.requester_id})


class GoodsReceiptLine(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "goods_receipt_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "rejected_quantity >= 0 AND rejected_quantity <= quantity",
            name="rejected_quantity_in_range",
        ),
        Index("ix_goods_receipt_lines_requester_status", "requester_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_id: Mapped[int] = mapped_column(
        ForeignKey("goods_receipts.id", ondelete="CASCADE"), nullable=False, index=True
    )
    po_line_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_order_lines.id"), nullable=False, index=True
    )
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    stock_key: Mapped[str] = mapped_column(String(40), nullable=False)
    description: Mapped[str] = mapped_column(String(500), nullable=False)
    uom: Mapped[str] = mapped_column(String(20), nullable=False, default="EA")
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3), nullable=False)
    condition: Mapped[str] = mapped_column(String(10), nullable=False, default=Condition.GOOD)
    location_id: Mapped[int] = mapped_column(ForeignKey("storage_locations.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    # The requester of the requisition this PO line came from: who accepts or rejects it.
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reject_reason: Mapped[str | None] = mapped_column(Text)
    # How much of the line the requester rejected (returned to the supplier); the rest of a
    # decided line was accepted.
    rejected_quantity: Mapped[Decimal] = mapped_column(
        Numeric(12, 3), nullable=False, default=Decimal("0"), server_default="0"
    )

    @property
    def accepted_quantity(self) -> Decimal:
        if self.status in (LineStatus.PENDING, LineStatus.STOCKED):
            return Decimal("0")
        return Decimal(self.quantity) - Decimal(self.rejected_quantity or 0)

    receipt: Mapped[GoodsReceipt] = relationship(back_populates="lines")
    po_line: Mapped[PurchaseOrderLine] = relationship()
    location: Mapped[StorageLocation] = relationship()


class LowStockAlert(db.Model):  # type: ignore[name-defined,misc]
    """One row per item and day: the low-stock check tells Procurement once a day."""

    __tablename__ = "low_stock_alerts"
    __table_args__ = (
        UniqueConstraint("item_id", "alert_date", name="uq_low_stock_alerts_item_day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), nullable=False)
    alert_date: Mapped[date] = mapped_column(Date, nullable=False)
    available: Mapped[Decimal] = mapped_column(Numeric(12, 3), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


def _text(column: Any) -> Any:
    return func.coalesce(column, literal(""))


# Inventory search is full-text over item SKU, name and description. Queries use
# ``ITEM_DOCUMENT @@ to_tsquery('simple', …)``; on PostgreSQL a GIN index on the same expression
# serves them (created in migration 0005; the trigram index of 0002 keeps serving the catalog's
# ILIKE search). The 'simple' configuration does not stem: SKUs and part numbers stay
# searchable as written, with a prefix match per word; punctuation is turned into spaces first,
# or the parser would read "BRG-6204-2RS" as "brg", "-6204", "-2" and "rs".
ITEM_DOCUMENT = func.to_tsvector(
    cast(literal("simple"), REGCONFIG),
    func.regexp_replace(
        _text(Item.sku) + literal(" ") + _text(Item.name) + literal(" ") + _text(Item.description),
        literal("[^[:alnum:]]+"),
        literal(" "),
        literal("g"),
    ),
)
# The index as PostgreSQL renders it back, so that autogenerate compares it as unchanged.
ITEM_DOCUMENT_INDEXED = (
    "to_tsvector('simple'::regconfig, regexp_replace((((COALESCE(sku, ''::character varying)"
    "::text || ' '::text) || COALESCE(name, ''::character varying)::text) || ' '::text) "
    "|| COALESCE(description, ''::text), '[^[:alnum:]]+'::text, ' '::text, 'g'::text))"
)
Item.__table__.append_constraint(
    Index("ix_items_search_tsv", text(ITEM_DOCUMENT_INDEXED), postgresql_using="gin").ddl_if(
        dialect="postgresql"
    )
)

# The paperclip in lists (undeferred by the list for its page's rows only).
GoodsReceipt.attachment_count = attachment_count("goods_receipt", GoodsReceipt.id)
