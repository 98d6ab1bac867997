"""Users and departments. Never hard deleted: deactivated and kept with their history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reqflow.core.models import UTCDateTime, VersionedMixin
from reqflow.extensions import db
from reqflow.identity.permissions import grants, permissions_for, widest_scope


class Department(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    code: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class User(VersionedMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(100), nullable=False)
    password_history: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    role: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id"), nullable=True, index=True
    )
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), nullable=True, index=True
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    token_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    # Loaded where a user's own profile is shown (the token check, the user list), joined
    # there; the many reads that show a person only by name never join it.
    department: Mapped[Department | None] = relationship()
    manager: Mapped[User | None] = relationship(remote_side=[id], lazy="select")

    @property
    def permissions(self) -> frozenset[str]:
        return permissions_for(self.role)

    def can(self, resource: str, action: str, scope: str | None = None) -> bool:
        return self.is_active and grants(self.permissions, resource, action, scope)

    def scope_of(self, resource: str, action: str) -> str | None:
        return widest_scope(self.permissions, resource, action) if self.is_active else None

    def audit_view(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "email": self.email,
            "full_name": self.full_name,
            "role": self.role,
            "department_id": self.department_id,
            "manager_id": self.manager_id,
            "is_active": self.is_active,
        }


class MfaCredential(db.Model):  # type: ignore[name-defined,misc]
    """A user's TOTP second factor: the secret encrypted at rest, the last time step
    accepted (a code is never accepted twice) and the recovery codes, hashed."""

    __tablename__ = "user_mfa"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    secret_encrypted: Mapped[str] = mapped_column(Text, nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    last_step: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)
    recovery_hashes: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
