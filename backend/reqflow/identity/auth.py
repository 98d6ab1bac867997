"""Login, token issue and rotation, logout: the authentication use cases."""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import timedelta
from typing import Any, NoReturn

import redis
from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from reqflow.core.models import utcnow
from reqflow.core.net import client_ip
from reqflow.errors import AccountLocked, Unauthorized
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity import throttle
from reqflow.identity.events import (
    AccountLockedOut,
    LoginFailed,
    RefreshTokenReused,
    UserLoggedIn,
    UserLoggedOut,
)
from reqflow.identity.models import User
from reqflow.identity.passwords import burn_check, hash_password, needs_rehash, verify_password
from reqflow.identity.principal import load_profile
from reqflow.identity.tokens import token_store

# What a user's own profile shows beside the user row, loaded with it in one statement.
PROFILE = (joinedload(User.department), joinedload(User.manager))
INVALID = "Invalid username or password"
log = logging.getLogger(__name__)


def _find(identifier: str) -> User | None:
    ident = identifier.strip().lower()
    return db.session.scalar(select(User).where(or_(User.username == ident, User.email == ident)))


def _throttle_key(user: User | None, identifier: str) -> str:
    """Per (account, client address); a name matching no user gets the same treatment."""
    if user is not None:
        account = f"user:{user.id}"
    else:
        name = identifier.strip().lower().encode("utf-8", "surrogatepass")
        account = "name:" + hashlib.sha256(name).hexdigest()[:32]
    return f"login:{account}:{client_ip()}"


def _locked_error(seconds: int) -> AccountLocked:
    return AccountLocked(
        "Too many failed logins; try again later",
        details={"retry_after_seconds": seconds},
        headers={"Retry-After": str(seconds)},
    )


def _refuse(user: User | None, identifier: str, reason: str, throttle_key: str) -> NoReturn:
    """Count the failure for this account and address; the fifth in a row locks the pair."""
    uid = user.id if user is not None else None
    record(LoginFailed(actor_id=uid, resource_id=uid, identifier=identifier[:80], reason=reason))
    locked = throttle.fail(throttle_key)
    if locked:
        until = utcnow() + timedelta(seconds=locked)
        record(
            AccountLockedOut(
                actor_id=uid,
                resource_id=uid,
                new_values={
                    "locked_until": until.isoformat(),
                    "identifier": identifier[:80],
                    "ip_address": client_ip(),
                },
            )
        )
    db.session.commit()
    raise _locked_error(locked) if locked else Unauthorized(INVALID)


def authenticate(*, identifier: str, password: str) -> User:
    """The password step and the sign-in together (for users without a second factor)."""
    user = check_password(identifier=identifier, password=password)
    complete_login(user)
    return user


def check_password(*, identifier: str, password: str) -> User:
    """Check the credentials, throttled per (account, client address) so that an unknown
    name, a wrong password and a locked pair look alike from outside (see ``throttle``)."""
    user = _find(identifier)
    throttle_key = _throttle_key(user, identifier)
    locked = throttle.locked_for(throttle_key)
    if locked:
        uid = user.id if user is not None else None
        record(
            LoginFailed(actor_id=uid, resource_id=uid, identifier=identifier[:80], reason="locked")
        )
        db.session.commit()
        raise _locked_error(locked)
    if user is None:
        burn_check(password)
        _refuse(None, identifier, "unknown user", throttle_key)
    if not verify_password(password, user.password_hash):
        _refuse(user, identifier, "wrong password", throttle_key)
    if not user.is_active:
        _refuse(user, identifier, "inactive", throttle_key)
    throttle.succeed(throttle_key)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def complete_login(user: User) -> None:
    """Every factor checked: the user is signed in."""
    user.last_login_at = utcnow()
    record(UserLoggedIn(actor_id=user.id, resource_id=user.id))
    db.session.commit()


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
    family), the user active and on the token's version. One Redis round trip (the
    revocation list and the user's principal generations) and, unless this process holds
    the user's profile row under those generations, one prebuilt statement (``principal``);
    the caller keeps the user for the request. Should the generations be unreadable, the
    revocation list alone is asked and the user read from the database."""
    user_id = int(payload["sub"])
    store = token_store()
    generations = None
    try:
        revoked, generations = store.check(payload["jti"], payload.get("fam", ""), user_id)
    except redis.RedisError:
        log.warning("principal generations unreadable; reading the user", exc_info=True)
        revoked = store.any_revoked(payload["jti"], payload.get("fam", ""))
    if revoked:
        return None
    user = load_profile(db.session(), user_id, generations)
    if user is None or not user.is_active or user.token_version != payload.get("tv"):
        return None
    return user


def is_token_revoked(payload: dict[str, Any]) -> bool:
    """Called for every token: revoked id or family, stale version, inactive or gone user."""
    return token_user(payload) is None


def count_active_users() -> int:
    return int(db.session.scalar(select(func.count(User.id)).where(User.is_active)) or 0)
