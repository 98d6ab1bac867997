"""TOTP second factor (RFC 6238): enrolment, the login challenge, recovery codes.

Login with a second factor is two steps: the password answers a short-lived challenge
token (signed, not a JWT, so it can never pass for an access token), and the challenge
plus a TOTP or recovery code answers the normal tokens. A user of a role in
``MFA_REQUIRED_ROLES`` who has not enrolled gets an enrolment-only challenge instead and
enrols before being signed in. Secrets are encrypted at rest (Fernet, ``MFA_ENCRYPTION_KEY``
or a key derived from ``SECRET_KEY``); recovery codes are stored as SHA-256 hashes (they
are random, 50 bits each, so a slow hash adds nothing). A code's time step is remembered:
the same code (or an older one) is never accepted twice. Wrong codes are throttled per
account (only someone who knows the password gets this far).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
import uuid
from typing import Any

import pyotp
import segno
from cryptography.fernet import Fernet
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from reqflow.core.models import utcnow
from reqflow.errors import Conflict, Forbidden, RateLimited, Unauthorized, ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity import throttle
from reqflow.identity.events import (
    MfaDisabled,
    MfaEnabled,
    MfaFailed,
    MfaReset,
    RecoveryCodesRegenerated,
    RecoveryCodeUsed,
)
from reqflow.identity.models import MfaCredential, User
from reqflow.identity.tokens import token_store

RECOVERY_CODES = 10
VERIFY, ENROL = "verify", "enrol"
_SALT = "reqflow-mfa-challenge"


def _fernet() -> Fernet:
    key = current_app.config.get("MFA_ENCRYPTION_KEY")
    if not key:
        digest = hashlib.sha256(b"reqflow-mfa:" + current_app.config["SECRET_KEY"].encode())
        key = base64.urlsafe_b64encode(digest.digest()).decode()
    return Fernet(key)


def required_for(user: User) -> bool:
    return user.role in current_app.config["MFA_REQUIRED_ROLES"]


def credential(user: User) -> MfaCredential | None:
    return db.session.get(MfaCredential, user.id)


def enabled(user: User) -> bool:
    cred = credential(user)
    return cred is not None and cred.enabled


def status(user: User) -> dict[str, Any]:
    cred = credential(user)
    return {
        "enabled": bool(cred and cred.enabled),
        "required": required_for(user),
        "recovery_codes_left": len(cred.recovery_hashes) if cred and cred.enabled else 0,
        "enrolled_at": cred.enrolled_at if cred and cred.enabled else None,
    }


# --- The challenge token -------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _ttl() -> int:
    return int(current_app.config["MFA_CHALLENGE_SECONDS"])


def challenge_for(user: User) -> dict[str, Any]:
    """What the password step answers when a second factor is due."""
    purpose = VERIFY if enabled(user) else ENROL
    token = _serializer().dumps(
        {"u": user.id, "p": purpose, "tv": user.token_version, "n": uuid.uuid4().hex}
    )
    return {
        "mfa_required": True,
        "mfa_enrolment": purpose == ENROL,
        "mfa_challenge": token,
        "expires_in": _ttl(),
    }


def _read_challenge(token: str, purpose: str) -> tuple[User, str]:
    """The user a challenge speaks for; expired, forged, used or misdirected ones fail alike."""
    try:
        data = _serializer().loads(token, max_age=_ttl())
    except (SignatureExpired, BadSignature):
        raise Unauthorized("Invalid or expired MFA challenge") from None
    user = db.session.get(User, int(data.get("u", 0))) if isinstance(data, dict) else None
    nonce = str(data.get("n", "")) if isinstance(data, dict) else ""
    if (
        user is None
        or not user.is_active
        or data.get("p") != purpose
        or data.get("tv") != user.token_version
        or token_store().is_revoked(f"mfa:{nonce}")
    ):
        raise Unauthorized("Invalid or expired MFA challenge")
    return user, nonce


def _spend(nonce: str) -> None:
    token_store().revoke(f"mfa:{nonce}", _ttl())


# --- Codes ----------------------------------------------------------------------------------


def _totp(cred: MfaCredential) -> pyotp.TOTP:
    return pyotp.TOTP(_fernet().decrypt(cred.secret_encrypted.encode()).decode())


def _matching_step(cred: MfaCredential, code: str) -> int | None:
    """The time step ``code`` belongs to (this one or a neighbour for clock drift), if it is
    newer than the last step accepted."""
    totp = _totp(cred)
    now = totp.timecode(utcnow())
    for step in (now - 1, now, now + 1):
        if step > cred.last_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def _new_recovery_codes(cred: MfaCredential) -> list[str]:
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    cred.recovery_hashes = [_hash_code(c) for c in codes]
    return codes


def _use_recovery_code(cred: MfaCredential, code: str) -> bool:
    digest = _hash_code(code)
    if digest not in cred.recovery_hashes:
        return False
    cred.recovery_hashes = [h for h in cred.recovery_hashes if h != digest]
    return True


def _check_code(user: User, cred: MfaCredential, code: str, *, recovery: bool) -> None:
    """Accept a fresh TOTP code (or, where allowed, an unused recovery code); a wrong one is
    counted per account and the fifth in the window answers 429 until it ends."""
    name = f"mfa:user:{user.id}"
    locked = throttle.locked_for(name)
    if not locked:
        code = code.strip()
        step = _matching_step(cred, code) if code.isdigit() else None
        if step is not None:
            cred.last_step = step
            throttle.succeed(name)
            return
        if recovery and not code.isdigit() and _use_recovery_code(cred, code):
            record(RecoveryCodeUsed(actor_id=user.id, resource_id=user.id))
            throttle.succeed(name)
            return
        locked = throttle.fail(name)
        record(MfaFailed(actor_id=user.id, resource_id=user.id, reason="wrong code"))
        db.session.commit()
        if not locked:
            raise ValidationFailed("Wrong or used code", details={"code": ["Incorrect code."]})
    raise RateLimited(
        "Too many wrong codes; try again later",
        details={"retry_after_seconds": locked},
        headers={"Retry-After": str(locked)},
    )


# --- Use cases ------------------------------------------------------------------------------


def verify_challenge(*, challenge: str, code: str) -> User:
    """The second login step: a TOTP or recovery code against a verify challenge."""
    user, nonce = _read_challenge(challenge, VERIFY)
    cred = credential(user)
    if cred is None or not cred.enabled:
        raise Unauthorized("Invalid or expired MFA challenge")
    _check_code(user, cred, code, recovery=True)
    _spend(nonce)
    db.session.commit()
    return user


def _setup_data(user: User, secret: str) -> dict[str, Any]:
    issuer = current_app.config["MFA_ISSUER"]
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=issuer)
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, xmldecl=False)
    return {"secret": secret, "otpauth_uri": uri, "qr_svg": out.getvalue().decode()}


def begin_setup(user: User) -> dict[str, Any]:
    """A new pending secret (replacing an unconfirmed one); refused while MFA is on."""
    cred = credential(user)
    if cred is not None and cred.enabled:
        raise Conflict("MFA is already enabled; disable or reset it first")
    secret = pyotp.random_base32()
    if cred is None:
        cred = MfaCredential(user_id=user.id, enabled=False, last_step=0, recovery_hashes=[])
        db.session.add(cred)
    cred.secret_encrypted = _fernet().encrypt(secret.encode()).decode()
    db.session.commit()
    return _setup_data(user, secret)


def activate(user: User, code: str) -> list[str]:
    """Confirm the pending secret with a code; the recovery codes are shown this once."""
    cred = credential(user)
    if cred is None or cred.enabled:
        raise Conflict("No MFA setup is pending")
    _check_code(user, cred, code, recovery=False)
    cred.enabled = True
    cred.enrolled_at = utcnow()
    codes = _new_recovery_codes(cred)
    record(MfaEnabled(actor_id=user.id, resource_id=user.id))
    db.session.commit()
    return codes


def enrolment_user(challenge: str) -> User:
    return _read_challenge(challenge, ENROL)[0]


def activate_with_challenge(*, challenge: str, code: str) -> tuple[User, list[str]]:
    user, nonce = _read_challenge(challenge, ENROL)
    codes = activate(user, code)
    _spend(nonce)
    return user, codes


def regenerate_recovery_codes(user: User, code: str) -> list[str]:
    cred = _enabled_credential(user)
    _check_code(user, cred, code, recovery=False)
    codes = _new_recovery_codes(cred)
    record(RecoveryCodesRegenerated(actor_id=user.id, resource_id=user.id))
    db.session.commit()
    return codes


def disable(user: User, code: str) -> None:
    """Turn MFA off (only where the role does not require it), proven with a code."""
    if required_for(user):
        raise Forbidden("Your role requires MFA")
    cred = _enabled_credential(user)
    _check_code(user, cred, code, recovery=True)
    db.session.delete(cred)
    record(MfaDisabled(actor_id=user.id, resource_id=user.id))
    db.session.commit()


def reset(*, actor: User, user: User) -> None:
    """Admin: remove a user's second factor (they enrol again at their next login)."""
    cred = credential(user)
    if cred is not None:
        db.session.delete(cred)
    record(MfaReset(actor_id=actor.id, resource_id=user.id, old_values={"enabled": bool(cred)}))
    db.session.commit()


def _enabled_credential(user: User) -> MfaCredential:
    cred = credential(user)
    if cred is None or not cred.enabled:
        raise Conflict("MFA is not enabled")
    return cred
