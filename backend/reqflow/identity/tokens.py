"""Revocation list and refresh-token families: Redis when configured, memory otherwise.

A refresh family is one login. Each refresh rotates the family's current token id; a
refresh with any other (already rotated) token id is reuse and revokes the whole family.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Protocol

from flask import Flask, current_app

from reqflow.core.redis import get_redis, key


class TokenStore(Protocol):
    def revoke(self, jti: str, ttl: int) -> None: ...
    def is_revoked(self, jti: str) -> bool: ...
    def start_family(self, family: str, jti: str, ttl: int) -> None: ...
    def rotate(self, family: str, old_jti: str, new_jti: str, ttl: int) -> bool: ...
    def revoke_family(self, family: str, ttl: int) -> None: ...
    def family_revoked(self, family: str) -> bool: ...
    def any_revoked(self, jti: str, family: str) -> bool: ...


class MemoryTokenStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, tuple[str, float]] = {}

    def _get(self, name: str) -> str | None:
        value = self._data.get(name)
        if value is None or value[1] < time.time():
            self._data.pop(name, None)
            return None
        return value[0]

    def _set(self, name: str, value: str, ttl: int) -> None:
        self._data[name] = (value, time.time() + ttl)

    def revoke(self, jti: str, ttl: int) -> None:
        with self._lock:
            self._set(f"revoked:{jti}", "1", ttl)

    def is_revoked(self, jti: str) -> bool:
        with self._lock:
            return self._get(f"revoked:{jti}") is not None

    def start_family(self, family: str, jti: str, ttl: int) -> None:
        with self._lock:
            self._set(f"family:{family}", jti, ttl)

    def rotate(self, family: str, old_jti: str, new_jti: str, ttl: int) -> bool:
        with self._lock:
            if self._get(f"family:{family}") != old_jti:
                return False
            self._set(f"family:{family}", new_jti, ttl)
            return True

    def revoke_family(self, family: str, ttl: int) -> None:
        with self._lock:
            self._set(f"family_revoked:{family}", "1", ttl)

    def family_revoked(self, family: str) -> bool:
        with self._lock:
            return self._get(f"family_revoked:{family}") is not None

    def any_revoked(self, jti: str, family: str) -> bool:
        return self.is_revoked(jti) or self.family_revoked(family)


_ROTATE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
"""


class RedisTokenStore:
    def __init__(self, client: Any):
        self.r = client
        self._rotate = client.register_script(_ROTATE)

    def revoke(self, jti: str, ttl: int) -> None:
        self.r.set(key("revoked", jti), "1", ex=max(ttl, 1))

    def is_revoked(self, jti: str) -> bool:
        return bool(self.r.exists(key("revoked", jti)))

    def start_family(self, family: str, jti: str, ttl: int) -> None:
        self.r.set(key("family", family), jti, ex=max(ttl, 1))

    def rotate(self, family: str, old_jti: str, new_jti: str, ttl: int) -> bool:
        return bool(self._rotate(keys=[key("family", family)], args=[old_jti, new_jti, ttl]))

    def revoke_family(self, family: str, ttl: int) -> None:
        self.r.set(key("family_revoked", family), "1", ex=max(ttl, 1))

    def family_revoked(self, family: str) -> bool:
        return bool(self.r.exists(key("family_revoked", family)))

    def any_revoked(self, jti: str, family: str) -> bool:
        """The token id and its family in one round trip (EXISTS counts both keys)."""
        return bool(self.r.exists(key("revoked", jti), key("family_revoked", family)))


def init_token_store(app: Flask) -> None:
    client = get_redis(app)
    app.extensions["reqflow_tokens"] = (
        RedisTokenStore(client) if client is not None else MemoryTokenStore()
    )


def token_store() -> TokenStore:
    return current_app.extensions["reqflow_tokens"]  # type: ignore[no-any-return]
