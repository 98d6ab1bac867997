"""A background export: who asked for which list under which filters, and its file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reqflow.core.models import UTCDateTime, utcnow
from reqflow.errors import InvalidTransition
from reqflow.extensions import db

QUEUED, RUNNING, DONE, FAILED, EXPIRED = "Queued", "Running", "Done", "Failed", "Expired"
STATES = (QUEUED, RUNNING, DONE, FAILED, EXPIRED)
# A redelivered job (a worker lost mid-file) may start a Running export again.
ALLOWED = {
    QUEUED: {RUNNING, FAILED},
    RUNNING: {RUNNING, DONE, FAILED},
    DONE: {EXPIRED},
    FAILED: {EXPIRED},
    EXPIRED: set(),
}


class Export(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "exports"
    __table_args__ = (
        Index("ix_exports_user_id_id", "user_id", "id"),
        Index("ix_exports_state_expires_at", "state", "expires_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    format: Mapped[str] = mapped_column(String(8), nullable=False)
    # The list's query string (filters and sort), replayed by the job as the list reads it.
    params: Mapped[str] = mapped_column(Text, nullable=False, default="")
    state: Mapped[str] = mapped_column(String(12), nullable=False, default=QUEUED)
    total_rows: Mapped[int | None] = mapped_column(Integer)
    rows_done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    file_key: Mapped[str | None] = mapped_column(String(200))
    file_size: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def move_to(self, state: str) -> None:
        """The one way an export changes state; anything else is a 409."""
        if state not in ALLOWED[self.state]:
            raise InvalidTransition(f"An export that is {self.state} cannot become {state}")
        self.state = state

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.id}.{self.format}"
