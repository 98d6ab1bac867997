"""Open-loop capacity test (SPEC §7, issue 17): how many users ReqFlow holds on this machine.

Seeds one database (COPY), serves ReqFlow with its production gunicorn config and settings
plus a Celery worker, and ramps simulated users over steps (100, 250, 500, 1000 by default).
Each user sends one request of the SPEC mix, then thinks 5–15 s; the next request leaves on
time whether or not the last one was answered (open loop), so a slow server meets the load
a real office would send instead of a politely slowed one. Sessions are opened before the
first step with ReqFlow's own token issuing (what a login does after the bcrypt check);
real logins are measured apart.

    PYTHONPATH=backend:. .venv/bin/python -m tests.bench.bench_load \
        [--requisitions 100000] [--steps 100,250,500,1000] [--seconds 60] \
        [--config backend/gunicorn.conf.py] [--workers N] [--worker-class gevent] \
        [--realtime-config FILE]

Per step: p50/p95/p99, errors, offered vs achieved req/s, CPU seconds per process group
(ReqFlow's gunicorn, a separate realtime gunicorn if given, the PostgreSQL backends of the
bench database, Celery, this load generator); then the largest user count meeting p95 <
200 ms, p99 < 500 ms and no errors. Rewrites the "Capacity (open loop)" section of
docs/BENCHMARKS.md (``--no-write`` to leave it alone). Loopback only, bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

import aiohttp
import psycopg2

from tests.bench import stack
from tests.bench.report import machine, write_section
from tests.bench.seed import seed

DB = "reqflow_bench_load"
PORT, REALTIME_PORT = 5751, 5752
API = f"http://127.0.0.1:{PORT}/api/v1"
P95_MS, P99_MS = 200.0, 500.0
# SPEC §7 mix: (operation, weight); engineers create and submit, approvers read their inbox.
MIX = (
    ("list", 25),
    ("detail", 20),
    ("auth/me", 15),
    ("notifications", 15),
    ("dashboard", 10),
    ("inbox", 10),
    ("create + submit", 5),
)
PEOPLE = (("engineer", 0.8), ("lead", 0.1), ("buyer", 0.1))


# --- set-up -------------------------------------------------------------------------------
def mint_tokens() -> None:
    """``--mint-tokens``: read usernames (JSON) on stdin, print access tokens issued the way a
    login issues them (refresh family in Redis included). Runs with ReqFlow's environment."""
    from reqflow import create_app
    from reqflow.extensions import db
    from reqflow.identity import auth
    from reqflow.identity.models import User

    names = json.load(sys.stdin)
    app = create_app()
    with app.app_context():
        users = {u.username: u for u in db.session.query(User).filter(User.username.in_(names))}
        print(json.dumps([auth.issue_tokens(users[n])["access_token"] for n in names]))


def _tokens(env: dict[str, str], names: list[str]) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "tests.bench.bench_load", "--mint-tokens"],
        input=json.dumps(names),
        env=env,
        cwd=stack.REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _visible(dsn: str, data: dict) -> dict[str, list[int]]:
    """Requisitions each person may open: their own; a lead's reports'; any for a buyer."""
    conn = psycopg2.connect(dsn)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT requester_id, id FROM requisitions ORDER BY id DESC")
        rows = cur.fetchall()
    conn.close()
    by_user: dict[int, list[int]] = defaultdict(list)
    for requester, req_id in rows:
        if len(by_user[requester]) < 40:
            by_user[requester].append(req_id)
    ids, people = data["ids"], data["users"]
    visible = {name: by_user[ids[name]] for name in people["engineers"]}
    for i, lead in enumerate(people["leads"]):
        reports = people["engineers"][i::20]
        visible[lead] = [r for name in reports for r in visible[name][:5]]
    for buyer in people["buyers"]:
        visible[buyer] = [req_id for _, req_id in rows[:2000]]
    return visible


class User:
    def __init__(self, kind: str, name: str, token: str, visible: list[int], rng: random.Random):
        self.kind, self.name, self.visible, self.rng = kind, name, visible, rng
        self.headers = {"Authorization": f"Bearer {token}"}


def _population(env: dict, dsn: str, data: dict, count: int) -> list[User]:
    rng = random.Random(17)
    people = data["users"]
    pools = {"engineer": people["engineers"], "lead": people["leads"], "buyer": people["buyers"]}
    chosen = []
    for i in range(count):
        kind = rng.choices([k for k, _ in PEOPLE], [w for _, w in PEOPLE])[0]
        chosen.append((kind, pools[kind][i % len(pools[kind])]))
    visible = _visible(dsn, data)
    tokens = _tokens(env, [name for _, name in chosen])
    return [
        User(kind, name, token, visible[name], random.Random(i))
        for i, ((kind, name), token) in enumerate(zip(chosen, tokens, strict=True))
    ]


