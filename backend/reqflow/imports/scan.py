"""One pass over an import file, in chunks: validate every row (dry run) or validate and
apply it (commit). The same code does both, so commit does exactly what the preview said.

Memory is bounded by the chunk, not the file: the file is read as a stream from a local
copy, each chunk's records leave the session once flushed, and the natural keys seen so far
(duplicates inside the file) are kept in ``import_row_keys`` (one keyed query and one
insert per chunk), in the scan's transaction and removed at its end."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select

from reqflow.extensions import db
from reqflow.imports import reader, stash
from reqflow.imports.kinds import Kind, Plan
from reqflow.imports.models import ImportJob, ImportRowKey
from reqflow.imports.rowkeys import SideKeys

MAX_STORED_ERRORS = 5000
Progress = Callable[[int], None]


@dataclass
class Outcome:
    counts: dict[str, int] = field(default_factory=lambda: {"create": 0, "update": 0, "skip": 0})
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    rows: int = 0
    created_ids: list[int] = field(default_factory=list)

    def error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"row": row, "column": column, "message": message})


def _header(kind: Kind, values: list[Any], outcome: Outcome) -> list[str]:
    header = [str(v).strip().lower() if v is not None else "" for v in values]
    known = {c.name for c in kind.columns}
    for name in header:
        if name and name not in known:
            outcome.error(1, name, "Unknown column.")
        elif name and header.count(name) > 1:
            outcome.error(1, name, "Column appears twice.")
    for column in kind.columns:
        if column.required and column.name not in header:
            outcome.error(1, column.name, "Required column is missing.")
    return header


class Scan:
    def __init__(self, job: ImportJob, kind: Kind, limits: reader.Limits, chunk: int):
        self.job, self.kind, self.limits, self.chunk = job, kind, limits, chunk
        self.outcome = Outcome()
        self.seen: dict[str, int] = {}  # key digest → first row, for the chunk at hand
        self.new: dict[str, int] = {}  # keys first seen in this chunk
        self.kept = set(db.session.identity_map.keys())
        kind.side = SideKeys(job.id)

    def run(self, *, apply: bool, progress: Progress, actor_id: int | None = None) -> Outcome:
        self._clear_keys()
        with stash.local(self.job.storage_key, self.job.sha256) as file:
            rows = reader.rows(file, self.job.file_format, self.limits)
            self._scan(rows, apply, progress, actor_id)
        self._clear_keys()
        self.outcome.created_ids = self.kind.created_ids
        return self.outcome

    def _clear_keys(self) -> None:
        db.session.execute(delete(ImportRowKey).where(ImportRowKey.import_id == self.job.id))

    def _scan(
        self,
        rows: Iterator[tuple[int, list[Any]]],
        apply: bool,
        progress: Progress,
        actor_id: int | None,
    ) -> None:
        first = next(rows, None)
        if first is None:
            self.outcome.error(1, "", "The file is empty.")
            return
        header = _header(self.kind, first[1], self.outcome)
        if self.outcome.error_count:
            return
        batch: list[tuple[int, dict[str, Any]]] = []
        for number, values in rows:
            batch.append((number, dict(zip(header, values, strict=False))))
            if len(batch) >= self.chunk:
                self._chunk(batch, apply, actor_id, progress)
                batch = []
        if batch:
            self._chunk(batch, apply, actor_id, progress)

    def _chunk(
        self,
        batch: list[tuple[int, dict[str, Any]]],
        apply: bool,
        actor_id: int | None,
        progress: Progress,
    ) -> None:
        self.kind.prefetch([values for _, values in batch])
        self._earlier(batch)
        plans = [p for p in (self._row(n, v) for n, v in batch) if p is not None]
        self._remember()
        if apply and not self.outcome.error_count:
            self.kind.apply([p for p in plans if p.action != "skip"], actor_id or 0)
            db.session.flush()
        self._forget()
        self.outcome.rows += len(batch)
        progress(self.outcome.rows)

    def _forget(self) -> None:
        """Drop this chunk's records from the session (they are flushed): its memory stays
        bounded however long the file; what was there before (the user, the import) stays."""
        identity = db.session.identity_map
        for key in [k for k in identity.keys() if k not in self.kept]:  # noqa: SIM118
            obj = identity.get(key)
            if obj is not None:
                db.session.expunge(obj)

    def _digest(self, values: dict[str, Any]) -> str | None:
        key = self.kind.key_of(values)
        if key is None:
            return None
        text = "\x1f".join(key) if isinstance(key, tuple) else str(key)
        return hashlib.sha256(text.encode()).hexdigest()

    def _earlier(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        """The rows of earlier chunks that had one of this chunk's keys."""
        digests = {d for d in (self._digest(v) for _, v in batch) if d is not None}
        self.seen, self.new = {}, {}
        if digests:
            stmt = select(ImportRowKey.digest, ImportRowKey.row).where(
                ImportRowKey.import_id == self.job.id, ImportRowKey.digest.in_(digests)
            )
            self.seen = dict(db.session.execute(stmt).tuples().all())

    def _remember(self) -> None:
        """This chunk's first-seen keys (and the kind's side keys), for the chunks after it."""
        if self.kind.side is not None:
            self.kind.side.flush()
        if self.new:
            rows = [{"import_id": self.job.id, "digest": d, "row": n} for d, n in self.new.items()]
            db.session.execute(insert(ImportRowKey), rows)

    def _row(self, number: int, values: dict[str, Any]) -> Plan | None:
        key = self._digest(values)
        self.kind.row = number
        plan, errors = self.kind.plan(values)
        if key is not None and key in self.seen:
            errors.append((self.kind.key_label(), f"Duplicate of row {self.seen[key]}."))
        elif key is not None:
            self.seen[key] = self.new[key] = number
        for column, message in errors:
            self.outcome.error(number, column, message)
        if errors or plan is None:
            return None
        self.outcome.counts[plan.action] += 1
        return plan
