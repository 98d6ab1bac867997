"""The signed-in user of a request: one prebuilt Core statement, or none while the user is
unchanged (issue 17).

``Session.get(User, id, options=(joinedload(department), joinedload(manager)))`` spent about
half of a ``GET /auth/me`` in the ORM: building the joined-eager query, its cache key and the
row processors. Here the statement is built once; its row (the user, their department and
their manager's name) becomes ORM instances that are attached to the session as persistent
(``make_transient_to_detached`` + ``Session.add``: no SQL), so every caller still gets an
ordinary ``User`` whose relationships, lazy loads and flushes behave as if it was queried.

The row is also kept in this process (``Principals``), tagged with the user's and everyone's
*generations* (``identity.tokens``), which the token check reads in the same round trip as
the revocation list. A cached row is used only while both generations are the ones it was
read under; every transaction that changes a user (an ORM flush of a ``User``, an
``update(User)``/``delete(User)`` executed through a session), a department or a manager's
name replaces the generations after it commits (``_collect``/``_bump``), so the next request
in any process reads the row again. No generation (the store failed): the database, always.
A change made outside the application's sessions (psql, a restored backup) is seen when the
cached row expires (``TTL``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from itertools import chain
from typing import Any

import redis
from flask import Flask, current_app, has_app_context
from sqlalchemy import bindparam, event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

from reqflow.identity.models import Department, User
from reqflow.identity.tokens import Generations, token_store

log = logging.getLogger(__name__)
TTL = 60.0  # seconds a cached row is trusted at most, even with unchanged generations
SIZE = 10_000  # users kept per process

_USERS = User.__table__
_DEPARTMENTS = Department.__table__
_MANAGERS = _USERS.alias("manager")
_USER_KEYS = tuple(c.key for c in _USERS.c)
_DEPARTMENT_KEYS = tuple(c.key for c in _DEPARTMENTS.c)

PROFILE_ROW = (
    select(
        *_USERS.c,
        *(c.label(f"department__{c.key}") for c in _DEPARTMENTS.c),
        _MANAGERS.c.full_name.label("manager__full_name"),
    )
    .select_from(_USERS)
    .outerjoin(_DEPARTMENTS, _DEPARTMENTS.c.id == _USERS.c.department_id)
    .outerjoin(_MANAGERS, _MANAGERS.c.id == _USERS.c.manager_id)
    .where(_USERS.c.id == bindparam("user_id"))
)


def _persistent(session: Session, cls: type, values: dict[str, Any]) -> Any:
    """The session's instance for this row, or a new one attached as already loaded."""
    found = session.identity_map.get(identity_key(cls, values["id"]))
    if found is not None:
        return found
    return _detached(cls, values)


def _detached(cls: type, values: dict[str, Any]) -> Any:
    """An instance holding these loaded values, as the ORM's own loading builds one: the
    values go straight into its state (no attribute events, nothing marked modified), the
    attributes not given are expired (they load on access)."""
    instance = cls._sa_class_manager.new_instance()  # type: ignore[attr-defined]
    instance.__dict__.update(values)
    make_transient_to_detached(instance)
    return instance


class Principals:
    """user id → (generations, profile row, monotonic deadline); least recently used first out."""

    def __init__(self, size: int = SIZE, ttl: float = TTL) -> None:
        self.size, self.ttl = size, ttl
        self._lock = threading.Lock()
        self._items: OrderedDict[int, tuple[Generations, dict[str, Any], float]] = OrderedDict()

    def get(self, user_id: int, generations: Generations) -> dict[str, Any] | None:
        with self._lock:
            entry = self._items.get(user_id)
            if entry is None:
                return None
            if entry[0] != generations or entry[2] <= time.monotonic():
                del self._items[user_id]
                return None
            self._items.move_to_end(user_id)
            return entry[1]

    def put(self, user_id: int, generations: Generations, row: dict[str, Any]) -> None:
        with self._lock:
            self._items[user_id] = (generations, row, time.monotonic() + self.ttl)
            self._items.move_to_end(user_id)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def forget(self, user_ids: Any = None) -> None:
        """Drop these users (everyone by default) from this process's cache."""
        with self._lock:
            if user_ids is None:
                self._items.clear()
            else:
                for user_id in user_ids:
                    self._items.pop(user_id, None)


def init_principals(app: Flask) -> Principals:
    principals = app.extensions["reqflow_principals"] = Principals()
    return principals


def principals(app: Flask | None = None) -> Principals:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("reqflow_principals")
    return found if found is not None else init_principals(app)


