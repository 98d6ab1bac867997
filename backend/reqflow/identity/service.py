"""User and department use cases; each function is one transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError

from reqflow.core.versioning import expect_version
from reqflow.errors import Conflict, NotFound, RateLimited, ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity import throttle
from reqflow.identity.auth import PROFILE, end_all_sessions, verify_password
from reqflow.identity.events import (
    DepartmentCreated,
    PasswordChanged,
    PasswordChangeFailed,
    UserCreated,
    UserDeactivated,
    UserUpdated,
)
from reqflow.identity.models import Department, User
from reqflow.identity.passwords import (
    check_not_reused,
    check_strength,
    hash_password,
    push_history,
)


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id, options=PROFILE)
    if user is None:
        raise NotFound("User not found")
    return user


def _check_refs(department_id: int | None, manager_id: int | None, user_id: int | None) -> None:
    errors: dict[str, list[str]] = {}
    if department_id is not None and db.session.get(Department, department_id) is None:
        errors["department_id"] = ["No such department."]
    if manager_id is not None:
        manager = db.session.get(User, manager_id)
        if manager is None or not manager.is_active:
            errors["manager_id"] = ["No such active user."]
        elif user_id is not None and _manages_chain(manager, user_id):
            errors["manager_id"] = ["A user cannot report to themselves, even indirectly."]
    if errors:
        raise ValidationFailed("Validation failed", details=errors)


def _manages_chain(manager: User, user_id: int) -> bool:
    seen: set[int] = set()
    current: User | None = manager
    while current is not None and current.id not in seen:
        if current.id == user_id:
            return True
        seen.add(current.id)
        current = current.manager
    return False


def _unique_violation(exc: IntegrityError) -> ValidationFailed:
    text = str(exc.orig).lower()
    field = "email" if "email" in text else "username"
    return ValidationFailed("Already taken", details={field: ["Already in use."]})


def create_user(*, actor: User | None, data: dict[str, Any]) -> User:
    """Create a user with a policy-checked password."""
    username, email = data["username"].lower(), data["email"].lower()
    check_strength(data["password"], "password", [username, email, data["full_name"]])
    _check_refs(data.get("department_id"), data.get("manager_id"), None)
    user = User(
        username=username,
        email=email,
        full_name=data["full_name"],
        password_hash=hash_password(data["password"]),
        password_history=[],
        role=data["role"],
        department_id=data.get("department_id"),
        manager_id=data.get("manager_id"),
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise _unique_violation(exc) from exc
    record(
        UserCreated(
            actor_id=actor.id if actor else None, resource_id=user.id, new_values=user.audit_view()
        )
    )
    db.session.commit()
    return user


def update_user(*, actor: User, user_id: int, data: dict[str, Any]) -> User:
    """Change profile, role, department or manager; a stale version is refused."""
    user = get_user(user_id)
    expect_version(user, data.pop("version"), "user")
    _check_refs(data.get("department_id"), data.get("manager_id"), user.id)
    try:
        change_user(actor_id=actor.id, user=user, data=data)
    except IntegrityError as exc:
        db.session.rollback()
        raise _unique_violation(exc) from exc
    db.session.commit()
    return user


def deactivate_user(*, actor: User, user_id: int) -> User:
    """Lock the user out at once; history stays."""
    user = get_user(user_id)
    if user.is_active:  # deactivating twice changes nothing
        change_user(actor_id=actor.id, user=user, data={"is_active": False})
    db.session.commit()
    return user


def change_user(*, actor_id: int, user: User, data: dict[str, Any]) -> None:
    """Apply changes to a user in the caller's transaction: the one path of an edit, a
    deactivation and a users import. A new role or a deactivation ends every session of
    the user (their sockets close when the event is dispatched after commit); each change
    is audited and recorded as an event. No commit here."""
    deactivating = data.get("is_active") is False and user.is_active
    if deactivating and user.id == actor_id:
        raise Conflict("You cannot deactivate your own account")
    old = user.audit_view()
    for field, value in data.items():
        setattr(user, field, value.lower() if field == "email" else value)
    db.session.flush()
    if deactivating or ("role" in data and data["role"] != old["role"]):
        end_all_sessions(user)  # tokens carry the role: make the user log in again
    if deactivating:
        record(
            UserDeactivated(
                actor_id=actor_id,
                resource_id=user.id,
                old_values={"is_active": True},
                new_values={"is_active": False},
            )
        )
    if not deactivating or set(data) - {"is_active"}:
        record(
            UserUpdated(
                actor_id=actor_id, resource_id=user.id, old_values=old, new_values=user.audit_view()
            )
        )


def _check_current_password(user: User, current_password: str) -> None:
    """A wrong current password is counted per account; the fifth in the window stops
    further tries (429) until it ends, so a stolen token cannot guess without limit."""
    name = f"password-change:user:{user.id}"
    locked = throttle.locked_for(name)
    if not locked:
        if verify_password(current_password, user.password_hash):
            throttle.succeed(name)
            return
        locked = throttle.fail(name)
        record(PasswordChangeFailed(actor_id=user.id, resource_id=user.id))
        db.session.commit()
        if not locked:
            raise ValidationFailed(
                "Current password is wrong", details={"current_password": ["Incorrect password."]}
            )
    raise RateLimited(
        "Too many wrong current passwords; try again later",
        details={"retry_after_seconds": locked},
        headers={"Retry-After": str(locked)},
    )


def change_password(*, user: User, current_password: str, new_password: str) -> None:
    """Check the current password (throttled) and the policy, then end every session."""
    _check_current_password(user, current_password)
    check_strength(new_password, "new_password", [user.username, user.email, user.full_name])
    check_not_reused(new_password, user.password_hash, user.password_history, "new_password")
    user.password_history = push_history(user.password_hash, user.password_history)
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    record(PasswordChanged(actor_id=user.id, resource_id=user.id))
    db.session.commit()


def users_query(
    *,
    q: str | None = None,
    role: str | None = None,
    is_active: bool | None = None,
    department_id: int | None = None,
) -> Select[Any]:
    query = select(User)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            or_(User.username.like(like), User.email.like(like), User.full_name.ilike(like))
        )
    if role:
        query = query.where(User.role == role)
    if is_active is not None:
        query = query.where(User.is_active == is_active)
    if department_id is not None:
        query = query.where(User.department_id == department_id)
    return query


def create_department(*, actor: User | None, name: str, code: str) -> Department:
    """Create a department; names and codes are unique."""
    department = Department(name=name, code=code)
    db.session.add(department)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise ValidationFailed("Already taken", details={"code": ["Name or code in use."]}) from exc
    record(
        DepartmentCreated(
            actor_id=actor.id if actor else None,
            resource_id=department.id,
            new_values={"name": name, "code": code},
        )
    )
    db.session.commit()
    return department
