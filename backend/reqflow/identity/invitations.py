"""Invitations: a user created without a password (an import) sets one through a signed link
that expires and works once (it names the password hash it was issued for, so setting the
password spends it)."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from reqflow.errors import Conflict, ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.auth import end_all_sessions
from reqflow.identity.events import PasswordChanged
from reqflow.identity.models import User
from reqflow.identity.passwords import check_strength, hash_password

# No bcrypt hash looks like this: nobody can log in with it (verify_password is False).
UNUSABLE_PASSWORD = "!invited"
SALT = "reqflow-invitation"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def is_invited(user: User) -> bool:
    return user.password_hash == UNUSABLE_PASSWORD


def invitation_token(user: User) -> str:
    return _serializer().dumps({"uid": user.id, "fp": _fingerprint(user)})


def invitation_link(user: User) -> str:
    base = current_app.config["APP_BASE_URL"].rstrip("/")
    return f"{base}/set-password?token={invitation_token(user)}"


def _claims(token: str) -> dict[str, Any]:
    hours = float(current_app.config["INVITATION_HOURS"])
    try:
        data = _serializer().loads(token, max_age=int(hours * 3600))
    except SignatureExpired as exc:
        raise ValidationFailed(
            "The link has expired", details={"token": ["Expired; ask for a new invitation."]}
        ) from exc
    except BadSignature as exc:
        raise ValidationFailed("Invalid link", details={"token": ["Not a valid link."]}) from exc
    if not isinstance(data, dict):
        raise ValidationFailed("Invalid link", details={"token": ["Not a valid link."]})
    return data


def set_password(*, token: str, password: str) -> User:
    """Set the first password of an invited user; the link works once."""
    claims = _claims(token)
    user = db.session.get(User, claims.get("uid"))
    if user is None or not user.is_active:
        raise ValidationFailed("Invalid link", details={"token": ["Not a valid link."]})
    if claims.get("fp") != _fingerprint(user):
        raise Conflict("This link has already been used.")
    check_strength(password, "password", [user.username, user.email, user.full_name])
    user.password_hash = hash_password(password)
    user.password_history = []
    end_all_sessions(user)
    record(PasswordChanged(actor_id=user.id, resource_id=user.id))
    db.session.commit()
    return user
