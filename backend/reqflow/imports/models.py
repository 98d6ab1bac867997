"""An import: the uploaded file (kept in storage, with its sha256, so that commit applies
exactly the file the preview was made from), its status and the dry run's result; and the
natural keys of the rows a scan has seen (duplicate detection kept in the database, so a
scan's memory does not grow with the file)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from reqflow.core.models import TimestampMixin
from reqflow.errors import InvalidTransition
from reqflow.extensions import db


class ImportStatus(StrEnum):
    UPLOADED = "uploaded"
    VALIDATED = "validated"
    COMMITTING = "committing"
    COMMITTED = "committed"
    FAILED = "failed"


S = ImportStatus
# committing → committing: a retry after the worker that held the import died.
TRANSITIONS: dict[str, set[str]] = {
    S.UPLOADED: {S.VALIDATED, S.FAILED},
    S.VALIDATED: {S.COMMITTING},
    S.COMMITTING: {S.COMMITTING, S.COMMITTED, S.FAILED},
    S.FAILED: {S.COMMITTING},
    S.COMMITTED: set(),
}


class ImportJob(TimestampMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=S.UPLOADED)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    file_format: Mapped[str] = mapped_column(String(10), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    # the file in imports.stash's storage; None for an import made before files moved there
    storage_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    total_rows: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, nullable=False, default=dict)
    errors: Mapped[list[dict[str, Any]]] = deferred(
        mapped_column(JSON, nullable=False, default=list)
    )
    error_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)

    def move_to(self, status: str) -> None:
        """The one place an import changes status; an illegal move is a 409."""
        if status not in TRANSITIONS[self.status]:
            raise InvalidTransition(f"An import that is {self.status} cannot become {status}")
        self.status = status

    def audit_view(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "filename": self.filename,
            "sha256": self.sha256,
            "rows": self.total_rows,
            "counts": dict(self.counts or {}),
            "status": self.status,
        }


class ImportRowKey(db.Model):  # type: ignore[name-defined,misc]
    """A row's natural key (its sha256, so any cell fits) seen by the running scan of an
    import; written and removed in the scan's own transaction."""

    __tablename__ = "import_row_keys"

    import_id: Mapped[int] = mapped_column(
        ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True
    )
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    row: Mapped[int] = mapped_column(Integer, nullable=False)
