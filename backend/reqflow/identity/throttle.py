"""Failure counters that throttle password guessing: Redis when configured, memory otherwise.

The design choice for login (issue 12, finding 5): failures are counted per (account,
client address), never per account alone. Five wrong passwords for one account from one
address within ``LOCKOUT_MINUTES`` lock that pair for ``LOCKOUT_MINUTES``; the account's
owner, signing in from anywhere else, is not affected, so nobody can lock a known account
(the admin's) out with five requests. A guesser spread over many addresses still gets five
tries per address per window, on top of the per-address login rate limit, against passwords
zxcvbn rates at least 3. The counter is keyed the same way for names that match no user, so
an unknown name answers exactly like a known one (same code, message, and the same bcrypt
cost), and the lockout tells nobody which accounts exist.

A password change is counted per account: only a holder of the user's token can try, and
five wrong current passwords in the window stop further tries (429) until it ends.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Protocol

from flask import Flask, current_app

from reqflow.core.redis import get_redis, key


class Counter(Protocol):
    def count(self, name: str) -> tuple[int, int]: ...
    def add(self, name: str, window: int, threshold: int) -> tuple[int, int]: ...
    def clear(self, name: str) -> None: ...


class MemoryCounter:
    """One process's counters (the embedded default without Redis)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, tuple[int, float]] = {}

    def _live(self, name: str) -> tuple[int, float]:
        count, until = self._data.get(name, (0, 0.0))
        return (count, until) if until > time.time() else (0, 0.0)

    def count(self, name: str) -> tuple[int, int]:
        with self._lock:
            count, until = self._live(name)
            return count, max(int(until - time.time()), 0)

    def add(self, name: str, window: int, threshold: int) -> tuple[int, int]:
        with self._lock:
            count, until = self._live(name)
            count += 1
            if count == 1 or count >= threshold:
                until = time.time() + window
            self._data[name] = (count, until)
            return count, int(until - time.time())

    def clear(self, name: str) -> None:
        with self._lock:
            self._data.pop(name, None)


# Count one failure; the first starts the window, the threshold-th restarts it as the lock.
_ADD = """
local n = redis.call('INCR', KEYS[1])
if n == 1 or n >= tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('TTL', KEYS[1])}
"""


class RedisCounter:
    """Counters shared by every process, expiring on their own."""

    def __init__(self, client: Any):
        self.r = client
        self._add = client.register_script(_ADD)

    def count(self, name: str) -> tuple[int, int]:
        pipe = self.r.pipeline()
        pipe.get(key("fail", name))
        pipe.ttl(key("fail", name))
        value, ttl = pipe.execute()
        return int(value or 0), max(int(ttl), 0)

    def add(self, name: str, window: int, threshold: int) -> tuple[int, int]:
        count, ttl = self._add(keys=[key("fail", name)], args=[window, threshold])
        return int(count), max(int(ttl), 0)

    def clear(self, name: str) -> None:
        self.r.delete(key("fail", name))


def init_throttle(app: Flask) -> None:
    client = get_redis(app)
    app.extensions["reqflow_throttle"] = (
        RedisCounter(client) if client is not None else MemoryCounter()
    )


def counter() -> Counter:
    return current_app.extensions["reqflow_throttle"]  # type: ignore[no-any-return]


def window_seconds() -> int:
    return int(current_app.config["LOCKOUT_MINUTES"]) * 60


def threshold() -> int:
    return int(current_app.config["LOCKOUT_THRESHOLD"])


def locked_for(name: str) -> int:
    """Seconds ``name`` stays locked (0 when it is not)."""
    count, ttl = counter().count(name)
    return max(ttl, 1) if count >= threshold() else 0


def fail(name: str) -> int:
    """Count a failure; the seconds of lock it started (0 while under the threshold)."""
    count, ttl = counter().add(name, window_seconds(), threshold())
    return max(ttl, 1) if count >= threshold() else 0


def succeed(name: str) -> None:
    counter().clear(name)
