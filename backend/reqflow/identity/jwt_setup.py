"""Flask-JWT-Extended callbacks: every token is checked against the database and the
revocation list, and every refusal is written in the error envelope."""

from __future__ import annotations

from typing import Any

from flask import g

from reqflow.core.envelope import error_response
from reqflow.extensions import db, jwt
from reqflow.identity.auth import token_user
from reqflow.identity.models import User


def _unauthorized(message: str = "Not authenticated") -> Any:
    return error_response(401, "UNAUTHORIZED", message, {})


@jwt.token_in_blocklist_loader
def _revoked(_header: dict[str, Any], payload: dict[str, Any]) -> bool:
    # The revocation check loads the user anyway: keep it for the user loader below, so a
    # request pays one lookup for both.
    user = token_user(payload)
    g.reqflow_token_user = user
    return user is None


@jwt.user_lookup_loader
def _load_user(_header: dict[str, Any], payload: dict[str, Any]) -> User | None:
    for name in ("reqflow_user", "reqflow_token_user"):
        cached = g.get(name)
        if cached is not None and str(cached.id) == payload["sub"]:
            return cached  # type: ignore[no-any-return]
    return db.session.get(User, int(payload["sub"]))


@jwt.unauthorized_loader
def _missing(reason: str) -> Any:
    if "csrf" in reason.lower():
        return error_response(403, "CSRF_FAILED", "Missing or invalid CSRF token", {})
    return _unauthorized()


@jwt.invalid_token_loader
def _invalid(_reason: str) -> Any:
    return _unauthorized("Invalid token")


@jwt.expired_token_loader
def _expired(_header: dict[str, Any], _payload: dict[str, Any]) -> Any:
    return _unauthorized("Token expired")


@jwt.revoked_token_loader
def _revoked_response(_header: dict[str, Any], _payload: dict[str, Any]) -> Any:
    return _unauthorized("Token revoked")


@jwt.user_lookup_error_loader
def _user_gone(_header: dict[str, Any], _payload: dict[str, Any]) -> Any:
    return _unauthorized()


@jwt.needs_fresh_token_loader
def _needs_fresh(_header: dict[str, Any], _payload: dict[str, Any]) -> Any:
    return _unauthorized("Fresh login required")


@jwt.token_verification_failed_loader
def _verification_failed(_header: dict[str, Any], _payload: dict[str, Any]) -> Any:
    return _unauthorized()
