"""Import use cases: upload (and dry run), commit, read, error report.

All or nothing: a commit is one database transaction, begun by locking the import row.
Batches with compensating deletes were the alternative; they would leave other users seeing
half an import while it runs and need an undo for every kind (and for stock movements,
which are append-only). One transaction costs a long-held lock on the touched rows, which
an import of master data can afford. A worker killed mid-commit leaves an open transaction
that PostgreSQL rolls back when the connection drops: nothing half-applied, the import
still ``committing``, and ``POST /imports/{id}/commit`` finds its row unlocked and retries.
"""

from __future__ import annotations

import io
import logging
from contextlib import closing
from typing import IO, Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from reqflow.core.cache import get_cache
from reqflow.core.jobs import enqueue, job
from reqflow.errors import Conflict, DomainError, Forbidden, NotFound
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.imports import invite as _invite  # noqa: F401 - the invitation job
from reqflow.imports import reader, stash
from reqflow.imports import retention as _retention  # noqa: F401 - the file sweep job
from reqflow.imports.events import ImportCommitted, ImportFailed
from reqflow.imports.kinds import ItemKind, Kind, LocationKind, ProjectKind, SupplierKind
from reqflow.imports.models import ImportJob, ImportStatus
from reqflow.imports.scan import Outcome, Scan
from reqflow.imports.stock_kind import StockKind
from reqflow.imports.user_kind import UserKind

log = logging.getLogger(__name__)
KINDS: dict[str, type[Kind]] = {
    k.name: k for k in (SupplierKind, ItemKind, ProjectKind, LocationKind, StockKind, UserKind)
}
S = ImportStatus


def kind_of(name: str, actor: User | None = None) -> Kind:
    if name not in KINDS:
        raise NotFound(f"No import of {name!r}; one of {', '.join(KINDS)}")
    kind = KINDS[name]()
    if actor is not None and not actor.can(*kind.permission):
        raise Forbidden("You do not have permission to do this")
    return kind


def limits() -> reader.Limits:
    config = current_app.config
    return reader.Limits(
        max_bytes=int(config["IMPORT_MAX_BYTES"]),
        max_uncompressed=int(config["IMPORT_MAX_UNCOMPRESSED_BYTES"]),
        max_rows=int(config["IMPORT_MAX_ROWS"]),
    )


def _background_rows() -> int:
    return int(current_app.config["IMPORT_BACKGROUND_ROWS"])


def _chunk() -> int:
    return int(current_app.config["IMPORT_CHUNK_ROWS"])


def _is_large(file: IO[bytes], fmt: str) -> bool:
    """More data rows than run in the request (counted only that far; also proves the
    file readable and within the limits before it is stored)."""
    wanted = _background_rows() + 1  # header + limit
    with closing(reader.rows(file, fmt, limits())) as rows:
        return any(seen > wanted for seen, _ in enumerate(rows, start=1))


def upload(
    *,
    actor: User,
    kind: str,
    filename: str,
    data: bytes | IO[bytes],
    background: bool | None = None,
) -> ImportJob:
    """Store the file and dry-run it: at once when small, as a background job when large
    (``background=False``: at once whatever the size, as the demo seed does)."""
    kind_of(kind, actor)
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    spooled = stash.spool(stream, limits().max_bytes)
    with spooled.file as file:
        fmt = reader.file_format(filename, spooled.head)
        large = _is_large(file, fmt) if background is None else background
        file.seek(0)
        key = stash.keep(file)
    imp = ImportJob(
        kind=kind,
        filename=filename[:255] or f"{kind}.{fmt}",
        file_format=fmt,
        sha256=spooled.sha256,
        size_bytes=spooled.size,
        storage_key=key,
        created_by_id=actor.id,
        counts={},
        errors=[],
    )
    db.session.add(imp)
    db.session.commit()
    if large:
        enqueue("imports.dry_run", imp.id)
    else:
        dry_run(imp.id)
    return get(actor=actor, import_id=imp.id)


def get(*, actor: User, import_id: int) -> ImportJob:
    """An import of the caller's (another user's is not found)."""
    imp = db.session.get(ImportJob, import_id)
    if imp is None or imp.created_by_id != actor.id:
        raise NotFound("Import not found")
    return imp


def progress_of(import_id: int) -> dict[str, Any] | None:
    value = get_cache().get(f"import-progress:{import_id}")
    return value if isinstance(value, dict) else None


def _progress(imp: ImportJob, phase: str, total: int | None) -> Any:
    from reqflow.notifications.realtime import push_to_users

    import_id, user_id = imp.id, imp.created_by_id

    def report(done: int) -> None:
        # Progress describes work under way, not a committed change: it is told as it
        # happens (the final state is read from the import row after commit).
        state = {"done": done, "total": total or done, "phase": phase}
        get_cache().set(f"import-progress:{import_id}", state, ttl=24 * 3600)
        payload = {"job_id": f"import:{import_id}", "import_id": import_id, "state": phase}
        push_to_users("progress", {**payload, "done": done, "total": total or done}, [user_id])

    return report


