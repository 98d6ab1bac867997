"""The signed-in user of a request, read with one prebuilt Core statement (issue 17).

``Session.get(User, id, options=(joinedload(department), joinedload(manager)))`` spent about
half of a ``GET /auth/me`` in the ORM: building the joined-eager query, its cache key and the
row processors. Here the statement is built once; its row (the user, their department and
their manager's name) becomes ORM instances that are attached to the session as persistent
(``make_transient_to_detached`` + ``Session.add``: no SQL), so every caller still gets an
ordinary ``User`` whose relationships, lazy loads and flushes behave as if it was queried.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from reqflow.identity.models import Department, User

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
    instance = cls(**values)
    make_transient_to_detached(instance)
    return instance


def load_profile(session: Session, user_id: int) -> User | None:
    """The user with their department and manager (name only; the rest loads on access),
    in one statement; the session's own copy if it already holds this user."""
    held = session.identity_map.get(identity_key(User, user_id))
    if held is not None:
        return held  # type: ignore[no-any-return]
    row = session.connection().execute(PROFILE_ROW, {"user_id": user_id}).first()
    if row is None:
        return None
    data = row._mapping
    values = {k: data[k] for k in _USER_KEYS}
    department = manager = None
    if data["department__id"] is not None:
        department = _persistent(
            session, Department, {k: data[f"department__{k}"] for k in _DEPARTMENT_KEYS}
        )
    if values["manager_id"] is not None:
        manager = _persistent(
            session, User, {"id": values["manager_id"], "full_name": data["manager__full_name"]}
        )
    user: User = User(**values, department=department, manager=manager)
    make_transient_to_detached(user)
    session.add(user)  # cascades to the department and manager: persistent, no SQL
    return user
