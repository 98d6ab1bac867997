"""Suppliers and catalog items; both are deactivated, never deleted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reqflow.core.models import VersionedMixin
from reqflow.extensions import db


def _trigram(name: str, *columns: str) -> Index:
    """A GIN trigram index for ``ILIKE '%q%'`` search; a plain index off PostgreSQL."""
    return Index(
        name,
        *columns,
        postgresql_using="gin",
        postgresql_ops={column: "gin_trgm_ops" for column in columns},
    )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class Supplier(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "suppliers"
    __table_args__ = (
        CheckConstraint(
            "payment_terms_days >= 0 AND payment_terms_days <= 365", name="payment_terms_range"
        ),
        _trigram("ix_suppliers_search_trgm", "code", "name", "contact_email"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    contact_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    contact_phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    address: Mapped[str | None] = mapped_column(Text, nullable=True)
    tax_id: Mapped[str | None] = mapped_column(String(50), nullable=True)
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    def audit_view(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "contact_email": self.contact_email,
            "contact_phone": self.contact_phone,
            "address": self.address,
            "tax_id": self.tax_id,
            "payment_terms_days": self.payment_terms_days,
            "is_active": self.is_active,
        }


class Item(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "items"
    __table_args__ = (
        CheckConstraint("reorder_level >= 0", name="reorder_level_not_negative"),
        CheckConstraint("last_price IS NULL OR last_price >= 0", name="last_price_not_negative"),
        _trigram("ix_items_search_trgm", "sku", "name", "description"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    uom: Mapped[str] = mapped_column(String(20), default="EA", nullable=False)
    category: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    reorder_level: Mapped[Decimal] = mapped_column(
        Numeric(12, 3), default=Decimal("0"), nullable=False
    )
    preferred_supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("suppliers.id"), nullable=True, index=True
    )
    last_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    preferred_supplier: Mapped[Supplier | None] = relationship(lazy="joined")

    def audit_view(self) -> dict[str, Any]:
        return {
            "sku": self.sku,
            "name": self.name,
            "description": self.description,
            "uom": self.uom,
            "category": self.category,
            "reorder_level": _text(self.reorder_level),
            "preferred_supplier_id": self.preferred_supplier_id,
            "last_price": _text(self.last_price),
            "is_active": self.is_active,
        }
