"""Revocation list and refresh-token families: Redis when configured, memory otherwise.

A refresh family is one login. Each refresh rotates the family's current token id; a
refresh with any other (already rotated) token id is reuse and revokes the whole family.

The store also keeps the *principal generations* (``identity.principal``): an opaque value
per user, and one for everyone, that a writer replaces after committing a change of the
user (or of a department or a manager's name). A process caches a user's profile row under
the generations it read, and ``check`` reads them in the same round trip as the revocation
check, so an unchanged user is authenticated without SQL and a changed one is read again on
the very next request, in every process.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections.abc import Iterable
from typing import Any, Protocol

from flask import Flask, current_app

from reqflow.core.redis import get_redis, key

Generations = tuple[str, str]  # (the user's, everyone's)
# A generation key lives this long without a change; a missing key is simply set afresh
# (a new random value: no cached profile carries it).
GENERATION_TTL = 24 * 3600


class TokenStore(Protocol):
    def revoke(self, jti: str, ttl: int) -> None: ...
    def is_revoked(self, jti: str) -> bool: ...
    def start_family(self, family: str, jti: str, ttl: int) -> None: ...
    def rotate(self, family: str, old_jti: str, new_jti: str, ttl: int) -> bool: ...
    def revoke_family(self, family: str, ttl: int) -> None: ...
    def family_revoked(self, family: str) -> bool: ...
    def any_revoked(self, jti: str, family: str) -> bool: ...
    def check(self, jti: str, family: str, user_id: int) -> tuple[bool, Generations]:
        """(token id or family revoked?, the user's and everyone's principal generations)."""
        ...

    def bump(self, user_ids: Iterable[int], everyone: bool) -> None: ...


class MemoryTokenStore:
    """The embedded default (one process): generations are counters of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, tuple[str, float]] = {}
        self._counter = itertools.count(1)
        self._generations: dict[int, int] = {}
        self._everyone = next(self._counter)

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

    def check(self, jti: str, family: str, user_id: int) -> tuple[bool, Generations]:
        revoked = self.any_revoked(jti, family)
        with self._lock:
            generation = self._generations.get(user_id)
            if generation is None:
                generation = self._generations[user_id] = next(self._counter)
            return revoked, (str(generation), str(self._everyone))

    def bump(self, user_ids: Iterable[int], everyone: bool) -> None:
        with self._lock:
            for user_id in user_ids:
                self._generations[user_id] = next(self._counter)
            if everyone:
                self._everyone = next(self._counter)


_ROTATE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
"""

# Revocation (KEYS 1-2) and the principal generations (KEYS 3-4) in one round trip; a
# missing generation is set to ARGV[1], a fresh random value.
_CHECK = """
local revoked = redis.call('EXISTS', KEYS[1], KEYS[2])
local mine = redis.call('GET', KEYS[3])
if not mine then
  mine = ARGV[1]
  redis.call('SET', KEYS[3], mine, 'EX', ARGV[2])
end
local everyone = redis.call('GET', KEYS[4])
if not everyone then
  everyone = ARGV[1]
  redis.call('SET', KEYS[4], everyone, 'EX', ARGV[2])
end
return {revoked, mine, everyone}
"""


def fresh_generation() -> str:
    return secrets.token_hex(8)


class RedisTokenStore:
    def __init__(self, client: Any):
        self.r = client
        self._rotate = client.register_script(_ROTATE)
        self._check = client.register_script(_CHECK)

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

    def check(self, jti: str, family: str, user_id: int) -> tuple[bool, Generations]:
        revoked, mine, everyone = self._check(
            keys=[
                key("revoked", jti),
                key("family_revoked", family),
                key("principal", user_id),
                key("principal", "everyone"),
            ],
            args=[fresh_generation(), GENERATION_TTL],
        )
        return bool(revoked), (str(mine), str(everyone))

    def bump(self, user_ids: Iterable[int], everyone: bool) -> None:
        names = [key("principal", user_id) for user_id in user_ids]
        if everyone:
            names.append(key("principal", "everyone"))
        if not names:
            return
        pipe = self.r.pipeline(transaction=False)
        for name in names:
            pipe.set(name, fresh_generation(), ex=GENERATION_TTL)
        pipe.execute()


def init_token_store(app: Flask) -> None:
    client = get_redis(app)
    app.extensions["reqflow_tokens"] = (
        RedisTokenStore(client) if client is not None else MemoryTokenStore()
    )


def token_store() -> TokenStore:
    return current_app.extensions["reqflow_tokens"]  # type: ignore[no-any-return]