# --- the load -----------------------------------------------------------------------------
class Step:
    """Outcomes of one step: latencies per operation, errors, requests offered."""

    def __init__(self, until: float) -> None:
        self.until = until  # answers after it count in the percentiles, not in achieved req/s
        self.completed = 0
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.offered = 0
        self.error_kinds: dict[str, int] = defaultdict(int)

    def record(self, op: str, started: float, ok: bool, kind: str = "") -> None:
        if ok:
            self.completed += time.monotonic() <= self.until
            self.samples[op].append((time.perf_counter() - started) * 1000)
        else:
            self.errors[op] += 1
            self.error_kinds[kind] += 1


async def _call(session, step: Step, op: str, method: str, url: str, user: User, body=None):
    step.offered += 1
    started = time.perf_counter()
    headers = dict(user.headers)
    if method == "POST" and body is not None and "submit" not in url:
        headers["Idempotency-Key"] = uuid.uuid4().hex
    try:
        async with session.request(method, url, json=body, headers=headers) as response:
            payload = await response.read()
            ok = response.status in (200, 201)
            step.record(op, started, ok, str(response.status))
            return json.loads(payload) if ok else None
    except (aiohttp.ClientError, TimeoutError) as exc:
        step.record(op, started, False, type(exc).__name__)
        return None


def _new_requisition(user: User) -> dict:
    return {
        "purpose": "Daily Operations",
        "justification": f"bench load {user.rng.randrange(10**6)}",
        "items": [
            {"description": f"bench part {i}", "quantity": "2", "estimated_unit_price": "12.50"}
            for i in range(user.rng.randint(1, 4))
        ],
    }


async def _create_and_submit(session, step: Step, user: User) -> None:
    created = await _call(
        session, step, "create", "POST", f"{API}/requisitions", user, _new_requisition(user)
    )
    if created is not None:
        requisition = created["data"]["requisition"]
        await _call(
            session,
            step,
            "submit",
            "POST",
            f"{API}/requisitions/{requisition['id']}/submit",
            user,
            {"version": requisition["version"]},
        )


async def _act(session, step: Step, user: User) -> None:
    op = user.rng.choices([o for o, _ in MIX], [w for _, w in MIX])[0]
    if op == "create + submit" and user.kind != "engineer":
        op = "inbox" if user.kind == "lead" else "list"
    if op == "create + submit":
        await _create_and_submit(session, step, user)
        return
    if op == "detail" and user.visible:
        url = f"{API}/requisitions/{user.rng.choice(user.visible)}"
    else:
        op = "list" if op == "detail" else op
        url = {
            "list": f"{API}/requisitions?page={user.rng.choice((1, 1, 1, 2, 3))}&per_page=20",
            "auth/me": f"{API}/auth/me",
            "notifications": f"{API}/notifications?per_page=20",
            "dashboard": f"{API}/dashboard",
            "inbox": f"{API}/approvals/pending?sort=due_at&per_page=20",
        }[op]
    await _call(session, step, op, "GET", url, user)


async def _simulate(session, step: Step, user: User, until: float, tasks: set) -> None:
    """Fire on schedule, never waiting for answers: the open loop."""
    next_at = time.monotonic() + user.rng.uniform(0, 10)
    while next_at < until:
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        task = asyncio.create_task(_act(session, step, user))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        next_at += user.rng.uniform(5, 15)


async def _run_step(users: list[User], seconds: float, drain: float) -> tuple[Step, float]:
    started = time.monotonic()
    until = started + seconds
    step, tasks = Step(until), set()
    timeout = aiohttp.ClientTimeout(total=drain)
    # Idle connections are dropped before gunicorn's 5 s keep-alive closes them under us.
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=3)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(*(_simulate(session, step, u, until, tasks) for u in users))
        if tasks:
            await asyncio.wait(set(tasks), timeout=drain)
        for task in list(tasks):
            task.cancel()
    return step, time.monotonic() - started


# --- measurement --------------------------------------------------------------------------
def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _groups(procs: dict, dsn: str) -> dict[str, list[int]]:
    groups = {name: stack.process_tree(p.pid) for name, p in procs.items() if p is not None}
    groups["postgres"] = stack.database_backends(dsn)
    groups["load generator"] = [os.getpid()]
    return groups


