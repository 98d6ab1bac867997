"""A small read cache: JSON values with a TTL under versioned namespaces.

Redis when REDIS_URL is configured (shared by every process), otherwise an in-process dict
(the embedded default is one process). ``get_cache()`` is the one place that decides.

Writers never delete cached values: they *bump* a namespace after their transaction commits
(``bump_after_commit``). Readers take the namespace versions first and store what they computed
under a key that names those versions, so a reader that raced a commit stores its value under
the old version, which nobody reads again: a change is visible on the next read after the bump.
The TTL is only a safety net (a bump lost to a crash between commit and bump).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import redis
from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from reqflow.core.redis import get_redis, key

log = logging.getLogger(__name__)

DEFAULT_TTL = 300.0
_BUMPS = "reqflow_cache_bumps"


class Backend(Protocol):
    def get_many(self, keys: list[str]) -> list[str | None]: ...

    def set_many(self, items: dict[str, str], ttl: float) -> None: ...

    def delete(self, keys: list[str]) -> None: ...

    def incr(self, keys: list[str]) -> None: ...


class RedisBackend:
    """Keys live under the app's Redis namespace (``core.redis.key``)."""

    def __init__(self, client: Any):
        self.client = client

    def get_many(self, keys: list[str]) -> list[str | None]:
        return list(self.client.mget([key("cache", k) for k in keys])) if keys else []

    def set_many(self, items: dict[str, str], ttl: float) -> None:
        pipe = self.client.pipeline(transaction=False)
        for k, value in items.items():
            pipe.set(key("cache", k), value, px=max(1, int(ttl * 1000)))
        pipe.execute()

    def delete(self, keys: list[str]) -> None:
        if keys:
            self.client.delete(*(key("cache", k) for k in keys))

    def incr(self, keys: list[str]) -> None:
        pipe = self.client.pipeline(transaction=False)
        for k in keys:
            pipe.incr(key("cache", k))
        pipe.execute()


class MemoryBackend:
    """Thread-safe dict with expiry; bounded, so a long-running process cannot grow it."""

    def __init__(self, max_entries: int = 20_000):
        self.max_entries = max_entries
        self._data: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def _live(self, k: str, now: float) -> str | None:
        hit = self._data.get(k)
        if hit is None or hit[1] <= now:
            return None
        return hit[0]

    def get_many(self, keys: list[str]) -> list[str | None]:
        now = time.monotonic()
        with self._lock:
            return [self._live(k, now) for k in keys]

    def set_many(self, items: dict[str, str], ttl: float) -> None:
        expires = time.monotonic() + ttl
        with self._lock:
            self._make_room(len(items))
            for k, value in items.items():
                self._data[k] = (value, expires)

    def delete(self, keys: list[str]) -> None:
        with self._lock:
            for k in keys:
                self._data.pop(k, None)

    def incr(self, keys: list[str]) -> None:
        now = time.monotonic()
        with self._lock:
            self._make_room(len(keys))
            for k in keys:
                self._data[k] = (str(int(self._live(k, now) or 0) + 1), float("inf"))

    def _make_room(self, wanted: int) -> None:
        if len(self._data) + wanted <= self.max_entries:
            return
        now = time.monotonic()
        self._data = {k: v for k, v in self._data.items() if v[1] > now}
        if len(self._data) + wanted > self.max_entries:
            # Versions are kept (losing one could resurrect an old value); values go.
            self._data = {k: v for k, v in self._data.items() if k.startswith("v:")}


class Cache:
    """get / set with TTL / delete, and namespaces whose version a writer bumps."""

    def __init__(self, backend: Backend):
        self.backend = backend

    def get_many(self, keys: list[str]) -> list[Any]:
        try:
            raw = self.backend.get_many(keys)
        except redis.RedisError:
            log.warning("cache read failed; computing instead", exc_info=True)
            return [None] * len(keys)
        return [None if value is None else json.loads(value) for value in raw]

    def get(self, k: str) -> Any:
        return self.get_many([k])[0]

    def set_many(self, items: dict[str, Any], ttl: float = DEFAULT_TTL) -> None:
        if not items:
            return
        try:
            self.backend.set_many({k: json.dumps(v) for k, v in items.items()}, ttl)
        except redis.RedisError:
            log.warning("cache write failed", exc_info=True)

    def set(self, k: str, value: Any, ttl: float = DEFAULT_TTL) -> None:
        self.set_many({k: value}, ttl)

    def delete(self, *keys: str) -> None:
        self.backend.delete(list(keys))

    def versions(self, namespaces: Iterable[str]) -> dict[str, str]:
        """Current version of each namespace (one round trip)."""
        names = sorted(set(namespaces))
        try:
            raw = self.backend.get_many([f"v:{n}" for n in names])
        except redis.RedisError:
            log.warning("cache version read failed", exc_info=True)
            raw = [None] * len(names)
        return {n: v or "0" for n, v in zip(names, raw, strict=True)}

    def bump(self, *namespaces: str) -> None:
        """Invalidate everything cached under these namespaces."""
        if not namespaces:
            return
        try:
            self.backend.incr([f"v:{n}" for n in sorted(set(namespaces))])
        except redis.RedisError:
            log.exception("cache invalidation failed; values expire with their TTL")

    def cached(
        self,
        base: str,
        namespaces: Iterable[str],
        compute: Callable[[], Any],
        ttl: float = DEFAULT_TTL,
    ) -> Any:
        """The value under ``base`` for the namespaces' current versions, computed on a miss."""
        k = versioned(base, self.versions(namespaces))
        value = self.get(k)
        if value is None:
            value = compute()
            self.set(k, value, ttl)
        return value


def versioned(base: str, versions: dict[str, str], namespaces: Iterable[str] = ()) -> str:
    """``base`` tagged with the versions of ``namespaces`` (all of ``versions`` by default)."""
    names = sorted(set(namespaces)) or sorted(versions)
    return base + "@" + ".".join(versions[n] for n in names)


def init_cache(app: Flask) -> Cache:
    """Redis when the app has a Redis client, in-process otherwise: the only place deciding."""
    client = get_redis(app)
    cache = Cache(RedisBackend(client) if client is not None else MemoryBackend())
    app.extensions["reqflow_cache"] = cache
    return cache


def get_cache(app: Flask | None = None) -> Cache:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    cache = app.extensions.get("reqflow_cache")
    return cache if cache is not None else init_cache(app)


def bump_after_commit(session: Session, *namespaces: str) -> None:
    """Bump these namespaces once the session's transaction has committed."""
    session.info.setdefault(_BUMPS, set()).update(namespaces)


def _after_commit(session: Session) -> None:
    names = session.info.pop(_BUMPS, None)
    if names and has_app_context():
        get_cache().bump(*names)


event.listen(Session, "after_commit", _after_commit)
