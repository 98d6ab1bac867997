"""The stock ledger: every stock change is an appended row; balances follow in the same
transaction and never go negative.

Stock is keyed by ``stock_key``: ``item:<id>`` for catalog items, ``po-line:<id>`` for goods
ordered without a catalog item (a free-text line is its own stock, traceable to its order;
keying by description would merge unrelated goods that happen to share a text).

One ``stock_balances`` row per (stock_key, location, status) holds the running total. Each
movement updates it with ``UPDATE … SET quantity = quantity + :d WHERE quantity + :d >= 0``:
the row lock serialises concurrent writers and the condition is re-checked on the locked row,
so two withdrawals racing for the last units cannot both succeed. Rows are touched in key
order, so multi-row movements (transfers, acceptance) cannot deadlock each other. The ledger
row is inserted in the same transaction, so a balance always equals the sum of its ledger.
On PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE on ``stock_ledger``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from reqflow.core.models import UTCDateTime, utcnow
from reqflow.core.money import quantity
from reqflow.errors import Conflict
from reqflow.extensions import db


class EntryType(StrEnum):
    RECEIPT = "receipt"
    ACCEPT = "accept"
    ISSUE = "issue"
    TRANSFER = "transfer"
    ADJUSTMENT = "adjustment"
    RETURN = "return"


class InsufficientStock(Conflict):
    code = "INSUFFICIENT_STOCK"


class BalanceLimit(Conflict):
    code = "BALANCE_LIMIT"


# The most a balance (NUMERIC(12, 3)) holds; beyond it PostgreSQL would raise an overflow.
MAX_BALANCE = Decimal("999999999.999")


class StockBalance(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "stock_balances"
    __table_args__ = (
        UniqueConstraint("stock_key", "location_id", "status", name="uq_stock_balances_key"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        Index("ix_stock_balances_item_status", "item_id", "status"),
        Index("ix_stock_balances_location", "location_id"),
        # Inventory search on goods without a catalog item matches their free text.
        Index(
            "ix_stock_balances_free_text_trgm",
            "description",
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
            postgresql_where=text("item_id IS NULL"),
            sqlite_where=text("item_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stock_key: Mapped[str] = mapped_column(String(40), nullable=False)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    po_line_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order_lines.id"))
    description: Mapped[str] = mapped_column(String(500), nullable=False)
    uom: Mapped[str] = mapped_column(String(20), nullable=False, default="EA")
    location_id: Mapped[int] = mapped_column(ForeignKey("storage_locations.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3), nullable=False, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class StockLedgerEntry(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "stock_ledger"
    __table_args__ = (
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
        Index("ix_stock_ledger_key", "stock_key", "location_id", "status"),
        Index("ix_stock_ledger_item_created", "item_id", "created_at"),
        Index("ix_stock_ledger_operation", "operation_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    operation_id: Mapped[str] = mapped_column(String(36), nullable=False)
    entry_type: Mapped[str] = mapped_column(String(20), nullable=False)
    stock_key: Mapped[str] = mapped_column(String(40), nullable=False)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("storage_locations.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3), nullable=False)
    reference: Mapped[str | None] = mapped_column(String(40))
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("goods_receipts.id"), index=True)
    po_line_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order_lines.id"))
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


@dataclass(frozen=True)
class StockKey:
    """What is stocked: a catalog item, or the goods of one PO line without an item."""

    key: str
    item_id: int | None
    po_line_id: int | None
    description: str
    uom: str

    @classmethod
    def for_item(cls, item_id: int, description: str, uom: str) -> StockKey:
        return cls(f"item:{item_id}", item_id, None, description, uom)

    @classmethod
    def for_po_line(cls, po_line_id: int, item_id: int | None, description: str, uom: str):
        if item_id is not None:
            return cls.for_item(item_id, description, uom)
        return cls(f"po-line:{po_line_id}", None, po_line_id, description[:500], uom)

    @classmethod
    def of_balance(cls, balance: StockBalance) -> StockKey:
        return cls(
            balance.stock_key,
            balance.item_id,
            balance.po_line_id,
            balance.description,
            balance.uom,
        )


@dataclass(frozen=True)
class Move:
    key: StockKey
    location_id: int
    status: str
    quantity: Decimal  # signed
    po_line_id: int | None = None


def _insert(table):  # type: ignore[no-untyped-def]
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _ensure_row(move: Move) -> None:
    """Create the zero balance row an incoming movement needs (no-op when it exists)."""
    table = StockBalance.__table__
    stmt = (
        _insert(table)
        .values(
            stock_key=move.key.key,
            item_id=move.key.item_id,
            po_line_id=move.key.po_line_id,
            description=move.key.description,
            uom=move.key.uom,
            location_id=move.location_id,
            status=move.status,
            quantity=Decimal("0"),
            updated_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["stock_key", "location_id", "status"])
    )
    db.session.execute(stmt)


def _apply(move: Move) -> Decimal:
    """Add the signed quantity to the locked balance row; refuse to go below zero or beyond
    what the balance holds."""
    table = StockBalance.__table__
    delta = quantity(move.quantity)
    if delta > 0:
        _ensure_row(move)
    where = (
        (table.c.stock_key == move.key.key)
        & (table.c.location_id == move.location_id)
        & (table.c.status == move.status)
        & (table.c.quantity + delta >= 0)
        & (table.c.quantity + delta <= MAX_BALANCE)
    )
    new = db.session.execute(
        table.update()
        .where(where)
        .values(quantity=table.c.quantity + delta, updated_at=utcnow())
        .returning(table.c.quantity)
    ).scalar_one_or_none()
    if new is None:
        on_hand = db.session.scalar(
            select(table.c.quantity).where(
                table.c.stock_key == move.key.key,
                table.c.location_id == move.location_id,
                table.c.status == move.status,
            )
        )
        if on_hand is not None and on_hand + delta > MAX_BALANCE:
            raise BalanceLimit(
                f"{move.key.description} at this location would exceed {MAX_BALANCE}",
                details={
                    "stock_key": move.key.key,
                    "location_id": move.location_id,
                    "status": move.status,
                    "on_hand": str(quantity(on_hand)),
                    "requested": str(delta),
                },
            )
        raise InsufficientStock(
            f"Not enough {move.status} stock of {move.key.description}",
            details={
                "stock_key": move.key.key,
                "location_id": move.location_id,
                "status": move.status,
                "on_hand": str(quantity(on_hand or 0)),
                "requested": str(-delta),
            },
        )
    return Decimal(new)


def post(
    moves: Iterable[Move],
    *,
    entry_type: EntryType,
    actor_id: int | None,
    reference: str | None = None,
    receipt_id: int | None = None,
    note: str | None = None,
) -> str:
    """Apply the movements to the balances and append their ledger rows (no commit).
    Raises InsufficientStock (409) when any balance would go negative, or BalanceLimit (409)
    when one would exceed MAX_BALANCE, after rolling the whole transaction back. Returns the
    operation id shared by the rows."""
    operation_id = str(uuid.uuid4())
    ordered = sorted(moves, key=lambda m: (m.key.key, m.location_id, m.status))
    for move in ordered:
        if quantity(move.quantity) == 0:
            continue
        try:
            _apply(move)
        except (InsufficientStock, BalanceLimit):
            db.session.rollback()  # a refused movement changes nothing, not even half of it
            raise
        db.session.add(
            StockLedgerEntry(
                operation_id=operation_id,
                entry_type=entry_type,
                stock_key=move.key.key,
                item_id=move.key.item_id,
                location_id=move.location_id,
                status=move.status,
                quantity=quantity(move.quantity),
                reference=reference,
                receipt_id=receipt_id,
                po_line_id=move.po_line_id or move.key.po_line_id,
                note=note,
                actor_id=actor_id,
            )
        )
    db.session.flush()
    return operation_id
