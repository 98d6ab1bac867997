"""Ending a user's sessions ends their open sockets too (SPEC §3 and §4).

Logout, password change, deactivation and a role change bump the user's token version;
after that commits, the user's sockets are disconnected in every Socket.IO process.
"""

from __future__ import annotations

from typing import Any

from reqflow.events import handles
from reqflow.identity.events import PasswordChanged, UserDeactivated, UserLoggedOut, UserUpdated
from reqflow.notifications.realtime import disconnect_user


@handles(UserLoggedOut, PasswordChanged, UserDeactivated)
def close_sockets(payload: dict[str, Any]) -> None:
    """The user's tokens were all revoked: their live sockets must not outlive them."""
    if payload.get("resource_id") is not None:
        disconnect_user(int(payload["resource_id"]))


@handles(UserUpdated)
def close_sockets_on_role_change(payload: dict[str, Any]) -> None:
    """A new role ends the user's sessions (tokens carry the role); the sockets follow."""
    old, new = payload.get("old_values") or {}, payload.get("new_values") or {}
    if old.get("role") != new.get("role") and payload.get("resource_id") is not None:
        disconnect_user(int(payload["resource_id"]))
