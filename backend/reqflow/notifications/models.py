"""Notifications (one row per recipient), per-type e-mail preferences, and the e-mail
digest of role-wide assignments (a setting per user and the entries waiting for it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from reqflow.core.models import UTCDateTime, utcnow
from reqflow.extensions import db

# type → (label, e-mailed by default)
TYPES: dict[str, tuple[str, bool]] = {
    "approval_assigned": ("An approval reaches you", True),
    "requisition_decision": ("A decision on your requisition", True),
    "approval_reminder": ("Reminder of an overdue approval", True),
    "approval_escalated": ("An overdue approval escalated to you", True),
    "sourcing_needed": ("Lines wait for sourcing", False),
    "po_sent": ("A purchase order was sent", False),
    "goods_arrived": ("Goods for you arrived", True),
    "invoice_exception": ("An invoice needs attention", True),
    "invoice_due": ("An invoice is due", False),
    "low_stock": ("Stock below reorder level", False),
    "spend_summary": ("Monthly spend summary", True),
    "export_ready": ("An export is ready to download", False),
    "po_returned": ("A purchase order came back to you", True),
    "supplier_return": ("Goods go back to a supplier", False),
    "mention": ("Someone mentions you in a discussion", True),
}


class Notification(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", "type", name="uq_notifications_event_user_type"),
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index(
            "ix_notifications_unread",
            "user_id",
            postgresql_where=text("read_at IS NULL"),
            sqlite_where=text("read_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    type: Mapped[str] = mapped_column(String(40), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    link: Mapped[str | None] = mapped_column(String(300))
    resource_type: Mapped[str | None] = mapped_column(String(40))
    resource_id: Mapped[int | None] = mapped_column(Integer)
    event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class NotificationPreference(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "type", name="uq_notification_pref_user_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    type: Mapped[str] = mapped_column(String(40), nullable=False)
    email: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


# How a user hears of approvals assigned to their whole role (personal ones are immediate).
DIGEST_MODES = ("immediate", "digest", "off")
DEFAULT_DIGEST_MODE = "digest"


class NotificationSetting(db.Model):  # type: ignore[name-defined,misc]
    """Per-user notification settings that are not per type: the e-mail digest."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    email_digest: Mapped[str] = mapped_column(
        String(10), nullable=False, default=DEFAULT_DIGEST_MODE
    )
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DigestEntry(db.Model):  # type: ignore[name-defined,misc]
    """A role-wide assignment waiting for the recipient's next e-mail digest."""

    __tablename__ = "email_digest_entries"
    __table_args__ = (
        UniqueConstraint("notification_id", name="uq_email_digest_entries_notification"),
        Index(
            "ix_email_digest_entries_unsent",
            "user_id",
            postgresql_where=text("sent_at IS NULL"),
            sqlite_where=text("sent_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    notification_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), ForeignKey("notifications.id"), nullable=False
    )
    step_id: Mapped[int] = mapped_column(ForeignKey("approval_steps.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
