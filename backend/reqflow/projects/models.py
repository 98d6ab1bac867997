"""Projects with a budget; committed spend is derived, never stored here."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reqflow.core.models import VersionedMixin
from reqflow.extensions import db

if TYPE_CHECKING:
    from reqflow.identity.models import User


class Project(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "projects"
    __table_args__ = (CheckConstraint("budget_amount >= 0", name="budget_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    budget_amount: Mapped[Decimal] = mapped_column(
        Numeric(12, 2), default=Decimal("0"), nullable=False
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    owner: Mapped[User | None] = relationship(lazy="selectin")

    def audit_view(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "budget_amount": str(self.budget_amount),
            "owner_id": self.owner_id,
            "is_active": self.is_active,
        }