def _measure_step(users: list[User], args, procs: dict, dsn: str) -> dict:
    before = {k: stack.cpu_seconds(v) for k, v in _groups(procs, dsn).items()}
    load_start = os.getloadavg()[0]
    step, wall = asyncio.run(_run_step(users, args.seconds, args.drain))
    after = {k: stack.cpu_seconds(v) for k, v in _groups(procs, dsn).items()}
    every = [v for values in step.samples.values() for v in values]
    errors = sum(step.errors.values())
    return {
        "users": len(users),
        "offered": step.offered / args.seconds,
        "achieved": step.completed / args.seconds,
        "requests": step.offered,
        "errors": errors,
        "error_kinds": dict(step.error_kinds),
        "p50": _pct(every, 50),
        "p95": _pct(every, 95),
        "p99": _pct(every, 99),
        "ops": {
            op: (len(v), _pct(v, 50), _pct(v, 95), _pct(v, 99)) for op, v in step.samples.items()
        },
        "cpu": {k: stack.cpu_used(before[k], after.get(k, {})) for k in before},
        "wall": wall,
        "load": (load_start, os.getloadavg()[0]),
        "meets": errors == 0 and _pct(every, 95) < P95_MS and _pct(every, 99) < P99_MS,
    }


def _real_logins(env: dict, data: dict, count: int) -> float:
    base = f"http://127.0.0.1:{PORT}"
    times = []
    for name in data["users"]["engineers"][:count]:
        started = time.perf_counter()
        stack.login(base, name)
        times.append((time.perf_counter() - started) * 1000)
    return _pct(times, 50)


def _start(args, env: dict) -> dict:
    config = Path(args.config).resolve()
    model = stack.gunicorn_settings(config, env)
    for key in ("worker_class", "workers", "threads"):
        if getattr(args, key) is not None:
            model[key] = getattr(args, key)
    procs: dict = {"model": model, "config": config}
    procs["ReqFlow gunicorn"] = stack.start_reqflow(PORT, env, config, model)
    if args.realtime_config:
        rt_config = Path(args.realtime_config).resolve()
        rt_model = stack.gunicorn_settings(rt_config, env)
        procs["realtime gunicorn"] = stack.start_reqflow(REALTIME_PORT, env, rt_config, rt_model)
    for queue in args.celery_queues.split(",") if args.celery_queues else [None]:
        name = f"celery {queue}" if queue else "celery"
        procs[name] = stack.start_celery(env, args.celery_concurrency, queue)
    return procs


def run(args: argparse.Namespace) -> dict:
    dsn = stack.create_database(DB)
    env = stack.reqflow_env(dsn)
    stack.migrate(env)
    stack.flush_redis()
    started = time.perf_counter()
    data = seed(dsn, args.requisitions)
    seed_seconds = time.perf_counter() - started
    procs = _start(args, env)
    servers = {k: v for k, v in procs.items() if isinstance(v, subprocess.Popen)}
    try:
        population = _population(env, dsn, data, max(args.steps))
        login_p50 = _real_logins(env, data, args.logins)
        steps = []
        for count in args.steps:
            result = _measure_step(population[:count], args, servers, dsn)
            steps.append(result)
            _print_step(result)
            time.sleep(args.pause)
    finally:
        stack.stop(*servers.values())
    return {
        "steps": steps,
        "login_p50": login_p50,
        "seed_seconds": seed_seconds,
        "items": data["items"],
        "model": procs["model"],
        "config": procs["config"],
        "args": args,
    }


# --- report -------------------------------------------------------------------------------
def _print_step(r: dict) -> None:
    cpu = ", ".join(f"{k} {v:.1f}" for k, v in r["cpu"].items())
    print(
        f"{r['users']:5d} users: offered {r['offered']:.1f} req/s, achieved {r['achieved']:.1f},"
        f" p50 {r['p50']:.0f} p95 {r['p95']:.0f} p99 {r['p99']:.0f} ms, errors {r['errors']}"
        f" {r['error_kinds'] or ''}; CPU s: {cpu}; load {r['load'][0]:.1f}→{r['load'][1]:.1f}",
        flush=True,
    )


