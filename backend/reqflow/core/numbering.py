"""Human-readable document numbers (REQ-2026-00001): unique, gap-tolerant, concurrency-safe.

One counter row per (prefix, year), advanced with a single atomic UPSERT … RETURNING, so
concurrent transactions never read the same value. On PostgreSQL the UPSERT commits on its
own at once: the counter row stays locked for that instant only, not until the document's
transaction commits, which would queue every concurrent receipt or invoice behind one row.
A document whose transaction then rolls back leaves a gap, which the numbering allows.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from reqflow.extensions import db


class DocumentSequence(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "document_sequences"
    __table_args__ = (UniqueConstraint("prefix", "year", name="uq_document_sequences_prefix_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(10), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    last_value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


_PG_NEXT = (
    "SET LOCAL synchronous_commit = off; "
    "INSERT INTO document_sequences (prefix, year, last_value) VALUES (%(prefix)s, %(year)s, 1) "
    "ON CONFLICT (prefix, year) DO UPDATE SET last_value = document_sequences.last_value + 1 "
    "RETURNING last_value"
)


def next_number(prefix: str, *, session: Session | None = None, year: int | None = None) -> str:
    """Take the next number for ``prefix`` in the current (UTC) year."""
    session = session or db.session()
    year = year or datetime.now(UTC).year
    if session.get_bind().dialect.name == "postgresql":
        with session.get_bind().engine.connect() as conn:
            # No flush to disk of its own: the document's commit, later in the WAL, flushes
            # this record with it; if the document never commits, a lost counter step is a
            # gap at worst. (The setting and the UPSERT in one round trip.)
            params = {"prefix": prefix, "year": year}
            value = conn.exec_driver_sql(_PG_NEXT, params).scalar_one()
            conn.commit()
    else:
        # SQLite has one writer: a second connection would wait for this very transaction.
        table = DocumentSequence.__table__
        upsert = sqlite.insert(table).values(prefix=prefix, year=year, last_value=1)
        stmt = upsert.on_conflict_do_update(
            index_elements=["prefix", "year"], set_={"last_value": table.c.last_value + 1}
        ).returning(table.c.last_value)
        value = session.execute(stmt).scalar_one()
    return f"{prefix}-{year}-{value:05d}"
