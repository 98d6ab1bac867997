"""Password rules of SPEC §3: bcrypt, 12 to 128 characters, zxcvbn ≥ 3, no reuse of the last 5.

bcrypt reads at most 72 bytes (bcrypt 5 refuses more), and 64 non-ASCII characters already
exceed that. New hashes therefore feed bcrypt a pre-digest: HMAC-SHA256 of the password,
keyed with the hash's own bcrypt salt (so a digest leaked elsewhere cannot be replayed into
bcrypt), base64-encoded (44 ASCII bytes, no NUL). They are stored as
``$bcrypt-hmac-sha256$`` + the bcrypt hash. Hashes written before keep verifying the old way
(the first 72 bytes) and are replaced at the next successful login.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

import bcrypt
from flask import current_app
from zxcvbn import zxcvbn

from reqflow.errors import ValidationFailed

MIN_LENGTH = 12
MIN_SCORE = 3
MAX_LENGTH = 128
ZXCVBN_LIMIT = 72  # zxcvbn refuses longer input; the first 72 characters are rated
PREFIX = "$bcrypt-hmac-sha256$"


def _rounds() -> int:
    return int(current_app.config.get("BCRYPT_ROUNDS", 12))


def _digest(password: str, salt: bytes) -> bytes:
    mac = hmac.new(salt, password.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
    return base64.b64encode(mac)


def hash_password(password: str) -> str:
    """A bcrypt hash of the password's pre-digest, any length."""
    salt = bcrypt.gensalt(_rounds())
    return PREFIX + bcrypt.hashpw(_digest(password, salt), salt).decode()


def verify_password(password: str, hashed: str) -> bool:
    """Check against a pre-digest hash, or a legacy hash of the raw first 72 bytes."""
    try:
        if hashed.startswith(PREFIX):
            inner = hashed[len(PREFIX) :].encode()
            return bcrypt.checkpw(_digest(password, inner[:29]), inner)
        return bcrypt.checkpw(password.encode("utf-8", "surrogatepass")[:72], hashed.encode())
    except ValueError:
        return False


def needs_rehash(hashed: str) -> bool:
    """Legacy (raw-bytes) hashes and hashes of another cost are replaced at login."""
    if not hashed.startswith(PREFIX):
        return True
    return not hashed[len(PREFIX) :].startswith(f"$2b${_rounds():02d}$")


@cache
def _dummy_hash(rounds: int) -> str:
    salt = bcrypt.gensalt(rounds)
    return PREFIX + bcrypt.hashpw(_digest("no such user", salt), salt).decode()


def burn_check(password: str) -> None:
    """Spend what a real check costs, so an unknown user answers as slowly as a known one."""
    verify_password(password, _dummy_hash(_rounds()))


def check_strength(password: str, field: str, user_inputs: list[str]) -> None:
    """Raise a 422 naming ``field`` when the password is too short or guessable."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    elif len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    else:
        inputs = [u[:ZXCVBN_LIMIT] for u in user_inputs if u]
        result = zxcvbn(password[:ZXCVBN_LIMIT], user_inputs=inputs)
        if result["score"] < MIN_SCORE:
            feedback = result.get("feedback") or {}
            hint = feedback.get("warning") or "This password is too easy to guess."
            problems.append(hint)
            problems.extend(feedback.get("suggestions") or [])
    if problems:
        raise ValidationFailed("Password too weak", details={field: problems})


def _keep() -> int:
    return int(current_app.config.get("PASSWORD_HISTORY", 5))


def check_not_reused(password: str, current_hash: str, history: list[str], field: str) -> None:
    """Refuse the current password and each of the last ``PASSWORD_HISTORY`` ones."""
    keep = _keep()
    if any(verify_password(password, old) for old in [current_hash, *history[:keep]]):
        raise ValidationFailed(
            "Password reused",
            details={field: [f"Choose a password you have not used in your last {keep}."]},
        )


def push_history(current_hash: str, history: list[str]) -> list[str]:
    """The previous passwords after ``current_hash`` is replaced, newest first."""
    return [current_hash, *history][: _keep()]
