"""Login, token issue and rotation, logout: the authentication use cases."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from reqflow.core.models import utcnow
from reqflow.errors import AccountLocked, Unauthorized
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.events import (
    AccountLockedOut,
    LoginFailed,
    RefreshTokenReused,
    UserLoggedIn,
    UserLoggedOut,
)
from reqflow.identity.models import User
from reqflow.identity.passwords import verify_password
from reqflow.identity.tokens import token_store

# What a user's own profile shows beside the user row, loaded with it in one statement.
PROFILE = (joinedload(User.department), joinedload(User.manager))
# A real bcrypt hash, checked when the user does not exist so timing reveals nothing.
_DUMMY_HASH = "$2b$12$VKyoQaFsbnI/fdQL7VmE3eYiv7wtpVSaQI6Bz2chfcHYaA8p50b12"
INVALID = "Invalid username or password"


def _find(identifier: str) -> User | None:
    ident = identifier.strip().lower()
    return db.session.scalar(select(User).where(or_(User.username == ident, User.email == ident)))


def _locked_error(user: User) -> AccountLocked:
    seconds = int((user.locked_until - utcnow()).total_seconds()) if user.locked_until else 0
    return AccountLocked(
        "Account locked after repeated failed logins; try again later",
        details={"retry_after_seconds": max(seconds, 1)},
        headers={"Retry-After": str(max(seconds, 1))},
    )


def _fail(user: User | None, identifier: str, reason: str) -> None:
    """Count the failure atomically; the fifth in a row locks the account."""
    if user is None:
        record(LoginFailed(identifier=identifier[:80], reason=reason))
        db.session.commit()
        raise Unauthorized(INVALID)
    count = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_login_count=User.failed_login_count + 1)
        .returning(User.failed_login_count)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    record(
        LoginFailed(
            actor_id=user.id, resource_id=user.id, identifier=identifier[:80], reason=reason
        )
    )
    if count >= current_app.config["LOCKOUT_THRESHOLD"]:
        until = utcnow() + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
        db.session.execute(
            update(User)
            .where(User.id == user.id)
            .values(locked_until=until, failed_login_count=0)
            .execution_options(synchronize_session=False)
        )
        record(
            AccountLockedOut(
                actor_id=user.id,
                resource_id=user.id,
                new_values={"locked_until": until.isoformat()},
            )
        )
        db.session.commit()
        user.locked_until = until
        raise _locked_error(user)
    db.session.commit()
    raise Unauthorized(INVALID)


def authenticate(*, identifier: str, password: str) -> User:
    """Check the credentials, counting failures and honouring the lockout."""
    user = _find(identifier)
    if user is None:
        verify_password(password, _DUMMY_HASH)
        _fail(None, identifier, "unknown user")
    assert user is not None
    if user.locked_until and user.locked_until > utcnow():
        record(
            LoginFailed(
                actor_id=user.id, resource_id=user.id, identifier=identifier[:80], reason="locked"
            )
        )
        db.session.commit()
        raise _locked_error(user)
    if not verify_password(password, user.password_hash):
        _fail(user, identifier, "wrong password")
    if not user.is_active:
        _fail(user, identifier, "inactive")
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    record(UserLoggedIn(actor_id=user.id, resource_id=user.id))
    db.session.commit()
    return user


def _pair(user: User, family: str) -> tuple[dict[str, Any], str]:
    claims = {
        "role": user.role,
        "perms": sorted(user.permissions),
        "fam": family,
        "tv": user.token_version,
    }
    access = create_access_token(identity=str(user.id), additional_claims=claims)
    refresh_token = create_refresh_token(identity=str(user.id), additional_claims=claims)
    tokens = {
        "access_token": access,
        "refresh_token": refresh_token,
        "token_type": "Bearer",
        "expires_in": int(current_app.config["JWT_ACCESS_TOKEN_EXPIRES"].total_seconds()),
    }
    return tokens, decode_token(refresh_token)["jti"]


def _refresh_ttl() -> int:
    return int(current_app.config["JWT_REFRESH_TOKEN_EXPIRES"].total_seconds())


def issue_tokens(user: User) -> dict[str, Any]:
    """A fresh access + refresh pair starting a new refresh family (one per login)."""
    family = uuid.uuid4().hex
    tokens, refresh_jti = _pair(user, family)
    token_store().start_family(family, refresh_jti, _refresh_ttl())
    return tokens


def refresh(*, user: User, claims: dict[str, Any]) -> dict[str, Any]:
    """Rotate the refresh token; presenting an already-rotated one revokes the family."""
    family = claims.get("fam", "")
    tokens, new_jti = _pair(user, family)
    store = token_store()
    if not store.rotate(family, claims["jti"], new_jti, _refresh_ttl()):
        store.revoke_family(family, _refresh_ttl())
        record(RefreshTokenReused(actor_id=user.id, resource_id=user.id))
        db.session.commit()
        raise Unauthorized("Refresh token reuse detected; please log in again")
    return tokens


def logout(*, user: User, claims: dict[str, Any]) -> None:
    """Revoke this token and its family, and end every other token of the user."""
    store = token_store()
    store.revoke(claims["jti"], _refresh_ttl())
    if claims.get("fam"):
        store.revoke_family(claims["fam"], _refresh_ttl())
    end_all_sessions(user)
    record(UserLoggedOut(actor_id=user.id, resource_id=user.id))
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Tokens carry the user's token_version; bumping it invalidates all of them at once."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(token_version=User.token_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user)


def token_user(payload: dict[str, Any]) -> User | None:
    """The user a token speaks for, if the token still stands: not revoked (token id or
    family), the user active and on the token's version. One Redis round trip and one
    statement (the user with their department); the caller keeps the user for the request."""
    if token_store().any_revoked(payload["jti"], payload.get("fam", "")):
        return None
    user = db.session.get(User, int(payload["sub"]), options=PROFILE)
    if user is None or not user.is_active or user.token_version != payload.get("tv"):
        return None
    return user


def is_token_revoked(payload: dict[str, Any]) -> bool:
    """Called for every token: revoked id or family, stale version, inactive or gone user."""
    return token_user(payload) is None


def count_active_users() -> int:
    return int(db.session.scalar(select(func.count(User.id)).where(User.is_active)) or 0)
