"""Documents' live side: ``doc:<type>:<id>`` rooms that open pages join (after a visibility
check), ``document_activity`` pushes to them, and ``@mention`` notifications."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_socketio import join_room, leave_room

from reqflow.documents import events as ev
from reqflow.documents import registry
from reqflow.errors import NotFound
from reqflow.events import handles
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.notifications import service
from reqflow.notifications.handlers import deliver
from reqflow.notifications.realtime import _server, _sid_users


def room(document_type: str, document_id: int) -> str:
    return f"doc:{document_type}:{document_id}"


def _target(data: Any) -> tuple[str, int] | None:
    if not isinstance(data, dict):
        return None
    doc_type, doc_id = data.get("type"), data.get("id")
    if doc_type not in registry.TYPES or not isinstance(doc_id, int) or isinstance(doc_id, bool):
        return None
    return doc_type, doc_id


def on_join(data: Any = None) -> dict[str, Any]:
    """Join a document's room if this socket's user may see the document."""
    try:
        target = _target(data)
        user_id = _sid_users.get(request.sid)  # type: ignore[attr-defined]
        user = db.session.get(User, user_id) if user_id is not None else None
        if target is None or user is None or not user.is_active:
            return {"ok": False}
        try:
            registry.load(user, *target)
        except NotFound:
            return {"ok": False}
        join_room(room(*target))
        return {"ok": True}
    finally:
        db.session.remove()


def on_leave(data: Any = None) -> dict[str, Any]:
    target = _target(data)
    if target is not None:
        leave_room(room(*target))
    return {"ok": target is not None}


def init_document_rooms(app: Flask) -> None:
    sio = app.extensions["socketio"]
    sio.on_event("join_document", on_join)
    sio.on_event("leave_document", on_leave)


@handles(
    ev.AttachmentAdded,
    ev.AttachmentVersionAdded,
    ev.AttachmentDeleted,
    ev.CommentAdded,
    ev.CommentEdited,
    push=True,
)
def document_activity(payload: dict[str, Any]) -> None:
    body = {
        "document_type": payload["document_type"],
        "document_id": payload["document_id"],
        "kind": "comment" if "author_id" in payload else "attachment",
        "id": payload["resource_id"],
        "actor_id": payload.get("actor_id"),
    }
    _server().emit(
        "document_activity", body, to=room(payload["document_type"], payload["document_id"])
    )


@handles(ev.CommentAdded, ev.CommentEdited)
def mentioned(payload: dict[str, Any]) -> None:
    """Tell each newly mentioned person once (in-app, live, and by e-mail if they wish)."""
    ids = list(payload.get("mentioned_ids") or ())
    if not ids:
        return
    actor = db.session.get(User, payload["actor_id"])
    doc_type = registry.TYPES[payload["document_type"]]
    rows = service.notify(
        user_ids=ids,
        type="mention",
        title=f"{actor.full_name if actor else 'Someone'} mentioned you",
        body=(payload.get("new_values") or {}).get("body", "")[:500],
        link=f"/{doc_type.path}/{payload['document_id']}",
        event_id=payload["event_id"],
        resource_type=payload["document_type"],
        resource_id=payload["document_id"],
    )
    deliver(rows)