def _markdown(report: dict) -> str:
    args, model, steps = report["args"], report["model"], report["steps"]
    config = report["config"]
    config = config.relative_to(stack.REPO) if config.is_relative_to(stack.REPO) else config
    groups = list(steps[0]["cpu"]) if steps else []
    held = [s["users"] for s in steps if s["meets"]]
    lines = [
        f"Seeded {args.requisitions:,} requisitions ({report['items']:,} items) by COPY in "
        f"{report['seed_seconds']:.1f} s. ReqFlow with `{config}` (gunicorn "
        f"`-k {model['worker_class']} -w {model['workers']}`) and the production settings, "
        f"{_celery_text(args)}, PostgreSQL, Redis and "
        f"this load generator on one machine ({machine()}). Each user sends one request of the "
        "mix then thinks 5–15 s, open loop; "
        f"{args.seconds:g} s per step; offered and achieved (answered within the step) req/s "
        "over the same window; percentiles over every answer, late ones included. "
        "CPU is seconds used from the step's start until its last answer (wall s; CPU ÷ wall = "
        "cores); "
        "PostgreSQL counts only the backends of the bench database.",
        "",
        "| users | offered req/s | achieved req/s | p50 ms | p95 ms | p99 ms | errors | load "
        "| wall s " + "".join(f"| CPU s {g} " for g in groups) + "|",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:" + "|---:" * len(groups) + "|",
    ]
    for s in steps:
        lines.append(
            f"| {s['users']} | {s['offered']:.1f} | {s['achieved']:.1f} | {s['p50']:.0f} "
            f"| {s['p95']:.0f} | {s['p99']:.0f} | {s['errors']} "
            f"| {s['load'][0]:.1f}→{s['load'][1]:.1f} | {s['wall']:.0f} "
            + "".join(f"| {s['cpu'][g]:.1f} " for g in groups)
            + "|"
        )
    lines += ["", _verdict(held, steps), "", *_ops_table(steps)]
    lines += [
        "",
        f"Mix: {', '.join(f'{op} {w} %' for op, w in MIX)} (create + submit by engineers; "
        "others read instead); users are 80 % engineers, 10 % line managers, 10 % buyers, "
        "sharing the seeded accounts. Login (bcrypt cost 12) measured apart: p50 "
        f"{report['login_p50']:.0f} ms over {args.logins} logins.",
    ]
    return "\n".join(lines)


def _celery_text(args: argparse.Namespace) -> str:
    if not args.celery_queues:
        return f"one Celery worker on every queue (`--concurrency {args.celery_concurrency}`)"
    return (
        f"one Celery worker per queue ({args.celery_queues}; `--concurrency "
        f"{args.celery_concurrency}` each)"
    )


def _verdict(held: list[int], steps: list[dict]) -> str:
    target = f"p95 < {P95_MS:.0f} ms, p99 < {P99_MS:.0f} ms, no errors"
    if not held:
        return f"**No step met {target}.**"
    return f"**Largest step meeting {target}: {max(held)} users.**"


def _ops_table(steps: list[dict]) -> list[str]:
    ops = sorted({op for s in steps for op in s["ops"]})
    lines = [
        "p95 ms per operation (requests in brackets):",
        "",
        "| operation | " + " | ".join(f"{s['users']} users" for s in steps) + " |",
        "|---" + "|---:" * len(steps) + "|",
    ]
    for op in ops:
        cells = []
        for s in steps:
            count, _p50, p95, _p99 = s["ops"].get(op, (0, 0, 0, 0))
            cells.append(f"{p95:.0f} ({count})")
        lines.append(f"| {op} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mint-tokens", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--requisitions", type=int, default=100_000)
    parser.add_argument("--steps", "--users", default="100,250,500,1000")
    parser.add_argument("--seconds", type=float, default=60.0, help="per step")
    parser.add_argument("--drain", type=float, default=30.0, help="request timeout")
    parser.add_argument("--pause", type=float, default=5.0, help="between steps")
    parser.add_argument("--logins", type=int, default=10)
    parser.add_argument("--config", default=str(stack.REPO / "backend" / "gunicorn.conf.py"))
    parser.add_argument("--realtime-config", default=None)
    parser.add_argument("--worker-class", dest="worker_class", default=None)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument(
        "--celery-queues", default="", help="e.g. events,email,bulk: one worker per queue"
    )
    parser.add_argument("--title", default="Capacity (open loop)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if args.mint_tokens:
        mint_tokens()
        return
    args.steps = [int(s) for s in str(args.steps).split(",") if s.strip()]
    text = _markdown(run(args))
    print(text)
    if not args.no_write:
        write_section(args.title, text)


if __name__ == "__main__":
    main()
