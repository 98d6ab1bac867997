"""Authentication and permission checks for resources, re-checked against the database.

The identity package installs the user loader (Flask-JWT-Extended's ``user_lookup_loader``);
core only asks the loaded user ``can(resource, action, scope)``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import g
from flask_jwt_extended import get_current_user, verify_jwt_in_request

from reqflow.errors import Forbidden, Unauthorized

F = TypeVar("F", bound=Callable[..., Any])


class Principal(Protocol):
    id: int
    role: str
    department_id: int | None
    is_active: bool

    def can(self, resource: str, action: str, scope: str | None = None) -> bool: ...
    def scope_of(self, resource: str, action: str) -> str | None: ...


def current_user(*, refresh: bool = False) -> Any:
    """The authenticated, active user of this request (401 otherwise)."""
    if "reqflow_user" not in g:
        verify_jwt_in_request(refresh=refresh)
        user = get_current_user()
        if user is None or not user.is_active:
            raise Unauthorized("Not authenticated")
        g.reqflow_user = user
    return g.reqflow_user


def login_required(fn: F) -> F:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        current_user()
        return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def require_permission(resource: str, action: str, scope: str | None = None) -> Callable[[F], F]:
    """Refuse with 403 unless the caller holds ``resource:action`` (at ``scope`` or wider).

    The wrapper names what it requires (``required_permission``): the OpenAPI document shows it
    as ``x-permission`` and the generated permission-matrix test reads it from there."""
    permission = ":".join(p for p in (resource, action, scope) if p)

    def decorate(fn: F) -> F:
        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if not user.can(resource, action, scope):
                raise Forbidden("You do not have permission to do this")
            return fn(*args, **kwargs)

        wrapper.required_permission = permission  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def scoped(
    query: Any,
    user: Principal,
    resource: str,
    action: str,
    *,
    owner_col: Any,
    department_col: Any | None = None,
) -> Any:
    """Filter ``query`` to what the caller may see: own rows, their department's, or all."""
    scope = user.scope_of(resource, action)
    if scope == "all":
        return query
    if scope == "department" and department_col is not None:
        return query.where(department_col == user.department_id)
    if scope in ("own", "department"):
        return query.where(owner_col == user.id)
    return query.where(False)
