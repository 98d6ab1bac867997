"""Shared fixtures: a migrated PostgreSQL database, Redis, an app, and one user per role.

Services commit and events are dispatched after commit, so tests run against real commits;
each test starts from empty tables (TRUNCATE, with triggers bypassed for the cleanup only).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import redis as redis_lib
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from werkzeug.serving import make_server

from reqflow import create_app
from reqflow.extensions import db

PG_ADMIN_DSN = os.environ.get("TEST_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "Quartz-Lantern-Harbor-93"
REPO = Path(__file__).resolve().parents[1]


@contextmanager
def counted_statements(application: Flask) -> Iterator[list[str]]:
    """The SQL statements the app sends while the block runs (a listener on its engine)."""
    with application.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _admin(sql: str) -> None:
    conn = psycopg2.connect(PG_ADMIN_DSN)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql)
    conn.close()


def database_url(name: str) -> str:
    base = PG_ADMIN_DSN.rsplit("/", 1)[0]
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    name = f"reqflow_test_{uuid.uuid4().hex[:8]}"
    _admin(f"CREATE DATABASE {name}")
    yield database_url(name)
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def make_config(tmp: Path, database: str, **overrides: Any) -> dict[str, Any]:
    config = {
        "INSTANCE_DIR": str(tmp),
        "DATABASE_URL": database,
        "REDIS_URL": REDIS_URL,
        "REDIS_NAMESPACE": f"test-{uuid.uuid4().hex[:8]}",
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        "BCRYPT_ROUNDS": 4,
        "LOGIN_RATE_LIMIT": "10000 per minute",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": "test-secret-key",
        "JWT_SECRET_KEY": "test-jwt-secret-key-of-sufficient-length-0123456789",
        "MIGRATIONS_DIR": str(REPO / "migrations"),
        "TESTING": True,
        "EVENT_DISPATCH": "sync",
        "JOBS_BACKEND": "inline",
        # Tests sign in with passwords only; the MFA tests set the production default.
        "MFA_REQUIRED_ROLES": [],
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def app(pg_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from flask_migrate import upgrade

    port = free_port()
    # The live server's own origin is deliberately not listed: the SPA it serves is accepted
    # as same-origin, as it is when `make run` is opened on another host name or port.
    origins = ["http://127.0.0.1:5000"]
    config = make_config(
        tmp_path_factory.mktemp("instance"),
        pg_database,
        CORS_ORIGINS=origins,
        LIVE_SERVER_PORT=port,
    )
    application = create_app(config)
    with application.app_context():
        upgrade(directory=application.config["MIGRATIONS_DIR"])
    yield application
    with application.app_context():
        db.engine.dispose()


def _wait_for_idle_database(url: str, seconds: float = 5.0) -> None:
    """A request the live server is still finishing would deadlock with TRUNCATE: wait
    until no other session of this database is inside a transaction."""
    import time

    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        deadline = time.monotonic() + seconds
        with conn.cursor() as cur:
            while time.monotonic() < deadline:
                cur.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid() AND state NOT IN ('idle')"
                )
                if cur.fetchone()[0] == 0:
                    return
                time.sleep(0.05)
    finally:
        conn.close()


def truncate_all(application: Flask, attempts: int = 3) -> None:
    """Empty every table. A request that starts between the idle check and TRUNCATE (a tab
    the browser is still closing) can deadlock with it; PostgreSQL then cancels one side, and
    the truncate is simply tried again once the database is idle."""
    with application.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        for attempt in range(attempts):
            _wait_for_idle_database(application.config["DATABASE_URL"])
            try:
                with db.engine.begin() as conn:
                    conn.execute(text("SET LOCAL session_replication_role = replica"))
                    conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
                return
            except OperationalError as exc:
                if attempt == attempts - 1 or "deadlock" not in str(exc.orig):
                    raise


@pytest.fixture(autouse=True)
def _clean(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" in request.fixturenames:
        truncate_all(request.getfixturevalue("app"))
        redis_lib.Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


ROLE_USERS = {
    "admin": "Admin",
    "procmgr": "ProcurementMgr",
    "buyer": "Procurement",
    "lead": "Engineer",
    "engineer": "Engineer",
    "engineer2": "Engineer",
    "storekeeper": "Warehouse",
    "accountant": "Accountant",
}


@pytest.fixture
def users(app: Flask) -> dict[str, Any]:
    """One user per role (plus a second engineer); ``engineer`` reports to ``lead``."""
    from reqflow.identity import service

    made: dict[str, Any] = {}
    with app.app_context():
        eng = service.create_department(actor=None, name="Engineering", code="ENG")
        ops = service.create_department(actor=None, name="Operations", code="OPS")
        for username, role in ROLE_USERS.items():
            manager = made["lead"].id if username in ("engineer", "engineer2") else None
            user = service.create_user(
                actor=None,
                data={
                    "username": username,
                    "email": f"{username}@example.com",
                    "full_name": username.title(),
                    "password": PASSWORD,
                    "role": role,
                    "department_id": eng.id if role == "Engineer" else ops.id,
                    "manager_id": manager,
                },
            )
            made[username] = type("U", (), {"id": user.id, "username": username, "role": role})
    return made


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['data']['access_token']}"}


@pytest.fixture
def auth(client: FlaskClient, users: dict[str, Any]):
    """``auth("buyer")`` → bearer headers for that user."""
    cache: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in cache:
            cache[username] = login(client, username)
        return cache[username]

    return headers


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The test app served on loopback (HTTP and Socket.IO) in a background thread."""
    server = make_server("127.0.0.1", app.config["LIVE_SERVER_PORT"], app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
