"""Export use cases: stream a small list export, start a background one, build its file
(with progress pushed to the requester), hand it back to its owner, and expire it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, g
from sqlalchemy import Select, func, select, update

from reqflow.core.jobs import enqueue
from reqflow.core.models import utcnow
from reqflow.core.tabular import download, iter_csv, write_xlsx
from reqflow.errors import Conflict, DomainError, Forbidden, NotFound
from reqflow.events import record
from reqflow.exports import storage
from reqflow.exports.events import ExportCompleted, ExportFailed, ExportRequested
from reqflow.exports.kinds import KINDS, ExportKind
from reqflow.exports.models import DONE, EXPIRED, FAILED, QUEUED, RUNNING, Export
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.notifications.realtime import push_to_users

log = logging.getLogger(__name__)
CHUNK = 1000  # rows fetched per round trip, and rows between two progress reports


class ExportTooLarge(DomainError):
    status, code = 413, "EXPORT_TOO_LARGE"


def kind_of(name: str) -> ExportKind:
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound(f"No export called {name!r}; one of {sorted(KINDS)}")
    return kind


def count(query: Select[Any], cap: int | None = None) -> int:
    """How many rows the list's query holds (at most ``cap`` + 1 when capped)."""
    inner = query.order_by(None)
    if cap is not None:
        inner = inner.limit(cap + 1)
    return int(db.session.scalar(select(func.count()).select_from(inner.subquery())) or 0)


def rows(kind: ExportKind, query: Select[Any]) -> Iterator[Mapping[str, Any]]:
    """The query's rows as column mappings, fetched ``CHUNK`` at a time (never all at once)."""
    statement = query.options(*kind.options) if kind.options else query
    result = db.session.execute(statement.execution_options(yield_per=CHUNK))
    for row in result.scalars() if kind.entities else result:
        yield kind.row(row)


def stream(*, kind_name: str, fmt: str) -> Response:
    """This request's list under its filters as a file, if small enough to stream."""
    kind = kind_of(kind_name)
    query = kind.query()
    limit = int(current_app.config["EXPORT_STREAM_LIMIT"])
    if count(query, cap=limit) > limit:
        raise ExportTooLarge(
            f"More than {limit} rows: start a background export (POST /exports) instead.",
            details={"limit": limit},
        )
    return download(kind.columns, rows(kind, query), fmt, kind.name)


@contextmanager
def replayed(params: str, user: User) -> Iterator[None]:
    """A request context whose query string is the list's filters, read as ``user``: the
    list's own query function then runs exactly as it does for the list page."""
    with current_app.test_request_context("/", query_string=params):
        g.reqflow_user = user
        yield


def start(*, actor: User, kind_name: str, fmt: str, filters: dict[str, Any]) -> Export:
    """Queue a background export of a list under ``filters`` (checked now, built later)."""
    kind = kind_of(kind_name)
    params = urlencode(sorted((k, str(v)) for k, v in filters.items() if v is not None))
    with replayed(params, actor):
        kind.query()  # a bad filter or a list the actor may not see is refused here
    export = Export(user_id=actor.id, kind=kind.name, format=fmt, params=params, state=QUEUED)
    db.session.add(export)
    db.session.flush()
    record(ExportRequested(actor_id=actor.id, resource_id=export.id, kind=kind.name, format=fmt))
    db.session.commit()
    enqueue("exports.build", export.id)
    db.session.expire(export)  # an inline job (tests) has finished it by now
    return export


def owned(*, export_id: int, actor: User) -> Export:
    """The actor's own export; anyone else's is not found."""
    export = db.session.get(Export, export_id)
    if export is None or export.user_id != actor.id:
        raise NotFound("Export not found")
    return export


def file_of(*, export_id: int, actor: User) -> tuple[Export, Any]:
    """The finished file of the actor's export (409 while it is built, 404 once expired)."""
    export = owned(export_id=export_id, actor=actor)
    if export.state in (QUEUED, RUNNING):
        raise Conflict("The export is still being built")
    key = export.file_key if export.state == DONE else None
    handle = storage.open_for_download(key) if key else None
    if handle is None:
        raise NotFound("The export file is no longer available")
    return export, handle


