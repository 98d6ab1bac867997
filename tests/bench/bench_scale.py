"""Reads at scale (SPEC §7): the same reads at 10 000, 100 000 and 1 000 000 requisitions, to
show they stay flat. Service time of one request at a time, in process (the Flask test client
against PostgreSQL), so the figure is the app's own work and its SQL, not queueing.

    .venv/bin/python -m tests.bench.bench_scale [--sizes 10000,100000,1000000] [--runs 30]
        [--db-prefix reqflow_scale] [--no-write]

Each size gets its own database (``<db-prefix>_<n>``), seeded by COPY once and reused while
it holds that many requisitions. Writes the "Reads at scale" section of docs/BENCHMARKS.md
(unless ``--no-write``: the table is printed either way).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path
from typing import Any

import psycopg2
from sqlalchemy import event

from tests.bench.report import machine, write_section
from tests.bench.seed import PASSWORD, seed

ADMIN_DSN = os.environ.get("BENCH_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
REPO = Path(__file__).resolve().parents[2]


# Another prefix keeps a branch whose migrations differ off the shared databases.
PREFIX = {"name": "reqflow_scale"}


def _name(size: int) -> str:
    return f"{PREFIX['name']}_{size}"


def _dsn(size: int) -> str:
    return f"{ADMIN_DSN.rsplit('/', 1)[0]}/{_name(size)}"


def _seeded(size: int) -> bool:
    """The database holds ``size`` requisitions (its schema is brought up to date anyway)."""
    try:
        conn = psycopg2.connect(_dsn(size))
    except psycopg2.OperationalError:
        return False
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM requisitions")
            return bool(cur.fetchone()[0] == size)
    except psycopg2.Error:
        return False
    finally:
        conn.close()


def _admin(sql: str) -> None:
    conn = psycopg2.connect(ADMIN_DSN)
    conn.autocommit = True
    conn.cursor().execute(sql)
    conn.close()


def _app(size: int) -> Any:
    from reqflow import create_app

    return create_app(
        {
            "DATABASE_URL": _dsn(size),
            "REDIS_URL": "redis://127.0.0.1:6379/13",
            "REDIS_NAMESPACE": f"bench-{_name(size)}",
            "SECRET_KEY": "bench",
            "JWT_SECRET_KEY": "bench-jwt-secret-key-0123456789-0123456789",
            "INSTANCE_DIR": "/tmp/reqflow-bench-scale",
            "LOG_LEVEL": "WARNING",
            "LOGIN_RATE_LIMIT": "100000 per minute",
            "MFA_REQUIRED_ROLES": "",
            "EVENT_DISPATCH": "celery",
            "JOBS_BACKEND": "inline",
        }
    )


def prepare(size: int) -> None:
    """A migrated database holding ``size`` seeded requisitions."""
    from flask_migrate import upgrade

    seeded = _seeded(size)
    if not seeded:
        _admin(f"DROP DATABASE IF EXISTS {_name(size)} WITH (FORCE)")
        _admin(f"CREATE DATABASE {_name(size)}")
    app = _app(size)
    with app.app_context():
        upgrade(directory=app.config["MIGRATIONS_DIR"])
    if seeded:
        return
    started = time.perf_counter()
    seed(_dsn(size), size)
    print(f"seeded {size:,} requisitions in {time.perf_counter() - started:.0f} s")


def _login(client: Any, username: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['data']['access_token']}"}


# A read named so runs with an empty cache each time (the first read after a change).
COLD = "cold cache, "


def _forget_cached(app: Any) -> None:
    from reqflow.core.redis import get_redis

    client = get_redis(app)
    for key in client.scan_iter(f"{app.config['REDIS_NAMESPACE']}:cache:*"):
        client.delete(key)


def _reads(client: Any) -> list[tuple[str, dict[str, str], str]]:
    buyer, engineer, lead = (_login(client, u) for u in ("buyer0", "eng000", "lead00"))
    first = client.get("/api/v1/requisitions?per_page=1", headers=engineer).json
    own = first["data"]["requisitions"][0]["id"]
    return [
        ("buyer: list, page 1", buyer, "/api/v1/requisitions"),
        ("buyer: list, page 400", buyer, "/api/v1/requisitions?page=400"),
        ("buyer: list, status filter", buyer, "/api/v1/requisitions?status=Submitted"),
        ("buyer: text search", buyer, "/api/v1/requisitions?q=valve"),
        ("buyer: detail", buyer, f"/api/v1/requisitions/{own}"),
        ("buyer: dashboard", buyer, "/api/v1/dashboard"),
        (COLD + "buyer: dashboard", buyer, "/api/v1/dashboard"),
        ("engineer: list", engineer, "/api/v1/requisitions"),
        ("engineer: detail", engineer, f"/api/v1/requisitions/{own}"),
        ("engineer: dashboard", engineer, "/api/v1/dashboard"),
        ("lead: list", lead, "/api/v1/requisitions"),
        ("lead: approval inbox", lead, "/api/v1/approvals/pending"),
        ("lead: notifications", lead, "/api/v1/notifications"),
        ("any: /auth/me", engineer, "/api/v1/auth/me"),
    ]


def measure(size: int, runs: int) -> dict[str, tuple[float, float, int]]:
    """Per read: median ms, p95 ms, statements per request."""
    from reqflow.extensions import db

    app = _app(size)
    client = app.test_client()
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    results = {}
    for name, headers, url in _reads(client):
        for _ in range(3):
            assert client.get(url, headers=headers).status_code == 200, url
        times = []
        statements.clear()
        for _ in range(runs):
            if name.startswith(COLD):
                _forget_cached(app)
            started = time.perf_counter()
            client.get(url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        results[name] = (statistics.median(times), p95, len(statements) // runs)
    with app.app_context():
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db-prefix", default=PREFIX["name"])
    parser.add_argument("--no-write", action="store_true", help="print, leave BENCHMARKS.md")
    args = parser.parse_args()
    PREFIX["name"] = args.db_prefix
    sizes = [int(s) for s in args.sizes.split(",")]
    table: dict[int, dict[str, tuple[float, float, int]]] = {}
    for size in sizes:
        prepare(size)
        load = os.getloadavg()
        table[size] = measure(size, args.runs)
        print(f"{size:,}: load {load[0]:.1f}")
        for name, (median, p95, count) in table[size].items():
            print(f"  {name:32s} {median:7.1f} ms  p95 {p95:7.1f}  {count} statements")
    names = list(table[sizes[0]])
    head = " | ".join(f"{s:,}: median / p95 ms" for s in sizes)
    lines = [
        f"One request at a time, in process (Flask test client → PostgreSQL), {args.runs} runs "
        f"per read after 3 warm-ups; {machine()}, load average {os.getloadavg()[0]:.1f} at "
        "the end (other work was running on the machine: compare columns, not runs).",
        "",
        f"| read | statements | {head} |",
        "|---|---:|" + "---:|" * len(sizes),
    ]
    for name in names:
        cells = " | ".join(f"{table[s][name][0]:.1f} / {table[s][name][1]:.1f}" for s in sizes)
        lines.append(f"| {name} | {table[sizes[0]][name][2]} | {cells} |")
    print("\n".join(lines))
    if not args.no_write:
        write_section("Reads at scale", "\n".join(lines))


if __name__ == "__main__":
    main()