def _scan(imp: ImportJob, *, apply: bool, phase: str) -> Outcome:
    kind = kind_of(imp.kind)
    kind.actor_id = imp.created_by_id
    total = imp.total_rows if apply else None
    scan = Scan(imp, kind, limits(), _chunk())
    return scan.run(apply=apply, progress=_progress(imp, phase, total), actor_id=imp.created_by_id)


@job("imports.dry_run")
def dry_run(import_id: int) -> None:
    """Validate every row; the import becomes validated (with its preview) or failed."""
    imp = db.session.get(ImportJob, import_id)
    if imp is None or imp.status != S.UPLOADED:
        return
    try:
        outcome = _scan(imp, apply=False, phase="validating")
    except DomainError as exc:
        db.session.rollback()
        imp = db.session.get(ImportJob, import_id)
        assert imp is not None
        imp.move_to(S.FAILED)
        imp.message = exc.message
        db.session.commit()
        return
    imp.counts, imp.errors = outcome.counts, outcome.errors
    imp.error_count, imp.total_rows = outcome.error_count, outcome.rows
    imp.move_to(S.VALIDATED)
    db.session.commit()
    _progress(imp, "validated", outcome.rows)(outcome.rows)


def _lock(import_id: int, *, nowait: bool) -> ImportJob | None:
    stmt = select(ImportJob).where(ImportJob.id == import_id).with_for_update(nowait=nowait)
    return db.session.scalar(stmt.execution_options(populate_existing=True))


def import_now(*, actor: User, kind: str, filename: str, data: bytes) -> ImportJob:
    """Dry run and commit in this process (the demo seed): the same code as the two steps."""
    imp = upload(actor=actor, kind=kind, filename=filename, data=data, background=False)
    if imp.status != S.VALIDATED or imp.error_count:
        raise Conflict(f"The {kind} file does not validate: {imp.errors[:5]}")
    if imp.counts.get("create") or imp.counts.get("update"):
        imp.move_to(S.COMMITTING)
        db.session.commit()
        commit(imp.id)
    return get(actor=actor, import_id=imp.id)


def request_commit(*, actor: User, import_id: int) -> ImportJob:
    """Apply a clean dry run; a retry after a failed or killed commit is allowed."""
    get(actor=actor, import_id=import_id)
    try:
        imp = _lock(import_id, nowait=True)
    except OperationalError as exc:  # another worker holds it: a commit is under way
        db.session.rollback()
        raise Conflict("This import is being committed.") from exc
    assert imp is not None
    if imp.status == S.COMMITTED:
        db.session.rollback()
        return imp
    if imp.status == S.VALIDATED and imp.error_count:
        db.session.rollback()
        raise Conflict("The dry run found errors: fix the file and upload it again.")
    if imp.storage_key is None:
        db.session.rollback()
        raise Conflict(stash.GONE)
    imp.move_to(S.COMMITTING)
    imp.attempts += 1
    imp.message = None
    large = imp.total_rows > _background_rows()
    db.session.commit()
    if large:
        enqueue("imports.commit", import_id)
    else:
        commit(import_id)
    return get(actor=actor, import_id=import_id)


@job("imports.commit")
def commit(import_id: int) -> None:
    """Apply the import in one transaction; idempotent (a committed import is left alone)."""
    imp = _lock(import_id, nowait=False)
    if imp is None or imp.status != S.COMMITTING:
        db.session.rollback()
        return
    preview = dict(imp.counts)
    try:
        outcome = _scan(imp, apply=True, phase="committing")
        if outcome.error_count or outcome.counts != preview:
            raise Conflict("The data changed since the preview: upload the file again.")
        _finish(import_id, outcome)
    except Exception as exc:
        db.session.rollback()
        if not isinstance(exc, DomainError):
            log.exception("import commit failed", extra={"import_id": import_id})
        _fail(import_id, getattr(exc, "message", "The import failed; nothing was applied."))


def _finish(import_id: int, outcome: Outcome) -> None:
    imp = _lock(import_id, nowait=False)
    assert imp is not None
    imp.move_to(S.COMMITTED)
    record(
        ImportCommitted(
            actor_id=imp.created_by_id,
            resource_id=imp.id,
            new_values={**imp.audit_view(), "applied": outcome.counts},
        )
    )
    kind = imp.kind
    db.session.commit()
    _progress(imp, "committed", outcome.rows)(outcome.rows)
    if kind == UserKind.name:
        for user_id in outcome.created_ids:
            enqueue("imports.invite", user_id)


def _fail(import_id: int, message: str) -> None:
    imp = _lock(import_id, nowait=False)
    if imp is None or imp.status != S.COMMITTING:
        db.session.rollback()
        return
    imp.move_to(S.FAILED)
    imp.message = message
    record(
        ImportFailed(
            actor_id=imp.created_by_id,
            resource_id=imp.id,
            new_values={**imp.audit_view(), "message": message},
        )
    )
    db.session.commit()
    _progress(imp, "failed", imp.total_rows)(0)
