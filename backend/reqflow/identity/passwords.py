"""Password rules of SPEC §3: bcrypt, ≥ 12 characters, zxcvbn ≥ 3, no reuse of the last 5."""

from __future__ import annotations

import bcrypt
from flask import current_app
from zxcvbn import zxcvbn

from reqflow.errors import ValidationFailed

MIN_LENGTH = 12
MIN_SCORE = 3
MAX_LENGTH = 128  # bcrypt reads 72 bytes; longer inputs only cost CPU


def hash_password(password: str) -> str:
    rounds = int(current_app.config.get("BCRYPT_ROUNDS", 12))
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def verify_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode()[:72], hashed.encode())
    except ValueError:
        return False


def check_strength(password: str, field: str, user_inputs: list[str]) -> None:
    """Raise a 422 naming ``field`` when the password is too short or guessable."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    elif len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    else:
        result = zxcvbn(password, user_inputs=[u for u in user_inputs if u])
        if result["score"] < MIN_SCORE:
            feedback = result.get("feedback") or {}
            hint = feedback.get("warning") or "This password is too easy to guess."
            problems.append(hint)
            problems.extend(feedback.get("suggestions") or [])
    if problems:
        raise ValidationFailed("Password too weak", details={field: problems})


def check_not_reused(password: str, current_hash: str, history: list[str], field: str) -> None:
    keep = int(current_app.config.get("PASSWORD_HISTORY", 5))
    recent = [current_hash, *history][:keep]
    if any(verify_password(password, old) for old in recent):
        raise ValidationFailed(
            "Password reused",
            details={field: [f"Choose a password you have not used in your last {keep}."]},
        )


def push_history(current_hash: str, history: list[str]) -> list[str]:
    keep = int(current_app.config.get("PASSWORD_HISTORY", 5))
    return [current_hash, *history][: keep - 1]