def progress_payload(export: Export, done: int, total: int) -> dict[str, Any]:
    percent = 100 if export.state == DONE else (min(99, done * 100 // total) if total else 0)
    return {
        "job_id": f"export-{export.id}",  # SPEC §5: {job_id, done, total, state}
        "resource": "export",
        "export_id": export.id,
        "kind": export.kind,
        "state": export.state,
        "done": done,
        "total": total,
        "percent": percent,
        **({"download": download_path(export)} if export.state == DONE else {}),
    }


def download_path(export: Export) -> str:
    return f"/api/v1/exports/{export.id}/file"


def _report(export: Export, total: int) -> Callable[[int], None]:
    """Progress: stored on the row (its own short transaction) and pushed to the owner."""

    # On SQLite (the embedded default) the count is kept for the end: its one writer at a
    # time would make the reader of the rows and this writer wait on each other.
    stored = db.session.get_bind().dialect.name != "sqlite"

    def report(done: int) -> None:
        if stored:
            with db.engine.begin() as conn:
                conn.execute(update(Export).where(Export.id == export.id).values(rows_done=done))
        push_to_users("progress", progress_payload(export, done, total), [export.user_id])

    return report


def _counted(items: Iterable[Mapping[str, Any]], report: Callable[[int], None]) -> Iterator[Any]:
    done = 0
    for done, item in enumerate(items, start=1):
        yield item
        if done % CHUNK == 0:
            report(done)


def _write(export: Export, kind: ExportKind, query: Select[Any], key: str) -> int:
    """Write the file under ``key`` with progress reports; returns the number of rows."""
    total = count(query)
    report = _report(export, total)
    report(0)
    items = _counted(rows(kind, query), report)
    target = storage.writable(key)
    if export.format == "xlsx":
        write_xlsx(kind.columns, items, target, sheet=kind.title)
    else:
        with open(target, "w", encoding="utf-8", newline="") as out:
            out.writelines(iter_csv(kind.columns, items))
    return total


def build(*, export_id: int) -> None:
    """Build a queued export's file (the background job); idempotent once finished."""
    export = db.session.get(Export, export_id)
    if export is None or export.state not in (QUEUED, RUNNING):
        return
    export.move_to(RUNNING)
    db.session.commit()
    user = db.session.get(User, export.user_id)
    if user is None or not user.is_active:
        _fail(export, Forbidden("The account that asked for this export is inactive"))
        return
    key = f"{export.id}-{uuid.uuid4().hex}.{export.format}"
    # End this transaction first: on SQLite a writing one holds the database's write lock,
    # and the progress reports write from another connection while the rows are read.
    db.session.commit()
    try:
        with replayed(export.params, user):
            kind = kind_of(export.kind)
            total = _write(export, kind, kind.query(), key)
            db.session.rollback()  # end the read before the state changes outside it
    except Exception as exc:  # the file is not made: the owner learns why
        db.session.rollback()
        storage.delete(key)
        log.exception("export failed", extra={"export_id": export_id})
        _fail(export, exc)
        return
    _finish(export, key, total)


def _expiry() -> Any:
    return utcnow() + timedelta(hours=float(current_app.config["EXPORT_TTL_HOURS"]))


def _finish(export: Export, key: str, total: int) -> None:
    export.file_size = storage.publish(key)
    export.file_key = key
    export.total_rows = export.rows_done = total
    export.finished_at = utcnow()
    export.expires_at = _expiry()
    export.move_to(DONE)
    record(
        ExportCompleted(
            actor_id=export.user_id,
            resource_id=export.id,
            kind=export.kind,
            format=export.format,
            rows=total,
        )
    )
    db.session.commit()
    push_to_users("progress", progress_payload(export, total, total), [export.user_id])


def _fail(export: Export, exc: Exception) -> None:
    message = exc.message if isinstance(exc, DomainError) else "The export could not be built"
    export = db.session.get(Export, export.id) or export
    export.error = message[:300]
    export.finished_at = utcnow()
    export.expires_at = _expiry()
    export.move_to(FAILED)
    record(
        ExportFailed(
            actor_id=export.user_id,
            resource_id=export.id,
            kind=export.kind,
            format=export.format,
            error=export.error,
        )
    )
    db.session.commit()
    push_to_users(
        "progress", {**progress_payload(export, 0, 0), "error": export.error}, [export.user_id]
    )


def expire(*, now: Any = None) -> int:
    """Delete the files of exports older than their expiry and mark them Expired."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Export).where(Export.state.in_((DONE, FAILED)), Export.expires_at <= now)
    ).all()
    for export in due:
        if export.file_key:
            storage.delete(export.file_key)
        export.move_to(EXPIRED)
    db.session.commit()
    return len(due)
