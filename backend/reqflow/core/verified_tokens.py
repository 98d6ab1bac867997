"""A JWT is verified once, not three or four times per request, and once per token while it
is cached (issue 17).

Flask-JWT-Extended decodes a token four times per request (without verification for the
claims, for the header, verified, and for the header again). ``CachingJWTManager`` keeps the
claims and header of tokens it has verified in a small LRU keyed by the raw token, per app
(its secret, audience and issuer), for at most ``TTL`` seconds and never past the token's
``exp``: an expired token misses the cache and is refused by the full decode. A hit still
checks the CSRF double submit. What a token's claims cannot tell — revocation, the user's
token version, an inactive user — is checked on every request by the blocklist loader,
never cached here.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from hmac import compare_digest
from typing import Any

from flask import current_app
from flask_jwt_extended import JWTManager, view_decorators
from flask_jwt_extended.exceptions import CSRFError, JWTDecodeError
from jwt import get_unverified_header

TTL = 300.0  # seconds a verified token is trusted without re-checking its signature
SIZE = 4096  # tokens kept per app process (a few hundred bytes each)


class VerifiedTokens:
    """raw token → (claims, header, monotonic deadline); least recently used dropped first."""

    def __init__(self, size: int = SIZE, ttl: float = TTL) -> None:
        self.size, self.ttl = size, ttl
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[dict[str, Any], dict[str, Any], float]] = OrderedDict()

    def get(self, token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(claims, header) of a verified token still trusted."""
        with self._lock:
            entry = self._items.get(token)
            if entry is None:
                return None
            if entry[2] <= time.monotonic():
                del self._items[token]
                return None
            self._items.move_to_end(token)
            return entry[0], entry[1]

    def put(self, token: str, claims: dict[str, Any], header: dict[str, Any]) -> None:
        lifetime = self.ttl
        exp = claims.get("exp")
        if isinstance(exp, int | float):
            lifetime = min(lifetime, exp - time.time())
        if lifetime <= 0:
            return
        with self._lock:
            self._items[token] = (claims, header, time.monotonic() + lifetime)
            self._items.move_to_end(token)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def _check_csrf(claims: dict[str, Any], csrf_value: str | None) -> None:
    """What Flask-JWT-Extended checks after decoding, for a cookie sent with a form."""
    if not csrf_value:
        return
    if "csrf" not in claims:
        raise JWTDecodeError("Missing claim: csrf")
    if not compare_digest(claims["csrf"], csrf_value):
        raise CSRFError("CSRF double submit tokens do not match")


class CachingJWTManager(JWTManager):
    def _decode_jwt_from_config(
        self, encoded_token: str, csrf_value: Any = None, allow_expired: bool = False
    ) -> dict[str, Any]:
        if allow_expired:
            return super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        cache: VerifiedTokens = current_app.extensions.setdefault(
            "reqflow_verified_tokens", VerifiedTokens()
        )
        entry = cache.get(encoded_token)
        if entry is None:
            # csrf is checked below, on a copy of the claims that has no side effects
            claims = super()._decode_jwt_from_config(encoded_token, None, False)
            cache.put(encoded_token, claims, get_unverified_header(encoded_token))
        else:
            claims = entry[0]
        _check_csrf(claims, csrf_value)
        return dict(claims)


def _cached_headers(encoded_token: str) -> dict[str, Any]:
    """The header of a token verified a moment ago for this request, without decoding it
    a fourth time (Flask-JWT-Extended asks for it right after the claims)."""
    cache = current_app.extensions.get("reqflow_verified_tokens")
    entry = cache.get(encoded_token) if cache is not None else None
    return dict(entry[1]) if entry is not None else _unverified_headers(encoded_token)


_unverified_headers = view_decorators.get_unverified_jwt_headers
view_decorators.get_unverified_jwt_headers = _cached_headers
