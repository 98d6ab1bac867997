"""Push latency under a burst (SPEC §7 real time, issue 17): 50 line managers decide 50
requisitions at the same moment, on the production process model — the API gunicorn, the
Socket.IO gunicorn, one Celery worker on the ``events`` queue and one on ``email,bulk`` — and
each requester's open socket times the ``status_update`` of their requisition.

    PYTHONPATH=backend:. .venv/bin/python -m tests.bench.bench_push [--decisions 50]

Three figures per push: from sending the approval (an upper bound of commit to client that
includes the wait for the API behind the other decisions), from the approval's own record
(the step's ``decided_at``, written in the approving transaction just before its commit: a
tighter upper bound, same clock), and from the answer (a lower bound). Writes the "Push
latency under a burst" section of docs/BENCHMARKS.md. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from typing import Any

import aiohttp
import psycopg2
import socketio

from tests.bench import stack
from tests.bench.report import machine, write_section
from tests.bench.seed import seed

DB = "reqflow_bench_push"
API_PORT, SIO_PORT = 18061, 18062
CONFIGS = stack.REPO / "backend"


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def _start(env: dict[str, str]) -> list[Any]:
    api_config = CONFIGS / "gunicorn.conf.py"
    sio_config = CONFIGS / "gunicorn.socketio.conf.py"
    return [
        stack.start_reqflow(API_PORT, env, api_config, stack.gunicorn_settings(api_config, env)),
        stack.start_reqflow(SIO_PORT, env, sio_config, stack.gunicorn_settings(sio_config, env)),
        stack.start_celery(env, 2, "events"),
        stack.start_celery(env, 1, "email,bulk"),
    ]


def _pick(data: dict[str, Any], count: int) -> list[tuple[int, str, str]]:
    """``count`` pending requisitions of distinct requesters: (id, manager, requester)."""
    names = {v: k for k, v in data["ids"].items()}
    chosen, requesters = [], set()
    for req_id, manager, requester in data["pending"]:
        if requester not in requesters:
            requesters.add(requester)
            chosen.append((req_id, names[manager], names[requester]))
        if len(chosen) == count:
            break
    return chosen


async def _listen(
    token: str, req_id: int, arrived: dict[int, float], arrived_wall: dict[int, float]
) -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)

    def on_status(data: dict[str, Any]) -> None:
        if data.get("resource_id") == req_id and data.get("status") != "Submitted":
            arrived.setdefault(req_id, time.perf_counter())
            arrived_wall.setdefault(req_id, time.time())

    client.on("status_update", on_status)
    base = f"http://127.0.0.1:{SIO_PORT}"
    await client.connect(
        base, auth={"token": token}, transports=["websocket"], headers={"Origin": base}
    )
    return client


async def _burst(
    tokens: dict[str, str], chosen: list[tuple[int, str, str]]
) -> tuple[list[float], list[float], dict[int, float]]:
    """Per push: ms from sending the approval, and ms from its answer (the commit happened
    between the two, so the first bounds commit-to-client from above, the second from below);
    and the wall-clock time each push arrived."""
    arrived: dict[int, float] = {}
    arrived_wall: dict[int, float] = {}
    clients = [
        await _listen(tokens[requester], rid, arrived, arrived_wall) for rid, _, requester in chosen
    ]
    await asyncio.sleep(1.0)
    sent: dict[int, float] = {}
    answered: dict[int, float] = {}
    api = f"http://127.0.0.1:{API_PORT}/api/v1/requisitions"
    async with aiohttp.ClientSession() as http:

        async def decide(rid: int, manager: str) -> None:
            headers = {"Authorization": f"Bearer {tokens[manager]}"}
            sent[rid] = time.perf_counter()
            async with http.post(f"{api}/{rid}/approve", json={}, headers=headers) as response:
                assert response.status == 200, await response.text()
                answered[rid] = time.perf_counter()

        await asyncio.gather(*(decide(rid, manager) for rid, manager, _ in chosen))
        deadline = time.perf_counter() + 15
        while len(arrived) < len(chosen) and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
    for client in clients:
        await client.disconnect()
    missing = len(chosen) - len(arrived)
    assert missing == 0, f"{missing} pushes never arrived"
    return (
        [(arrived[rid] - sent[rid]) * 1000 for rid in sent],
        [max(0.0, arrived[rid] - answered[rid]) * 1000 for rid in sent],
        arrived_wall,
    )


def _from_the_write(dsn: str, arrived_wall: dict[int, float]) -> list[float]:
    """ms from each approving step's ``decided_at`` (set just before that transaction's
    commit) to its push arriving: both read off this machine's clock."""
    conn = psycopg2.connect(dsn)
    with conn, conn.cursor() as cur:
        cur.execute(
            "SELECT document_id, extract(epoch FROM max(decided_at)) FROM approval_steps"
            " WHERE document_type = 'requisition' AND document_id = ANY(%s)"
            " AND decided_at IS NOT NULL GROUP BY document_id",
            (list(arrived_wall),),
        )
        decided = {rid: float(at) for rid, at in cur.fetchall()}
    conn.close()
    return [(arrived_wall[rid] - decided[rid]) * 1000 for rid in arrived_wall if rid in decided]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=50)
    parser.add_argument("--requisitions", type=int, default=20_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    dsn = stack.create_database(DB)
    env = stack.reqflow_env(dsn, "WARNING")
    stack.migrate(env)
    stack.flush_redis()
    data = seed(dsn, args.requisitions)
    chosen = _pick(data, args.decisions)
    processes = _start(env)
    try:
        base = f"http://127.0.0.1:{API_PORT}"
        people = {m for _, m, _ in chosen} | {r for _, _, r in chosen}
        tokens = {name: stack.login(base, name) for name in sorted(people)}
        load = os.getloadavg()[0]
        from_send, from_answer, arrived_wall = asyncio.run(_burst(tokens, chosen))
    finally:
        stack.stop(*processes)
    from_write = _from_the_write(dsn, arrived_wall)
    rows = []
    for label, samples in (
        ("from sending", from_send),
        ("from the approval's record (before its commit)", from_write),
        ("from the answer", from_answer),
    ):
        figures = [_pct(samples, p) for p in (50, 95, 99, 100)]
        print(f"{label}: " + ", ".join(f"{v:.0f}" for v in figures) + " ms (p50 p95 p99 max)")
        rows.append(
            f"| {label} | {len(samples)} | " + " | ".join(f"{v:.0f}" for v in figures) + " |"
        )
    if args.no_write:
        return
    write_section(
        "Push latency under a burst",
        f"{len(chosen)} line managers approve {len(chosen)} requisitions at once (one HTTP "
        "request each, all in flight together) against the production process model on one "
        f"machine ({machine()}, load average {load:.1f} at the start): the API gunicorn "
        "(`backend/gunicorn.conf.py`), the Socket.IO gunicorn (`gunicorn.socketio.conf.py`), "
        "a Celery worker on `events` (2 processes) and one on `email,bulk`, "
        f"{args.requisitions:,} requisitions in PostgreSQL. Each requester's socket (WebSocket, "
        "straight to the Socket.IO process) times its requisition's `status_update` from the "
        "moment its approval was sent, from the approving step's `decided_at` (written in the "
        "approval's transaction just before its commit; same machine clock) and from the "
        "moment its answer arrived (0 when the push came first): the commit lies between the "
        "second and the third, so they bound commit-to-client from above and below (SPEC: p99 < "
        "100 ms on a local network). The first also includes the time the request waited for "
        "the API behind the other decisions.\n\n"
        "| measured | pushes | p50 ms | p95 ms | p99 ms | max ms |\n"
        "|---|---:|---:|---:|---:|---:|\n" + "\n".join(rows),
    )


if __name__ == "__main__":
    main()
