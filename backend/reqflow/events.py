"""Domain events: base class, handler registry, outbox, dispatch after commit, relay.

A service calls ``record(event)`` inside its transaction. That writes an outbox row (and,
through the in-transaction hooks, the audit row) in the same transaction. After commit the
dispatcher delivers the event to its handlers, each in its own transaction, and marks a
handler done per event id, so a redelivered event never repeats a side effect. The relay
re-delivers outbox rows that were never marked dispatched (a crash right after commit).
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import Any, ClassVar

from flask import Flask, current_app, g
from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from reqflow.core.cache import bump_after_commit, get_cache
from reqflow.core.jobs import EVENTS, job
from reqflow.core.models import UTCDateTime, utcnow
from reqflow.core.request_session import Session as PostCommitSession
from reqflow.core.request_session import post_commit
from reqflow.extensions import db

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Something that happened. Subclasses are named in the past tense."""

    resource_type: ClassVar[str] = ""
    action: ClassVar[str] = ""

    actor_id: int | None = None
    resource_id: int | None = None
    old_values: dict[str, Any] | None = None
    new_values: dict[str, Any] | None = None

    @classmethod
    def name(cls) -> str:
        return cls.__name__

    @classmethod
    def audit_action(cls) -> str:
        return cls.action or re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()

    def payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class OutboxEvent(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    dispatched_at = mapped_column(UTCDateTime(), nullable=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class ProcessedEvent(db.Model):  # type: ignore[name-defined,misc]
    """One row per (event, handler) that completed: the handler's idempotency key."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("event_id", "handler", name="uq_processed_event_handler"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    handler: Mapped[str] = mapped_column(String(200), nullable=False)
    processed_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


Handler = Callable[[dict[str, Any]], None]
InTransactionHook = Callable[[DomainEvent, Session], None]

EVENT_TYPES: dict[str, type[DomainEvent]] = {}
_handlers: dict[str, list[Handler]] = defaultdict(list)
_pushes: dict[str, list[Handler]] = defaultdict(list)
# Set in an outbox payload whose live pushes ran in the request that committed it.
LIVE = "_pushed_live"
_in_transaction_hooks: list[InTransactionHook] = []


def event_type(cls: type[DomainEvent]) -> type[DomainEvent]:
    """Class decorator: makes the event known by name to the outbox."""
    EVENT_TYPES[cls.name()] = cls
    return cls


def handles(*event_classes: type[DomainEvent], push: bool = False) -> Callable[[Handler], Handler]:
    """Register a post-commit handler; it receives the stored event payload plus ``event_id``.

    ``push=True`` marks a live push (a Socket.IO emit, reads only): when the event is
    recorded in a request it runs in that process as the request ends, right after the
    commit, never queued behind e-mail, notifications or purchasing work; recorded anywhere
    else (a job, a handler) it is delivered with the other handlers."""
    registry = _pushes if push else _handlers

    def register(fn: Handler) -> Handler:
        for cls in event_classes:
            if fn not in registry[cls.name()]:
                registry[cls.name()].append(fn)
        return fn

    return register


def unregister(event_class: type[DomainEvent], fn: Handler) -> None:
    if fn in _handlers[event_class.name()]:
        _handlers[event_class.name()].remove(fn)


def on_record(hook: InTransactionHook) -> InTransactionHook:
    """Register a hook run inside the recording transaction (the audit log uses it)."""
    if hook not in _in_transaction_hooks:
        _in_transaction_hooks.append(hook)
    return hook


def record(evt: DomainEvent, session: Session | None = None) -> OutboxEvent:
    """Store ``evt`` in the outbox in the caller's transaction; dispatched after commit."""
    session = session or db.session()
    row = OutboxEvent(event_id=str(uuid.uuid4()), name=evt.name(), payload=evt.payload())
    session.add(row)
    for hook in _in_transaction_hooks:
        hook(evt, session)
    live = bool(_pushes.get(row.name)) and bool(g.get("reqflow_request"))
    if live:
        row.payload = {**row.payload, LIVE: True}
        session.info.setdefault("reqflow_pushes", []).append((row.event_id, row.name, row.payload))
    if _handlers.get(row.name) or (_pushes.get(row.name) and not live):
        session.info.setdefault("reqflow_events", []).append(row.event_id)
    else:
        # Nothing to deliver after commit (no handler, or only live pushes, which run in
        # this request): the row is stored dispatched, and no job is queued for it (a job
        # that would only read the row and mark it, at the cost of a send and a task).
        row.dispatched_at = utcnow()
    return row


def audit_only(evt: DomainEvent, session: Session | None = None) -> None:
    """Run the in-transaction hooks (audit row, cache bump) without an outbox row: for bulk
    writes (imports) of events no handler listens to, where 100 000 outbox rows and
    deliveries would buy nothing."""
    session = session or db.session()
    for hook in _in_transaction_hooks:
        hook(evt, session)


@on_record
def _bump_cache(evt: DomainEvent, session: Session) -> None:
    """Cached reads depend on resource types: an event invalidates its type after commit."""
    if evt.resource_type:
        bump_after_commit(session, evt.resource_type)


def _handler_key(fn: Handler) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def _run_handler(
    fn: Handler, row_event_id: str, payload: dict[str, Any], finish: Callable[[], None] | None
) -> None:
    """Run one handler in its own transaction (at most once per event id: the caller skips
    the handlers already done); ``finish`` joins that transaction (the outbox row marked
    dispatched with the last handler, one commit instead of two)."""
    try:
        fn({**payload, "event_id": row_event_id})
        db.session.add(ProcessedEvent(event_id=row_event_id, handler=_handler_key(fn)))
        if finish is not None:
            finish()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def _mark(event_id: str, error: str | None) -> None:
    """Count a delivery attempt on the outbox row; dispatched when nothing failed."""
    table = OutboxEvent.__table__
    done = {"dispatched_at": utcnow()} if error is None else {}
    db.session.execute(
        table.update()
        .where(table.c.event_id == event_id)
        .values(attempts=table.c.attempts + 1, last_error=error, **done)
    )


def deliver(event_id: str) -> bool:
    """Deliver one outbox row to every handler; True when all of them completed."""
    # The row and the handlers already done for it (a redelivery), in one statement.
    found = db.session.execute(
        select(
            OutboxEvent.name, OutboxEvent.payload, OutboxEvent.dispatched_at, ProcessedEvent.handler
        )
        .outerjoin(ProcessedEvent, ProcessedEvent.event_id == OutboxEvent.event_id)
        .where(OutboxEvent.event_id == event_id)
    ).all()
    if not found or found[0].dispatched_at is not None:
        db.session.rollback()
        return True
    name, payload = found[0].name, dict(found[0].payload)
    done = {row.handler for row in found if row.handler is not None}
    errors: list[str] = []
    pushes = [] if payload.get(LIVE) else _pushes.get(name, [])
    todo = [fn for fn in [*_handlers.get(name, []), *pushes] if _handler_key(fn) not in done]
    for index, fn in enumerate(todo):
        last = index == len(todo) - 1 and not errors
        try:
            _run_handler(fn, event_id, payload, (lambda: _mark(event_id, None)) if last else None)
        except Exception as exc:  # a failing handler must not stop the others
            log.exception("event handler failed", extra={"event": name, "handler": fn})
            errors.append(f"{_handler_key(fn)}: {exc!r}"[:500])
        else:
            if last:
                _bump_after_handlers(name)
                return True
    _mark(event_id, "\n".join(errors) if errors else None)
    db.session.commit()
    _bump_after_handlers(name)
    return not errors


def _bump_after_handlers(name: str) -> None:
    """Handlers may change rows of the event's type without an event of their own."""
    cls = EVENT_TYPES.get(name)
    if cls is not None and cls.resource_type and _handlers.get(name):
        get_cache().bump(cls.resource_type)


def deliver_all(app: Flask, event_ids: list[str]) -> None:
    """Deliver in a fresh app context, so handlers get their own session."""
    with app.app_context():
        for event_id in event_ids:
            try:
                deliver(event_id)
            except Exception:
                log.exception("event delivery failed", extra={"event_id": event_id})
                db.session.rollback()
        db.session.remove()


def relay(older_than: timedelta = timedelta(seconds=30), limit: int = 500) -> int:
    """Re-deliver outbox rows not marked dispatched; returns how many were delivered."""
    cutoff = utcnow() - older_than
    query = (
        select(OutboxEvent.event_id)
        .where(OutboxEvent.dispatched_at.is_(None), OutboxEvent.created_at <= cutoff)
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
    ids = list(db.session.scalars(query))
    db.session.commit()
    return sum(1 for event_id in ids if deliver(event_id))


@job("events.deliver", queue=EVENTS)
def deliver_job(event_id: str) -> None:
    if not deliver(event_id):
        raise RuntimeError(f"a handler of event {event_id} failed; retrying")


@job("events.relay", queue=EVENTS)
def relay_job() -> int:
    return relay()


class Dispatcher:
    """Hands committed events to the handlers: inline (sync) or on a daemon thread."""

    def __init__(self, app: Flask):
        self.app = app
        self.mode = app.config.get("EVENT_DISPATCH", "sync")

    def submit(self, event_ids: list[str]) -> None:
        if not event_ids:
            return
        if self.mode == "celery":
            from reqflow.core.jobs import enqueue

            for event_id in event_ids:
                enqueue("events.deliver", event_id)
        elif self.mode == "thread":
            threading.Thread(target=deliver_all, args=(self.app, event_ids), daemon=True).start()
        else:
            deliver_all(self.app, event_ids)


# What a commit of an app session (core/request_session.py) leaves for its post-commit step.
_COMMITTED = "reqflow_committed"


def _after_commit(session: Session) -> None:
    pushes = session.info.pop("reqflow_pushes", [])
    ids = session.info.pop("reqflow_events", [])
    if isinstance(session, PostCommitSession):
        # The session cannot read inside this event; its commit() runs _post_commit next.
        if pushes or ids:
            session.info.setdefault(_COMMITTED, []).append((pushes, ids))
        return
    if pushes:
        g.setdefault("reqflow_pushes", []).extend(pushes)
    if ids:
        current_app.extensions["reqflow_dispatcher"].submit(ids)


@post_commit
def _post_commit(session: Session) -> None:
    """Right after the commit: the live pushes first (a Socket.IO emit each, nothing queued
    in front of them), then the events to their handlers (Celery, a thread or inline)."""
    for pushes, ids in session.info.pop(_COMMITTED, []):
        _run_pushes(pushes)
        _end_push_reads(session)
        if ids:
            current_app.extensions["reqflow_dispatcher"].submit(ids)


def _after_rollback(session: Session) -> None:
    session.info.pop("reqflow_events", None)
    session.info.pop("reqflow_pushes", None)


def _mark_request() -> None:
    # Only the request's own app context pushes live (a handler's nested context has its
    # own ``g``, which would end before anyone ran them).
    g.reqflow_request = True


def _end_push_reads(session: Session) -> None:
    """On SQLite every transaction takes the write lock (``BEGIN IMMEDIATE``, core/sqlite.py):
    the transaction a push's reads opened must not hold it while the jobs handed over next
    (threads of the embedded default) wait for it. Ended without expiring what the request
    loaded; on PostgreSQL a read holds no lock and ends with the request."""
    if session.in_transaction() and session.get_bind().dialect.name == "sqlite":
        keep = session.expire_on_commit
        session.expire_on_commit = False
        try:
            session.commit()
        finally:
            session.expire_on_commit = keep


def _run_pushes(pushes: list[tuple[str, str, dict[str, Any]]]) -> None:
    for event_id, name, payload in pushes:
        for fn in _pushes.get(name, []):
            try:
                fn({**payload, "event_id": event_id})
            except Exception:  # a push is best effort; the change itself is committed
                log.exception("live push failed", extra={"event": name})


def _push_committed(_exc: BaseException | None = None) -> None:
    """Run the live pushes of the events this request committed through a session that has
    no post-commit step (an app session pushes as soon as its commit returns)."""
    _run_pushes(g.pop("reqflow_pushes", []))


_listening = False


def init_events(app: Flask) -> None:
    global _listening
    app.extensions["reqflow_dispatcher"] = Dispatcher(app)
    app.before_request(_mark_request)
    app.teardown_request(_push_committed)
    if not _listening:
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda s, _t: _after_rollback(s))
        _listening = True
