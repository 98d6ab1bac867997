"""Writes the audit row for every recorded event, in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from reqflow.audit.models import AuditLog
from reqflow.core.envelope import request_id
from reqflow.core.net import client_ip
from reqflow.events import DomainEvent, on_record

_EVENT_META = {"actor_id", "resource_id", "old_values", "new_values"}


def _request_meta() -> dict[str, Any]:
    if not has_request_context():
        return {}
    return {
        "ip_address": client_ip(),
        "user_agent": (request.user_agent.string or "")[:300],
        "request_id": request_id(),
    }


def _actor_name(session: Session, actor_id: int | None) -> str | None:
    user = g.get("reqflow_user") if has_request_context() else None
    if user is not None and user.id == actor_id:
        return str(user.username)
    if actor_id is None:
        return None
    from sqlalchemy import text

    return session.execute(  # type: ignore[no-any-return]
        text("SELECT username FROM users WHERE id = :id"), {"id": actor_id}
    ).scalar()


@on_record
def audit_event(evt: DomainEvent, session: Session) -> None:
    """Every recorded event is an audit row: who, what, old and new values, from where."""
    extra = {k: v for k, v in evt.payload().items() if k not in _EVENT_META}
    new_values = dict(evt.new_values or {})
    if extra:
        new_values.update(extra)
    session.add(
        AuditLog(
            actor_id=evt.actor_id,
            actor_name=_actor_name(session, evt.actor_id),
            action=evt.audit_action(),
            resource_type=evt.resource_type or "system",
            resource_id=evt.resource_id,
            old_values=evt.old_values,
            new_values=new_values or None,
            **_request_meta(),
        )
    )


def list_query(
    *,
    actor_id: int | None = None,
    action: str | None = None,
    resource_type: str | None = None,
    resource_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select[Any]:
    """The audit rows matching the filters, newest first."""
    query = select(AuditLog)
    if actor_id is not None:
        query = query.where(AuditLog.actor_id == actor_id)
    if action:
        query = query.where(AuditLog.action == action)
    if resource_type:
        query = query.where(AuditLog.resource_type == resource_type)
    if resource_id is not None:
        query = query.where(AuditLog.resource_id == resource_id)
    if since is not None:
        query = query.where(AuditLog.created_at >= since)
    if until is not None:
        query = query.where(AuditLog.created_at <= until)
    return query
