"""Events are stored with the change, handled after commit, and never lost or doubled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from sqlalchemy import func, select

from reqflow import events
from reqflow.events import DomainEvent, OutboxEvent, event_type, handles, record, relay
from reqflow.extensions import db


@event_type
@dataclass(frozen=True, kw_only=True)
class WidgetInspected(DomainEvent):
    resource_type: ClassVar[str] = "widget"
    note: str = ""


def test_handler_failure_leaves_the_event_in_the_outbox_and_the_relay_delivers_it(app):
    calls: list[str] = []
    fail = {"on": True}

    def flaky(payload):
        calls.append(payload["event_id"])
        if fail["on"]:
            raise RuntimeError("mail server down")

    handles(WidgetInspected)(flaky)
    try:
        with app.app_context():
            row = record(WidgetInspected(resource_id=7, note="first"))
            event_id = row.event_id
            db.session.commit()  # dispatch runs after commit and the handler fails
            stored = db.session.scalar(select(OutboxEvent).where(OutboxEvent.event_id == event_id))
            db.session.refresh(stored)
            assert stored.dispatched_at is None
            assert "mail server down" in stored.last_error
            assert calls == [event_id]

            fail["on"] = False
            assert relay(older_than=timedelta(0)) == 1
            db.session.refresh(stored)
            assert stored.dispatched_at is not None
            assert calls == [event_id, event_id]
    finally:
        events.unregister(WidgetInspected, flaky)


def test_a_redelivered_event_runs_each_handler_once(app):
    seen: list[int] = []

    def count(payload):
        seen.append(payload["resource_id"])

    handles(WidgetInspected)(count)
    try:
        with app.app_context():
            row = record(WidgetInspected(resource_id=9))
            db.session.commit()
            assert seen == [9]
            # Simulate a crash between the handler's commit and marking the row dispatched.
            row = db.session.scalar(select(OutboxEvent).where(OutboxEvent.event_id == row.event_id))
            row.dispatched_at = None
            db.session.commit()
            relay(older_than=timedelta(0))
            assert seen == [9]
    finally:
        events.unregister(WidgetInspected, count)


def test_a_rolled_back_change_emits_nothing(app):
    seen: list[int] = []
    handler = handles(WidgetInspected)(lambda payload: seen.append(1))
    try:
        with app.app_context():
            record(WidgetInspected(resource_id=1))
            db.session.rollback()
            db.session.commit()
            assert db.session.scalar(select(func.count(OutboxEvent.id))) == 0
            assert seen == []
    finally:
        events.unregister(WidgetInspected, handler)


def test_recording_an_event_writes_its_audit_row_in_the_same_transaction(app):
    from reqflow.audit.models import AuditLog

    with app.app_context():
        record(WidgetInspected(actor_id=None, resource_id=3, new_values={"ok": True}))
        db.session.rollback()
        assert db.session.scalar(select(func.count(AuditLog.id))) == 0
        record(WidgetInspected(resource_id=3, note="kept"))
        db.session.commit()
        entry = db.session.scalar(select(AuditLog).where(AuditLog.resource_type == "widget"))
        assert entry.action == "widget_inspected" and entry.new_values == {"note": "kept"}
