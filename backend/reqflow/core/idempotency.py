"""``Idempotency-Key`` for creating POSTs: the same key from the same user within 24 h
replays the first response and creates nothing new.

A pending row is committed before the work starts, so a second request racing the first
hits the unique constraint and gets 409 instead of creating a duplicate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, request
from sqlalchemy import (
    JSON,
    Connection,
    Integer,
    Row,
    String,
    UniqueConstraint,
    delete,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from reqflow.core.models import UTCDateTime, rows_changed, utcnow
from reqflow.core.rbac import current_user
from reqflow.errors import Conflict, ValidationFailed
from reqflow.extensions import db

F = TypeVar("F", bound=Callable[..., Any])


class IdempotencyKey(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, nullable=False)
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    request_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_body: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow, nullable=False, index=True)


def _fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _insert(conn: Connection) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(IdempotencyKey.__table__)


def _claim(user_id: int, key: str, fingerprint: str) -> Row[Any] | None:
    """Insert the pending row; return the earlier row instead when the key is taken.

    One statement when the key is new (the usual case): an INSERT that does nothing on a
    taken key. Only then is an expired row cleared (and the key claimed again) or the
    earlier row read."""
    table = IdempotencyKey.__table__
    mine = (table.c.user_id == user_id) & (table.c.key == key)
    ttl = timedelta(hours=current_app.config.get("IDEMPOTENCY_TTL_HOURS", 24))
    with db.engine.begin() as conn:
        claim = (
            _insert(conn)
            .values(user_id=user_id, key=key, request_hash=fingerprint, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["user_id", "key"])
            .returning(table.c.id)
        )
        if conn.execute(claim).first() is not None:
            return None
        expired = conn.execute(delete(table).where(mine, table.c.created_at < utcnow() - ttl))
        if rows_changed(expired) and conn.execute(claim).first() is not None:
            return None
        return conn.execute(select(table).where(mine)).first()


def _finish(user_id: int, key: str, response: Any) -> None:
    table = IdempotencyKey.__table__
    mine = (table.c.user_id == user_id) & (table.c.key == key)
    with db.engine.begin() as conn:
        if response.status_code < 400:
            body = response.get_json(silent=True)
            conn.execute(
                update(table)
                .where(mine)
                .values(status_code=response.status_code, response_body=body)
            )
        else:  # a refused request may be retried with the same key
            conn.execute(delete(table).where(mine))


def _replay(row: Row[Any], fingerprint: str) -> Any:
    if row.request_hash != fingerprint:
        raise ValidationFailed(
            "Idempotency-Key reused",
            details={"Idempotency-Key": ["This key was used for a different request."]},
        )
    if row.status_code is None:
        raise Conflict("A request with this Idempotency-Key is still being processed")
    response = current_app.json.response(row.response_body)
    response.status_code = row.status_code
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(fn: F) -> F:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get("Idempotency-Key")
        if not key:
            return fn(*args, **kwargs)
        if len(key) > 200:
            raise ValidationFailed(
                "Invalid header", details={"Idempotency-Key": ["At most 200 characters."]}
            )
        user_id = current_user().id
        fingerprint = _fingerprint()
        # The key's own short transactions come first: on SQLite (one writer) this request's
        # open transaction would make them wait for it. (On PostgreSQL it only read: ending it
        # would expire the signed-in user, read again by the work.)
        sqlite_only = db.engine.dialect.name == "sqlite"
        if sqlite_only:
            db.session.rollback()
        earlier = _claim(user_id, key, fingerprint)
        if earlier is not None:
            return _replay(earlier, fingerprint)
        try:
            response = current_app.make_response(fn(*args, **kwargs))
        except Exception:
            db.session.rollback()
            _finish(user_id, key, current_app.response_class(status=500))
            raise
        if sqlite_only:
            db.session.rollback()  # the work committed; reading the response opened another
        _finish(user_id, key, response)
        return response

    return wrapper  # type: ignore[return-value]