def _read_row(session: Session, user_id: int) -> dict[str, Any] | None:
    row = session.connection().execute(PROFILE_ROW, {"user_id": user_id}).first()
    if row is None:
        return None
    data = row._mapping
    return {
        "user": {k: data[k] for k in _USER_KEYS},
        "department": (
            {k: data[f"department__{k}"] for k in _DEPARTMENT_KEYS}
            if data["department__id"] is not None
            else None
        ),
        "manager_full_name": data["manager__full_name"],
    }


def load_profile(
    session: Session, user_id: int, generations: Generations | None = None
) -> User | None:
    """The user with their department and manager (name only; the rest loads on access):
    the session's own copy if it already holds this user; else the row cached under these
    generations (no SQL); else one statement, cached under them. Without generations, the
    database."""
    held = session.identity_map.get(identity_key(User, user_id))
    if held is not None:
        return held  # type: ignore[no-any-return]
    cache = principals() if generations is not None else None
    row = cache.get(user_id, generations) if cache is not None else None  # type: ignore[arg-type]
    if row is None:
        row = _read_row(session, user_id)
        if row is None:
            return None
        if cache is not None:
            cache.put(user_id, generations, row)  # type: ignore[arg-type]
    values = {
        k: list(v) if isinstance(v, list) else v  # JSON lists: never share the cached one
        for k, v in row["user"].items()
    }
    department = manager = None
    if row["department"] is not None:
        department = _persistent(session, Department, row["department"])
    if values["manager_id"] is not None:
        manager = _persistent(
            session, User, {"id": values["manager_id"], "full_name": row["manager_full_name"]}
        )
    user: User = _detached(User, {**values, "department": department, "manager": manager})
    session.add(user)  # cascades to the department and manager: persistent, no SQL
    return user


# --- invalidation: a transaction that changed users replaces their generations on commit ---

_PENDING = "reqflow_principal_bumps"
_USERS_NAME, _DEPARTMENTS_NAME = _USERS.name, _DEPARTMENTS.name


def _pending(session: Session) -> tuple[set[int], list[bool]]:
    found = session.info.get(_PENDING)
    if found is None:
        found = session.info[_PENDING] = (set(), [False])
    return found  # type: ignore[no-any-return]


def changed(session: Session, user_ids: Any = (), everyone: bool = False) -> None:
    """Note users (or everyone) whose profile row this transaction changes: their cached
    rows are dropped in every process once it commits. The hooks below call it for every
    change made through a session; a write through a bare connection must call it."""
    ids, all_ = _pending(session)
    ids.update(user_ids)
    if everyone:
        all_[0] = True


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    ids: set[int] = set()
    everyone = False
    for obj in chain(session.dirty, session.deleted):
        if isinstance(obj, User):
            if obj.id is not None:
                ids.add(obj.id)
            if obj in session.deleted or inspect(obj).attrs.full_name.history.has_changes():
                everyone = True  # a manager's name shows in the profiles of their reports
        elif isinstance(obj, Department):
            everyone = True
    if ids or everyone:
        changed(session, ids, everyone)


def _ids_in(clause: Any) -> set[int] | None:
    """The user ids of ``WHERE users.id = :x`` or ``users.id IN (...)``; None otherwise."""
    if not isinstance(clause, BinaryExpression):
        return None
    column, value = clause.left, clause.right
    if (
        getattr(column, "key", None) != "id"
        or getattr(getattr(column, "table", None), "name", None) != _USERS_NAME
    ):
        return None
    if not isinstance(value, BindParameter):
        return None
    if clause.operator is operators.eq and isinstance(value.value, int):
        return {value.value}
    if (
        clause.operator is operators.in_op
        and isinstance(value.value, list | tuple)
        and all(isinstance(v, int) for v in value.value)
    ):
        return set(value.value)
    return None


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    """``update(User)``, ``delete(User)`` and Core updates of the tables through a session."""
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name == _DEPARTMENTS_NAME:
        changed(state.session, everyone=True)
    elif name == _USERS_NAME:
        statement = state.statement
        ids = _ids_in(getattr(statement, "whereclause", None))
        values = getattr(statement, "_values", None) or getattr(statement, "_ordered_values", None)
        named = [getattr(k, "key", k) for k in (values or ())]
        touches_name = not named or "full_name" in named  # values in the parameters: unknown
        if ids is None or touches_name or state.is_delete:
            changed(state.session, ids or (), everyone=True)
        else:
            changed(state.session, ids)


@event.listens_for(Session, "after_commit")
def _bump(session: Session) -> None:
    found = session.info.pop(_PENDING, None)
    if found is None or not has_app_context():
        return
    ids, (everyone,) = found
    if not ids and not everyone:
        return
    principals().forget(None if everyone else ids)
    try:
        token_store().bump(ids, everyone)
    except redis.RedisError:
        log.exception("principal generations not replaced; cached profiles expire in %ss", TTL)
