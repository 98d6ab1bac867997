"""Attachments (each with its versions) and comments, hung on any business document by
``(document_type, document_id)``; the document types are listed in ``registry``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reqflow.core.models import TimestampMixin, UTCDateTime, utcnow
from reqflow.extensions import db
from reqflow.identity.models import User


class Attachment(TimestampMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_document", "document_type", "document_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_type: Mapped[str] = mapped_column(String(30), nullable=False)
    document_id: Mapped[int] = mapped_column(Integer, nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    current_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    uploaded_by: Mapped[User] = relationship(foreign_keys=[uploaded_by_id], lazy="joined")
    versions: Mapped[list[AttachmentVersion]] = relationship(
        back_populates="attachment", order_by="AttachmentVersion.version", lazy="selectin"
    )

    @property
    def latest(self) -> AttachmentVersion:
        return self.versions[-1]


class AttachmentVersion(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "attachment_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attachment_id: Mapped[int] = mapped_column(
        ForeignKey("attachments.id"), nullable=False, index=True
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(120), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    # A random name chosen by the server: never derived from the uploaded file's name.
    storage_key: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    thumbnail_key: Mapped[str | None] = mapped_column(String(90), nullable=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    attachment: Mapped[Attachment] = relationship(back_populates="versions")
    uploaded_by: Mapped[User] = relationship(lazy="joined")


class Comment(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_document", "document_type", "document_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_type: Mapped[str] = mapped_column(String(30), nullable=False)
    document_id: Mapped[int] = mapped_column(Integer, nullable=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="comment")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    author: Mapped[User] = relationship(lazy="joined")
