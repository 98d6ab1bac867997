"""API latency benchmark (SPEC §7): 100 000 requisitions in PostgreSQL, one gunicorn gevent
worker, 50 concurrent clients mixing list, search, detail, create and approve.

    .venv/bin/python -m tests.bench.bench_api [--requisitions 100000] [--seconds 60]

Prints p50/p95/p99 per operation and rewrites the "API latency" section of
docs/BENCHMARKS.md. Traffic goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import psycopg2
import requests

from tests.bench.report import machine, start_gunicorn, write_section
from tests.bench.seed import PASSWORD, seed

REPO = Path(__file__).resolve().parents[2]
ADMIN_DSN = os.environ.get("BENCH_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
DB = "reqflow_bench"


def _admin(sql: str) -> None:
    conn = psycopg2.connect(ADMIN_DSN)
    conn.autocommit = True
    conn.cursor().execute(sql)
    conn.close()


def _env(dsn: str, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": dsn,
            "REDIS_URL": "redis://127.0.0.1:6379/12",
            "REDIS_NAMESPACE": "bench",
            "SECRET_KEY": "bench",
            "PORT": str(port),
            "JWT_SECRET_KEY": "bench-jwt-secret-key-0123456789-0123456789",
            "INSTANCE_DIR": "/tmp/reqflow-bench",
            "LOG_LEVEL": "WARNING",
            "LOGIN_RATE_LIMIT": "100000 per minute",
            "MFA_REQUIRED_ROLES": "",
            "EVENT_DISPATCH": "sync",
            "JOBS_BACKEND": "thread",
            "DB_POOL_SIZE": "20",
        }
    )
    return env


def _migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "reqflow:create_app", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
        cwd=REPO,
    )


class Recorder:
    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()

    def timed(self, op: str, call, ok=(200, 201)) -> requests.Response | None:
        start = time.perf_counter()
        try:
            response = call()
        except requests.RequestException:
            response = None
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            if response is None or response.status_code not in ok:
                self.errors[op] += 1
            else:
                self.samples[op].append(elapsed)
        return response


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    token = session.post(
        f"{base}/api/v1/auth/login", timeout=30, json={"username": username, "password": PASSWORD}
    ).json()
    session.headers["Authorization"] = f"Bearer {token['data']['access_token']}"
    return session


def _client(base, session, role, data, rec, stop, rng):
    words, total = data["words"], data["requisitions"]
    while not stop.is_set():
        roll = rng.random()
        if role == "buyer" and roll < 0.4:
            page = rng.randint(1, 200)
            url = f"{base}/api/v1/requisitions?page={page}&per_page=20"
            rec.timed("list", lambda url=url: session.get(url, timeout=30))
        elif role == "buyer" and roll < 0.7:
            q = rng.choice(words)
            url = f"{base}/api/v1/requisitions?q={q}&per_page=20"
            rec.timed("search", lambda url=url: session.get(url, timeout=30))
        elif role == "buyer":
            rid = rng.randint(1, total)
            url = f"{base}/api/v1/requisitions/{rid}"
            rec.timed("detail", lambda url=url: session.get(url, timeout=30))
        elif role == "engineer":
            body = {
                "purpose": "Daily Operations",
                "justification": "bench",
                "items": [
                    {
                        "description": f"{rng.choice(words)} {i}",
                        "quantity": "2",
                        "estimated_unit_price": "12.50",
                    }
                    for i in range(3)
                ],
            }
            url = f"{base}/api/v1/requisitions"
            rec.timed("create", lambda url=url, body=body: session.post(url, json=body, timeout=30))
        else:  # lead: approve one of their pending requisitions
            with rec.lock:
                todo = data["by_lead"][role].pop() if data["by_lead"][role] else None
            if todo is None:
                stop.wait(0.5)
                continue
            url = f"{base}/api/v1/requisitions/{todo}/approve"
            rec.timed("approve", lambda url=url: session.post(url, json={}, timeout=30))
        stop.wait(rng.uniform(0.0, 0.05))


def run(requisitions: int, seconds: int, clients: int = 50) -> dict:
    _admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    _admin(f"CREATE DATABASE {DB}")
    dsn = ADMIN_DSN.rsplit("/", 1)[0] + f"/{DB}"
    port = 5731
    env = _env(dsn, port)
    _migrate(env)
    t0 = time.perf_counter()
    data = seed(dsn, requisitions)
    seed_seconds = time.perf_counter() - t0
    lead_ids = {v: k for k, v in data["ids"].items() if k.startswith("lead")}
    data["by_lead"] = defaultdict(list)
    for req_id, manager, _ in data["pending"]:
        data["by_lead"][lead_ids[manager]].append(req_id)
    server = start_gunicorn(port, env)
    base = f"http://127.0.0.1:{port}"
    try:
        rec = Recorder()
        logins = []
        roles = ["buyer"] * 25 + ["engineer"] * 15 + [f"lead{i:02d}" for i in range(10)]
        sessions = []
        for i, role in enumerate(roles[:clients]):
            name = {"buyer": f"buyer{i % 5}", "engineer": f"eng{i:03d}"}.get(role, role)
            start = time.perf_counter()
            sessions.append((role, _login(base, name)))
            logins.append((time.perf_counter() - start) * 1000)
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=_client, args=(base, s, role, data, rec, stop, random.Random(i))
            )
            for i, (role, s) in enumerate(sessions)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        stop.wait(seconds)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    results = {
        op: {
            "count": len(v),
            "p50": _pct(v, 50),
            "p95": _pct(v, 95),
            "p99": _pct(v, 99),
            "errors": rec.errors.get(op, 0),
        }
        for op, v in sorted(rec.samples.items())
    }
    results["_login"] = {"count": len(logins), "p50": statistics.median(logins)}
    results["_meta"] = {
        "seconds": round(wall, 1),
        "clients": clients,
        "requests": sum(len(v) for v in rec.samples.values()),
        "seed_seconds": round(seed_seconds, 1),
        "items": data["items"],
        "requisitions": requisitions,
    }
    return results


def _markdown(results: dict) -> str:
    meta = results["_meta"]
    lines = [
        f"Seeded {meta['requisitions']:,} requisitions with {meta['items']:,} items in "
        f"{meta['seed_seconds']} s (COPY). One gunicorn gevent worker, PostgreSQL and the "
        f"{meta['clients']} client threads on the same machine ({machine()}); "
        f"{meta['requests']:,} requests in {meta['seconds']} s "
        f"({meta['requests'] / meta['seconds']:.0f} req/s), think time 0–50 ms.",
        "",
        "| operation | requests | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for op, r in results.items():
        if not op.startswith("_"):
            lines.append(
                f"| {op} | {r['count']} | {r['p50']:.1f} | {r['p95']:.1f} | "
                f"{r['p99']:.1f} | {r['errors']} |"
            )
    lines.append("")
    lines.append(
        f"Login (bcrypt cost 12, measured apart): p50 {results['_login']['p50']:.0f} ms "
        f"over {results['_login']['count']} logins."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requisitions", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    results = run(args.requisitions, args.seconds, args.clients)
    text = _markdown(results)
    print(text)
    write_section("API latency (requisitions)", text)


if __name__ == "__main__":
    main()
