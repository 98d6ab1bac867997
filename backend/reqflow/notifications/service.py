"""Notification use cases: create once per event and recipient, list, mark read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update

from reqflow.core.cache import bump_after_commit, get_cache
from reqflow.core.models import utcnow
from reqflow.errors import NotFound, ValidationFailed
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.notifications.models import TYPES, Notification, NotificationPreference


def notify(
    *,
    user_ids: list[int],
    type: str,
    title: str,
    body: str,
    link: str | None,
    event_id: str,
    resource_type: str | None = None,
    resource_id: int | None = None,
) -> list[Notification]:
    """Store one notification per active recipient; an event never notifies twice."""
    wanted = set(user_ids)
    if not wanted:
        return []
    # The active recipients this event has not told yet (a redelivery), in one statement.
    told = select(Notification.id).where(
        Notification.event_id == event_id,
        Notification.type == type,
        Notification.user_id == User.id,
    )
    untold = set(
        db.session.scalars(
            select(User.id).where(User.id.in_(wanted), User.is_active, ~told.exists())
        )
    )
    rows = [
        Notification(
            user_id=uid,
            type=type,
            title=title[:200],
            body=body,
            link=link,
            event_id=event_id,
            resource_type=resource_type,
            resource_id=resource_id,
        )
        for uid in sorted(untold)
    ]
    db.session.add_all(rows)
    db.session.flush()
    unread_changed(*(row.user_id for row in rows))
    return rows


def _namespace(user_id: int) -> str:
    return f"notifications:{user_id}"


def unread_changed(*user_ids: int) -> None:
    """These users' unread counts change when the current transaction commits."""
    bump_after_commit(db.session(), *map(_namespace, user_ids))


def users_with_role(*roles: str) -> list[int]:
    return list(db.session.scalars(select(User.id).where(User.role.in_(roles), User.is_active)))


def list_query(user_id: int, *, unread: bool | None, since_id: int | None) -> Select[Any]:
    query = select(Notification).where(Notification.user_id == user_id)
    if unread:
        query = query.where(Notification.read_at.is_(None))
    if since_id is not None:
        query = query.where(Notification.id > since_id)
    return query


def unread_count(user_id: int) -> int:
    """My unread notifications, cached until one arrives or is read."""
    query = select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    count = get_cache().cached(
        f"unread:{user_id}", [_namespace(user_id)], lambda: db.session.scalar(query) or 0
    )
    return int(count)


def mark_read(*, user_id: int, notification_id: int) -> Notification:
    """Mark one of my notifications read (someone else's is 404)."""
    row = db.session.get(Notification, notification_id)
    if row is None or row.user_id != user_id:
        raise NotFound("Notification not found")
    if row.read_at is None:
        row.read_at = utcnow()
        unread_changed(user_id)
        db.session.commit()
    return row


def mark_all_read(*, user_id: int) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    count = getattr(result, "rowcount", 0)
    unread_changed(user_id)
    db.session.commit()
    return int(count or 0)


def wanting_email(user_ids: list[int], type: str) -> set[int]:
    """Which of these users want ``type`` by e-mail (their preference, else the type's
    default), in one statement."""
    if not user_ids:
        return set()
    rows = db.session.execute(
        select(NotificationPreference.user_id, NotificationPreference.email).where(
            NotificationPreference.user_id.in_(set(user_ids)),
            NotificationPreference.type == type,
        )
    ).all()
    stored: dict[int, bool] = {uid: email for uid, email in rows}
    default = TYPES.get(type, ("", False))[1]
    return {uid for uid in user_ids if stored.get(uid, default)}


def wants_email(user_id: int, type: str) -> bool:
    pref = db.session.scalar(
        select(NotificationPreference.email).where(
            NotificationPreference.user_id == user_id, NotificationPreference.type == type
        )
    )
    return TYPES.get(type, ("", False))[1] if pref is None else bool(pref)


def preferences(user_id: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(NotificationPreference.type, NotificationPreference.email).where(
            NotificationPreference.user_id == user_id
        )
    ).all()
    stored = {row[0]: row[1] for row in rows}
    return [
        {"type": t, "label": label, "email": stored.get(t, default)}
        for t, (label, default) in TYPES.items()
    ]


def set_preferences(*, user_id: int, changes: dict[str, bool]) -> list[dict[str, Any]]:
    unknown = sorted(set(changes) - set(TYPES))
    if unknown:
        raise ValidationFailed(
            "Unknown notification types", details={t: ["Unknown type."] for t in unknown}
        )
    for type, email in changes.items():
        pref = db.session.scalar(
            select(NotificationPreference).where(
                NotificationPreference.user_id == user_id, NotificationPreference.type == type
            )
        )
        if pref is None:
            db.session.add(NotificationPreference(user_id=user_id, type=type, email=email))
        else:
            pref.email = email
    db.session.commit()
    return preferences(user_id)


def as_payload(row: Notification) -> dict[str, Any]:
    created: datetime = row.created_at
    return {
        "id": row.id,
        "type": row.type,
        "title": row.title,
        "body": row.body,
        "link": row.link,
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
