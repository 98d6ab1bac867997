"""Procure-to-pay API latency benchmark: 100 000 purchase orders with goods receipts, stock
ledger and invoices in PostgreSQL, one gunicorn gevent worker, 30 client threads mixing
goods receipt, invoice recording, inventory search and the purchase order list.

    .venv/bin/python -m tests.bench.bench_p2p [--pos 100000] [--seconds 45] [--dispatch sync]

Events go to a Celery worker as in production (``--dispatch sync`` runs their handlers inside
the request instead); the time the worker needs to deliver them all is reported too.

Storekeepers receive Sent POs in full (each PO once) and search the inventory; accountants
record an invoice for Received POs (each PO once) and list POs. Prints p50/p95/p99 per
operation and rewrites the "API latency (procure-to-pay)" section of docs/BENCHMARKS.md.
Traffic goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from datetime import date

from tests.bench.bench_api import ADMIN_DSN, Recorder, _admin, _env, _login, _migrate, _pct
from tests.bench.report import (
    machine,
    start_celery_worker,
    start_gunicorn,
    wait_for_outbox,
    write_section,
)
from tests.bench.seed_p2p import seed

DB = "reqflow_bench_p2p"
PORT = 5732


def _take(rec: Recorder, pool: list) -> tuple | None:
    with rec.lock:
        return pool.pop() if pool else None


def _timed(rec: Recorder, data: dict, op: str, call) -> None:
    """``rec.timed`` that keeps the first few error answers to print at the end."""
    response = rec.timed(op, call)
    if response is None or response.status_code not in (200, 201):
        with rec.lock:
            if len(data["error_samples"]) < 5:
                text = "no answer" if response is None else response.text[:300]
                data["error_samples"].append(f"{op}: {text}")


def _search_term(rng: random.Random, data: dict) -> str:
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(data["words"])
    if roll < 0.8:
        return f"{rng.choice(data['words'])} {rng.choice(data['words'])}"
    return rng.choice(data["skus"])


def _client(base, session, role, data, rec, stop, rng):
    api = f"{base}/api/v1"
    while not stop.is_set():
        roll = rng.random()
        if role == "store" and roll < 0.35:
            todo = _take(rec, data["to_receive"])
            if todo is not None:
                body = {"po_id": todo[0], "lines": todo[1]}
                _timed(
                    rec,
                    data,
                    "receive",
                    lambda body=body: session.post(
                        f"{api}/inventory/receive", json=body, timeout=60
                    ),
                )
                continue
        if role == "store" and roll < 0.8:
            params = {"q": _search_term(rng, data), "per_page": 20}
            _timed(
                rec,
                data,
                "inventory search",
                lambda p=params: session.get(f"{api}/inventory", params=p, timeout=60),
            )
        elif role == "acct" and roll < 0.5:
            todo = _take(rec, data["to_invoice"])
            if todo is None:
                stop.wait(0.2)
                continue
            body = {
                "po_id": todo[0],
                "invoice_number": f"BENCH-{todo[0]}",
                "invoice_date": date.today().isoformat(),
                "lines": todo[1],
            }
            _timed(
                rec,
                data,
                "invoice",
                lambda body=body: session.post(f"{api}/invoices", json=body, timeout=60),
            )
        else:
            params = {"page": rng.randint(1, 200), "per_page": 20}
            if rng.random() < 0.5:
                params["status"] = "Sent" if role == "store" else "Received"
            _timed(
                rec,
                data,
                "PO list",
                lambda p=params: session.get(f"{api}/purchase-orders", params=p, timeout=60),
            )
        stop.wait(rng.uniform(0.0, 0.05))


def run(
    pos: int, seconds: int, clients: int = 30, dispatch: str = "celery", backends: int = 1
) -> dict:
    _admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    _admin(f"CREATE DATABASE {DB}")
    dsn = ADMIN_DSN.rsplit("/", 1)[0] + f"/{DB}"
    env = _env(dsn, PORT)
    if dispatch == "celery":
        env.update(
            EVENT_DISPATCH="celery",
            JOBS_BACKEND="celery",
            CELERY_BROKER_URL="redis://127.0.0.1:6379/12",
        )
    _migrate(env)
    t0 = time.perf_counter()
    data = seed(dsn, pos)
    seed_seconds = time.perf_counter() - t0
    data["error_samples"] = []
    # Several single-worker backends, as deployed (NGINX pins each client to one of them).
    servers = [start_gunicorn(PORT + n, env) for n in range(backends)]
    worker = start_celery_worker(env) if dispatch == "celery" else None
    bases = [f"http://127.0.0.1:{PORT + n}" for n in range(backends)]
    try:
        rec = Recorder()
        logins, sessions = [], []
        for i in range(clients):
            role = "store" if i % 2 == 0 else "acct"
            names = data["users"][role]
            start = time.perf_counter()
            base = bases[i % backends]
            sessions.append((role, base, _login(base, names[(i // 2) % len(names)])))
            logins.append((time.perf_counter() - start) * 1000)
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=_client, args=(base, s, role, data, rec, stop, random.Random(i))
            )
            for i, (role, base, s) in enumerate(sessions)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        stop.wait(seconds)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        wall = time.perf_counter() - started
        events, drain = wait_for_outbox(dsn.replace("+psycopg2", ""))
    finally:
        for proc in (*servers, worker):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
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
    for op, count in rec.errors.items():
        results.setdefault(op, {"count": 0, "p50": 0, "p95": 0, "p99": 0, "errors": count})
    for sample in data["error_samples"]:
        print("error:", sample)
    results["_login"] = {"count": len(logins), "p50": statistics.median(logins)}
    results["_meta"] = {
        "seconds": round(wall, 1),
        "clients": clients,
        "requests": sum(len(v) for v in rec.samples.values()),
        "seed_seconds": round(seed_seconds, 1),
        "dispatch": dispatch,
        "backends": backends,
        "events": events,
        "drain_seconds": round(drain, 1),
        **data["counts"],
    }
    return results


def _backends(n: int) -> str:
    if n == 1:
        return "One gunicorn gevent worker"
    return f"{n} gunicorn backends (one gevent worker each)"


def _markdown(results: dict) -> str:
    m = results["_meta"]
    lines = [
        f"Seeded {m['pos']:,} purchase orders ({m['po_lines']:,} lines, 60 % catalog items, "
        f"40 % free text) from {m['suppliers']} suppliers over {m['items']:,} catalog items "
        f"and {m['locations']} storage locations, with {m['receipts']:,} goods receipts, "
        f"{m['ledger']:,} stock ledger rows ({m['balances']:,} stock balances), "
        f"{m['invoices']:,} invoices and {m['payments']:,} payments, in "
        f"{m['seed_seconds']} s (COPY). Pools for the load: {m['open_pool']:,} Sent POs to "
        f"receive and {m['uninvoiced_pool']:,} Received POs to invoice, each used once.",
        "",
        f"{_backends(m['backends'])}, PostgreSQL and the {m['clients']} client threads on the "
        f"same machine ({machine()}): half storekeepers (35 % receive a whole PO, 45 % "
        "inventory search by word, two words or SKU prefix, 20 % PO list), half accountants "
        "(50 % record an invoice matching the receipt, 50 % PO list); "
        f"{m['requests']:,} requests in {m['seconds']} s "
        f"({m['requests'] / m['seconds']:.0f} req/s), think time 0–50 ms. "
        + (
            "Events went to one Celery worker (2 processes) on the same machine, as in "
            f"production; it had delivered all {m['events']:,} stored events "
            f"{m['drain_seconds']} s after the load stopped."
            if m["dispatch"] == "celery"
            else "Event handlers ran inside the requests (EVENT_DISPATCH=sync)."
        ),
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
    parser.add_argument("--pos", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=45)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--dispatch", choices=["celery", "sync"], default="celery")
    parser.add_argument("--backends", type=int, default=1, help="gunicorn instances")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    results = run(args.pos, args.seconds, args.clients, args.dispatch, args.backends)
    text = _markdown(results)
    print(text)
    if not args.no_write:
        suffix = "" if args.backends == 1 else f", {args.backends} backends"
        write_section(f"API latency (procure-to-pay{suffix})", text)


if __name__ == "__main__":
    main()
