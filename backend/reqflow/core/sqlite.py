"""The embedded default's SQLite engine: writes serialised per transaction.

The services rely on row locks (``SELECT … FOR UPDATE``) to check a quantity or a balance
and then change it. SQLite has no row locks, and pysqlite by default opens a transaction only
at the first write, so two requests could both read "3 of 10 received" and both add to it.
Here pysqlite's own transaction handling is switched off and every transaction starts with
``BEGIN IMMEDIATE`` (SQLAlchemy's documented recipe for pysqlite): the database's one write
lock is taken before the first read, so each writing transaction sees everything committed
before it and the next waits (``busy_timeout``) until it commits. Requests with a safe method
(GET, HEAD, OPTIONS) read a consistent snapshot with a plain ``BEGIN`` and never wait: WAL
lets them read while one transaction writes.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import Engine, event

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_MS = 30000


def _begin_statement() -> str:
    if has_request_context() and request.method in SAFE_METHODS:
        return "BEGIN"
    return "BEGIN IMMEDIATE"


def configure_sqlite(engine: Engine) -> None:
    """Foreign keys on, WAL, a busy timeout, and explicit (immediate) transactions."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # no implicit BEGIN/COMMIT from pysqlite
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(_begin_statement())
