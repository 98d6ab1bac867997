"""Ping a pooled connection before use only when it sat idle long enough to have died.

``pool_pre_ping`` costs a ``SELECT 1`` round trip on every checkout, i.e. on every request
(issue 17: ~10 % of a ``GET /auth/me``). A connection that went back to the pool a moment ago
is alive; one idle for longer than ``IDLE_PING_SECONDS`` may have been closed by a
PostgreSQL restart, a failover or PgBouncer's ``server_idle_timeout``, so it is pinged, and
a dead one is replaced before the request sees it (SQLAlchemy's pessimistic disconnect
handling through the ``checkout`` event). A connection dropped under a busy pool still fails
that one statement and is invalidated with its pool, as with any disconnect.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

IDLE_PING_SECONDS = 10.0
_SINCE = "reqflow_idle_since"


def _mark_idle(_dbapi_connection: Any, record: Any) -> None:
    record.info[_SINCE] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    since = record.info.get(_SINCE)
    if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()
    except Exception as error:  # the pool replaces the connection and tries again
        raise exc.DisconnectionError() from error


def ping_idle_connections(engine: Engine) -> None:
    if not event.contains(engine, "checkout", _ping_if_idle):
        event.listen(engine, "connect", _mark_idle)
        event.listen(engine, "checkin", _mark_idle)
        event.listen(engine, "checkout", _ping_if_idle)
