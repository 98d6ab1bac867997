"""Export throughput (rows/s) at 100 000 requisitions, CSV and XLSX, in process against
PostgreSQL: the background job (``exports.build``: the list's own query streamed by
``yield_per``, the file written, a progress push every 1 000 rows) and the streamed
response (``GET /exports/requisitions?format=``, the stream limit raised to allow it).

    .venv/bin/python -m tests.bench.bench_exports [--rows 100000] [--runs 3]

Uses its own database (``reqflow_exports_bench``, seeded by COPY once and reused) and
writes the "Export throughput" section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from typing import Any

import psycopg2

from tests.bench.report import machine, write_section
from tests.bench.seed import PASSWORD, seed

ADMIN_DSN = os.environ.get("BENCH_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
NAME = "reqflow_exports_bench"
DSN = f"{ADMIN_DSN.rsplit('/', 1)[0]}/{NAME}"
VIEWER = "procmgr0"  # sees every requisition (requisition:view:all)


def _count() -> int:
    try:
        conn = psycopg2.connect(DSN)
    except psycopg2.OperationalError:
        return -1
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM requisitions")
            return int(cur.fetchone()[0])
    except psycopg2.Error:
        return -1
    finally:
        conn.close()


def _admin(sql: str) -> None:
    conn = psycopg2.connect(ADMIN_DSN)
    conn.autocommit = True
    conn.cursor().execute(sql)
    conn.close()


def _app(rows: int) -> Any:
    from reqflow import create_app

    return create_app(
        {
            "DATABASE_URL": DSN,
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"),
            "REDIS_NAMESPACE": "bench-exports",
            "SECRET_KEY": "bench",
            "JWT_SECRET_KEY": "bench-jwt-secret-key-0123456789-0123456789",
            "INSTANCE_DIR": "/tmp/reqflow-bench-exports",
            "LOG_LEVEL": "WARNING",
            "LOGIN_RATE_LIMIT": "100000 per minute",
            "EVENT_DISPATCH": "sync",
            "JOBS_BACKEND": "inline",
            "EXPORT_STREAM_LIMIT": rows + 1,
        }
    )


def prepare(rows: int) -> Any:
    """A migrated database holding ``rows`` seeded requisitions, and the app on it."""
    from flask_migrate import upgrade

    seeded = _count() == rows
    if not seeded:
        _admin(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
        _admin(f"CREATE DATABASE {NAME}")
    app = _app(rows)
    with app.app_context():
        upgrade(directory=app.config["MIGRATIONS_DIR"])
    if not seeded:
        started = time.perf_counter()
        seed(DSN, rows)
        print(f"seeded {rows:,} requisitions in {time.perf_counter() - started:.0f} s")
    return app


def _background(app: Any, fmt: str) -> tuple[float, int, int]:
    """Seconds from POST to a finished file, its rows and its size in bytes."""
    from reqflow.exports.models import Export
    from reqflow.extensions import db

    client = app.test_client()
    token = client.post("/api/v1/auth/login", json={"username": VIEWER, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json['data']['access_token']}"}
    started = time.perf_counter()
    made = client.post(
        "/api/v1/exports", json={"kind": "requisitions", "format": fmt}, headers=headers
    )
    seconds = time.perf_counter() - started
    body = made.json["data"]["export"]
    assert body["state"] == "Done", body
    with app.app_context():
        size = db.session.get(Export, body["id"]).file_size
    return seconds, body["total_rows"], size


def _streamed(app: Any, fmt: str) -> tuple[float, int, int]:
    client = app.test_client()
    token = client.post("/api/v1/auth/login", json={"username": VIEWER, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json['data']['access_token']}"}
    started = time.perf_counter()
    response = client.get(f"/api/v1/exports/requisitions?format={fmt}", headers=headers)
    size = sum(len(chunk) for chunk in response.response)  # drain the stream
    seconds = time.perf_counter() - started
    assert response.status_code == 200
    return seconds, -1, size  # rows: the same query as the job's


def measure(app: Any, rows: int, runs: int) -> list[tuple[str, float, float, int]]:
    """(way, median seconds, rows/s, bytes) for each way of exporting."""
    results = []
    for label, way in (("background job", _background), ("streamed response", _streamed)):
        for fmt in ("csv", "xlsx"):
            way(app, fmt)  # warm-up: plans, caches, imports
            times, size = [], 0
            for _ in range(runs):
                seconds, counted, size = way(app, fmt)
                assert counted in (rows, -1), counted
                times.append(seconds)
            median = statistics.median(times)
            results.append((f"{label}, {fmt.upper()}", median, rows / median, size))
            print(f"{label:18s} {fmt:4s} {median:6.2f} s  {rows / median:9,.0f} rows/s  {size:,} B")
    return results


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    app = prepare(args.rows)
    booted = _peak_mib()
    load = os.getloadavg()[0]
    results = measure(app, args.rows, args.runs)
    peak = _peak_mib()
    lines = [
        f"{args.rows:,} requisitions (12 columns: numbers, text, money, dates), exported by a "
        f"user who sees them all; median of {args.runs} runs after a warm-up, in process "
        f"(Flask test client → PostgreSQL); {machine()}, load average {load:.1f} at the start "
        "(other helpers' work shared the 2 cores). Rows are read 1 000 at a time (`yield_per`); "
        f"the process's peak RSS was {booted:,.0f} MiB before the first export and "
        f"{peak:,.0f} MiB after the last (a run that seeded the database first reports the "
        "seeding's peak in both).",
        "",
        "| export | seconds | rows/s | file size |",
        "|---|---:|---:|---:|",
    ]
    for name, seconds, rate, size in results:
        lines.append(f"| {name} | {seconds:.2f} | {rate:,.0f} | {size / 1e6:.1f} MB |")
    lines += [
        "",
        "The background job also stores its progress on the export row and pushes a `progress` "
        "event every 1 000 rows; a list over 5 000 rows (`EXPORT_STREAM_LIMIT`) only ever runs "
        "that way — the streamed rows here show the raw writer speed with the limit lifted.",
    ]
    write_section("Export throughput", "\n".join(lines))


if __name__ == "__main__":
    main()
