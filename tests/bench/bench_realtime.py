"""Real-time benchmark (SPEC §7): one gunicorn gevent process holding many authenticated
Socket.IO connections, and the delay from an HTTP change to the `status_update` at a client.

    .venv/bin/python -m tests.bench.bench_realtime [--connections 1000] [--events 500]

Rewrites the "Real time" section of docs/BENCHMARKS.md. Loopback only; stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import psycopg2
import requests
import socketio

from tests.bench.report import machine, start_gunicorn, write_section

REPO = Path(__file__).resolve().parents[2]
ADMIN_DSN = os.environ.get("BENCH_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
DB = "reqflow_bench_rt"
PASSWORD = "Bench-Harbor-Quartz-2026"
ORIGIN = "http://127.0.0.1:5000"


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
            "REDIS_NAMESPACE": "bench-rt",
            "SECRET_KEY": "bench",
            "PORT": str(port),
            "JWT_SECRET_KEY": "bench-jwt-secret-key-0123456789-0123456789",
            "INSTANCE_DIR": "/tmp/reqflow-bench-rt",
            "LOG_LEVEL": "WARNING",
            "LOGIN_RATE_LIMIT": "100000 per minute",
            "MFA_REQUIRED_ROLES": "",
            "EVENT_DISPATCH": "sync",
            "JOBS_BACKEND": "thread",
            "BCRYPT_ROUNDS": "4",
            "CORS_ORIGINS": ORIGIN,
        }
    )
    return env


def _prepare(env: dict[str, str]) -> None:
    _admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    _admin(f"CREATE DATABASE {DB}")
    flask = [sys.executable, "-m", "flask", "--app", "reqflow:create_app"]
    subprocess.run(flask + ["db", "upgrade"], env=env, check=True, capture_output=True, cwd=REPO)
    for i in range(11):
        subprocess.run(
            flask
            + [
                "create-user",
                "--username",
                f"rt{i:02d}",
                "--email",
                f"rt{i:02d}@bench.example",
                "--full-name",
                f"Rt {i}",
                "--role",
                "Engineer",
                "--password",
                PASSWORD,
            ],
            env=env,
            check=True,
            capture_output=True,
            cwd=REPO,
        )


def _token(base: str, username: str) -> str:
    response = requests.post(
        f"{base}/api/v1/auth/login", timeout=30, json={"username": username, "password": PASSWORD}
    )
    return str(response.json()["data"]["access_token"])


async def _connect_many(base: str, tokens: list[str], count: int) -> list[socketio.AsyncClient]:
    clients: list[socketio.AsyncClient] = []

    async def one(i: int) -> None:
        client = socketio.AsyncClient(reconnection=False)
        try:
            await client.connect(
                base,
                auth={"token": tokens[i % len(tokens)]},
                transports=["websocket"],
                wait_timeout=30,
                headers={"Origin": ORIGIN},
            )
            clients.append(client)
        except Exception:  # counted as a failed connection
            pass

    for start in range(0, count, 50):
        await asyncio.gather(*(one(i) for i in range(start, min(count, start + 50))))
    return clients


async def _latency(base: str, token: str, events: int) -> list[float]:
    listener = socketio.AsyncClient(reconnection=False)
    arrived: asyncio.Queue[float] = asyncio.Queue()
    listener.on("status_update", lambda data: arrived.put_nowait(time.perf_counter()))
    await listener.connect(
        base, auth={"token": token}, transports=["websocket"], headers={"Origin": ORIGIN}
    )
    body = {
        "purpose": "Daily Operations",
        "justification": "latency probe",
        "items": [{"description": "probe", "quantity": "1", "estimated_unit_price": "1"}],
    }
    samples = []
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http:
        for _ in range(events):
            start = time.perf_counter()
            async with http.post(f"{base}/api/v1/requisitions", json=body) as response:
                await response.read()
            received = await asyncio.wait_for(arrived.get(), timeout=10)
            samples.append((received - start) * 1000)
    await listener.disconnect()
    return samples


def _rss_mib(pid: int) -> float:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    worker = int(children[0]) if children else pid
    for line in Path(f"/proc/{worker}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def _measure(base: str, pid: int, connections: int, events: int) -> dict:
    tokens = [_token(base, f"rt{i:02d}") for i in range(10)]
    listener_token = _token(base, "rt10")
    rss_before = _rss_mib(pid)
    started = time.perf_counter()
    clients = await _connect_many(base, tokens, connections)
    connect_seconds = time.perf_counter() - started
    rss_after = _rss_mib(pid)
    samples = await _latency(base, listener_token, events)
    still = sum(1 for c in clients if c.connected)
    await asyncio.gather(*(c.disconnect() for c in clients))
    return {
        "asked": connections,
        "connected": len(clients),
        "still_connected": still,
        "connect_seconds": round(connect_seconds, 1),
        "rss_before": rss_before,
        "rss_after": rss_after,
        "events": len(samples),
        "p50": _pct(samples, 50),
        "p95": _pct(samples, 95),
        "p99": _pct(samples, 99),
        "max": max(samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--events", type=int, default=500)
    args = parser.parse_args()
    port = 5732
    env = _env(ADMIN_DSN.rsplit("/", 1)[0] + f"/{DB}", port)
    _prepare(env)
    # The Socket.IO process (it serves the REST calls of the probe too).
    server = start_gunicorn(port, env, config="gunicorn.socketio.conf.py")
    base = f"http://127.0.0.1:{port}"
    try:
        r = asyncio.run(_measure(base, server.pid, args.connections, args.events))
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = (
        f"One gunicorn gevent worker ({machine()}), clients in one asyncio process on the "
        f"same machine, WebSocket transport.\n\n"
        f"- Connections: {r['connected']} of {r['asked']} authenticated connections opened in "
        f"{r['connect_seconds']} s and {r['still_connected']} still connected after the "
        f"latency run; worker RSS {r['rss_before']:.0f} → {r['rss_after']:.0f} MiB.\n"
        f"- `status_update` delay, from sending the HTTP request that commits the change to "
        f"the event arriving at an open client (an upper bound of commit-to-client), with "
        f"those connections open: p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, "
        f"p99 {r['p99']:.1f} ms, max {r['max']:.1f} ms over {r['events']} events "
        f"(target p99 < 100 ms)."
    )
    print(text)
    write_section("Real time", text)


if __name__ == "__main__":
    main()
