"""Reports at 100 000 purchase orders (issue 14): each report's service time, p50 / p95 of 20
runs, one request at a time, in process (Flask test client → PostgreSQL).

    .venv/bin/python -m tests.bench.bench_reports [--pos 100000] [--runs 20]

The database (``reqflow_reports_<n>``) is seeded once by COPY (tests/bench/seed_p2p.py: POs,
receipts, invoices, payments over a year) plus one decided approval step per PO and a few
thousand pending ones (INSERT … SELECT), and reused while it holds that many POs. Writes the
"Reports at 100 000 POs" section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

import psycopg2

from tests.bench.bench_scale import ADMIN_DSN, _admin
from tests.bench.report import machine, write_section
from tests.bench.seed_p2p import seed

STEPS_SQL = """
INSERT INTO approval_steps (document_type, document_id, document_number, document_title, amount,
  requester_id, round, sequence, kind, role, approver_id, label, status, due_at, activated_at,
  decided_by_id, decided_at, escalated_at, version, created_at, updated_at)
SELECT 'purchase_order', po.id, po.po_number, '', po.total_amount, u.id, 1, 1, 'role',
  'ProcurementMgr', u.id,
  CASE WHEN po.id % 3 = 0 THEN 'High value' ELSE 'Procurement manager' END,
  CASE WHEN po.id % 40 = 0 THEN 'Pending' ELSE 'Approved' END,
  po.created_at + interval '2 days', po.created_at,
  CASE WHEN po.id % 40 = 0 THEN NULL ELSE u.id END,
  CASE WHEN po.id % 40 = 0 THEN NULL
       ELSE po.created_at + (po.id % 97) * interval '1 hour' END,
  CASE WHEN po.id % 50 = 0 THEN po.created_at + interval '3 days' END,
  1, po.created_at, po.created_at
FROM purchase_orders po
CROSS JOIN LATERAL (SELECT id FROM users WHERE role = 'Procurement' ORDER BY id
                    OFFSET (po.id % 5) LIMIT 1) u
"""


def _dsn(pos: int) -> str:
    return f"{ADMIN_DSN.rsplit('/', 1)[0]}/reqflow_reports_{pos}"


def _seeded(pos: int) -> bool:
    try:
        conn = psycopg2.connect(_dsn(pos))
    except psycopg2.OperationalError:
        return False
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM purchase_orders")
            return bool(cur.fetchone()[0] == pos)
    except psycopg2.Error:
        return False
    finally:
        conn.close()


def _app(pos: int) -> Any:
    from reqflow import create_app

    return create_app(
        {
            "DATABASE_URL": _dsn(pos),
            "REDIS_URL": "redis://127.0.0.1:6379/2",
            "REDIS_NAMESPACE": f"bench-reports-{pos}",
            "SECRET_KEY": "bench",
            "JWT_SECRET_KEY": "bench-jwt-secret-key-0123456789-0123456789",
            "INSTANCE_DIR": "/tmp/reqflow-bench-reports",
            "LOG_LEVEL": "WARNING",
            "LOGIN_RATE_LIMIT": "100000 per minute",
            "JOBS_BACKEND": "inline",
        }
    )


def prepare(pos: int) -> None:
    from flask_migrate import upgrade

    seeded = _seeded(pos)
    if not seeded:
        _admin(f"DROP DATABASE IF EXISTS reqflow_reports_{pos} WITH (FORCE)")
        _admin(f"CREATE DATABASE reqflow_reports_{pos}")
    app = _app(pos)
    with app.app_context():
        upgrade(directory=app.config["MIGRATIONS_DIR"])
    if seeded:
        return
    started = time.perf_counter()
    seed(_dsn(pos), pos)
    with app.app_context():  # COPY bypasses the ORM flush that keeps po_line_measures
        from reqflow.extensions import db
        from reqflow.reporting.measures import refresh_all

        refresh_all(db.session.connection())
        db.session.commit()
    conn = psycopg2.connect(_dsn(pos))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(STEPS_SQL)
        cur.execute("ANALYZE")
    conn.close()
    print(f"seeded {pos:,} POs in {time.perf_counter() - started:.0f} s")


REPORTS = [
    ("spend by supplier", "/api/v1/reports/spend?group_by=supplier"),
    ("spend by month", "/api/v1/reports/spend?group_by=month"),
    ("spend by category, one quarter", "/api/v1/reports/spend?group_by=category&from={q}"),
    ("approval cycle time", "/api/v1/reports/approval-cycle-time"),
    ("supplier performance", "/api/v1/reports/supplier-performance"),
    ("AP aging", "/api/v1/reports/ap-aging"),
    ("spend by supplier, XLSX", "/api/v1/reports/spend?group_by=supplier&format=xlsx"),
]


def measure(pos: int, runs: int) -> dict[str, tuple[float, float]]:
    from datetime import date, timedelta

    from reqflow.extensions import db

    app = _app(pos)
    client = app.test_client()
    with app.app_context():  # an Accountant signs in with MFA: tokens as a login issues them
        from sqlalchemy import select

        from reqflow.identity import auth
        from reqflow.identity.models import User

        user = db.session.scalar(select(User).where(User.username == "acct00"))
        token = auth.issue_tokens(user)["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    quarter = (date.today() - timedelta(days=91)).isoformat()
    results = {}
    for name, url in REPORTS:
        url = url.format(q=quarter)
        for _ in range(2):
            assert client.get(url, headers=headers).status_code == 200, url
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url, headers=headers).get_data()
            times.append((time.perf_counter() - started) * 1000)
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        results[name] = (statistics.median(times), p95)
    with app.app_context():
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pos", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    prepare(args.pos)
    load = os.getloadavg()[0]
    results = measure(args.pos, args.runs)
    lines = [
        f"One request at a time, in process (Flask test client → PostgreSQL), {args.runs} runs "
        f"per report after 2 warm-ups, {args.pos:,} POs (tests/bench/seed_p2p.py: receipts, "
        f"invoices and payments over a year) and one approval step per PO; {machine()}, load "
        f"average {load:.1f} at the start. `python -m tests.bench.bench_reports`.",
        "",
        "| report | p50 ms | p95 ms |",
        "|---|---:|---:|",
    ]
    for name, (p50, p95) in results.items():
        print(f"{name:36s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
        lines.append(f"| {name} | {p50:.0f} | {p95:.0f} |")
    write_section(f"Reports at {args.pos:,} POs", "\n".join(lines))


if __name__ == "__main__":
    main()
