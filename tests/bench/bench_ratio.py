"""ReqFlow against the bare-stack floor, side by side (issue 17, SPEC §7 "efficiency").

Seeds one database (COPY), serves ReqFlow with its production gunicorn config and settings
and the floor app (tests/bench/floor.py: the same queries in plain Flask + SQLAlchemy Core)
with the same worker class and count, on the same database, and drives both with wrk at the
same concurrency. Rounds are interleaved (ReqFlow, floor, floor, ReqFlow, ...) so the noise
of a shared machine falls on both sides; the figure per side is the median of its rounds.

    PYTHONPATH=backend:. .venv/bin/python -m tests.bench.bench_ratio \
        [--requisitions 100000] [--seconds 5] [--rounds 3] [--connections 16] \
        [--config backend/gunicorn.conf.py] [--worker-class gevent] [--workers 1]

Prints the table and rewrites the "Floor ratio" section of docs/BENCHMARKS.md (``--no-write``
to leave it alone). Loopback only; every run stops by itself.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2

from tests.bench import stack
from tests.bench.report import machine, write_section
from tests.bench.seed import seed

DB = "reqflow_bench_ratio"
REQFLOW_PORT, FLOOR_PORT = 5741, 5742
ENDPOINTS = ("health", "auth/me", "detail", "list page", "optimistic-lock write")

_READ_LUA = """
local ids = {%(ids)s}
local path = "%(path)s"
wrk.headers["Authorization"] = "Bearer %(token)s"
math.randomseed(%(seed)d)
request = function()
  if #ids == 0 then return wrk.format("GET", path) end
  return wrk.format("GET", path .. ids[math.random(#ids)])
end
"""

# One connection per wrk thread, so each thread owns one Draft and knows its version: after
# an answer it takes the version from the body; after a refusal it re-reads the requisition.
_WRITE_LUA = """
local ids = {%(ids)s}
local versions = {%(versions)s}
local next_thread = 1
function setup(thread)
  thread:set("rid", ids[next_thread])
  thread:set("ver", versions[next_thread])
  next_thread = next_thread + 1
end
local auth = "Bearer %(token)s"
local counter, resync = 0, false
request = function()
  local path = "/api/v1/requisitions/" .. rid
  if resync then
    return wrk.format("GET", path, {["Authorization"] = auth})
  end
  counter = counter + 1
  local body = string.format('{"purpose": "Daily Operations", "justification": '
    .. '"bench edit %%d", "version": %%d, "items": [{"description": "bench line", '
    .. '"quantity": "2", "estimated_unit_price": "12.50"}]}', counter, ver)
  return wrk.format("PUT", path,
    {["Authorization"] = auth, ["Content-Type"] = "application/json"}, body)
end
response = function(status, headers, body)
  local v = body:match('"version"%%s*:%%s*(%%d+)')
  if v then ver = tonumber(v) end
  resync = status ~= 200
end
"""


def _wrk(url: str, script: str, seconds: float, connections: int, threads: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            ["wrk", "--latency", "-t", str(threads), "-c", str(connections)]
            + ["-d", f"{max(1, round(seconds))}s", "--timeout", "10s", "-s", handle.name, url],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(handle.name)
    return _parse_wrk(out)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _parse_wrk(out: str) -> dict:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    pcts = {p: _ms(v, u) for p, v, u in re.findall(r"\s(50|99)%\s+([\d.]+)(us|ms|s|m)\b", out)}
    if rps is None:
        raise RuntimeError(f"wrk gave no figure:\n{out}")
    return {
        "rps": float(rps.group(1)),
        "requests": int(total.group(1)) if total else 0,
        "errors": (int(bad.group(1)) if bad else 0)
        + (sum(int(x) for x in sock.groups()) if sock else 0),
        "p50": pcts.get("50", 0.0),
        "p99": pcts.get("99", 0.0),
    }


def _prepare(dsn: str, requisitions: int, connections: int) -> dict:
    """Seed, then give one engineer a Draft per connection and side to edit."""
    started = time.perf_counter()
    data = seed(dsn, requisitions)
    seconds = time.perf_counter() - started
    engineer = data["users"]["engineers"][0]
    conn = psycopg2.connect(dsn)
    with conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id FROM requisitions WHERE status = 'Draft' ORDER BY id LIMIT %s",
            (2 * connections,),
        )
        drafts = [row[0] for row in cur.fetchall()]
        if len(drafts) < 2 * connections:
            raise SystemExit(f"only {len(drafts)} Drafts: seed more requisitions")
        cur.execute(
            "UPDATE requisitions SET requester_id = %s WHERE id = ANY(%s)",
            (data["ids"][engineer], drafts),
        )
        cur.execute("SELECT id FROM requisitions WHERE status = 'Submitted' ORDER BY id LIMIT 500")
        submitted = [row[0] for row in cur.fetchall()]
    conn.close()
    return {
        "seed_seconds": seconds,
        "items": data["items"],
        "engineer": engineer,
        "buyer": data["users"]["buyers"][0],
        "drafts": {"reqflow": drafts[:connections], "floor": drafts[connections:]},
        "submitted": submitted,
    }


def _versions(dsn: str, ids: list[int]) -> list[int]:
    conn = psycopg2.connect(dsn)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT id, version FROM requisitions WHERE id = ANY(%s)", (ids,))
        found = dict(cur.fetchall())
    conn.close()
    return [found[i] for i in ids]


def _script(endpoint: str, side: str, ctx: dict, dsn: str, round_no: int) -> tuple[str, str, int]:
    """(path, Lua, wrk threads) for one endpoint."""
    if endpoint == "optimistic-lock write":
        ids = ctx["drafts"][side]
        lua = _WRITE_LUA % {
            "ids": ", ".join(map(str, ids)),
            "versions": ", ".join(map(str, _versions(dsn, ids))),
            "token": ctx["tokens"]["engineer"],
        }
        return "/", lua, len(ids)
    paths = {
        "health": ("/health", []),
        "auth/me": ("/api/v1/auth/me", []),
        "detail": ("/api/v1/requisitions/", ctx["submitted"]),
        "list page": ("/api/v1/requisitions?page=1&per_page=20", []),
    }
    path, ids = paths[endpoint]
    lua = _READ_LUA % {
        "ids": ", ".join(map(str, ids)),
        "path": path,
        "token": ctx["tokens"]["buyer"],
        "seed": round_no,
    }
    return path, lua, min(2, ctx["connections"])


def _cpu(ctx: dict, dsn: str, side: str) -> dict[str, dict[int, float]]:
    return {
        "app": stack.cpu_seconds(stack.process_tree(ctx["pids"][side])),
        "db": stack.cpu_seconds(stack.database_backends(dsn, f"{side}-bench")),
    }


def _timed_wrk(ctx: dict, dsn: str, side: str, url: str, lua: str, seconds: float, threads: int):
    """One wrk run, with the CPU milliseconds per request the server and its database
    connections used meanwhile (less sensitive to the machine's load than req/s)."""
    before = _cpu(ctx, dsn, side)
    run = _wrk(url, lua, seconds, ctx["connections"], threads)
    after = _cpu(ctx, dsn, side)
    for part in ("app", "db"):
        used = stack.cpu_used(before[part], after[part])
        run[f"{part}_ms"] = 1000 * used / run["requests"] if run["requests"] else 0.0
    run["load"] = os.getloadavg()[0]
    return run


def _measure(ctx: dict, dsn: str, rounds: int, seconds: float) -> dict:
    """Interleaved rounds; each round swaps which side goes first."""
    ports = {"reqflow": REQFLOW_PORT, "floor": FLOOR_PORT}
    results: dict = {e: {"reqflow": [], "floor": []} for e in ENDPOINTS}
    for round_no in range(rounds + 1):  # round 0 warms both sides up and is not kept
        order = ["reqflow", "floor"] if round_no % 2 else ["floor", "reqflow"]
        for endpoint in ENDPOINTS:
            for side in order:
                path, lua, threads = _script(endpoint, side, ctx, dsn, round_no)
                url = f"http://127.0.0.1:{ports[side]}{path}"
                run = _timed_wrk(ctx, dsn, side, url, lua, seconds if round_no else 1, threads)
                if round_no:
                    results[endpoint][side].append(run)
                print(
                    f"round {round_no} {endpoint:>22} {side:>7}: {run['rps']:8.1f} req/s"
                    f"  p50 {run['p50']:7.1f} ms  errors {run['errors']}"
                    f"  CPU/req app {run['app_ms']:.2f} ms db {run['db_ms']:.2f} ms",
                    flush=True,
                )
    return results


def run(args: argparse.Namespace) -> dict:
    dsn = stack.create_database(DB)
    # Each server names its database connections, so their CPU can be told apart.
    env = stack.reqflow_env(f"{dsn}?application_name=reqflow-bench")
    stack.migrate(env)
    stack.flush_redis()
    ctx = _prepare(dsn, args.requisitions, args.connections)
    ctx["connections"] = args.connections
    config = Path(args.config).resolve()
    model = stack.gunicorn_settings(config, env)
    for key in ("worker_class", "workers", "threads"):
        if getattr(args, key) is not None:
            model[key] = getattr(args, key)
    reqflow = floor = None
    try:
        reqflow = stack.start_reqflow(REQFLOW_PORT, env, config, model)
        floor = stack.start_floor(FLOOR_PORT, f"{dsn}?application_name=floor-bench", model)
        ctx["pids"] = {"reqflow": reqflow.pid, "floor": floor.pid}
        base = f"http://127.0.0.1:{REQFLOW_PORT}"
        ctx["tokens"] = {
            "buyer": stack.login(base, ctx["buyer"]),
            "engineer": stack.login(base, ctx["engineer"]),
        }
        load_before = os.getloadavg()
        results = _measure(ctx, dsn, args.rounds, args.seconds)
        load_after = os.getloadavg()
    finally:
        stack.stop(reqflow, floor)
    return {
        "results": results,
        "model": model,
        "config": config.relative_to(stack.REPO) if config.is_relative_to(stack.REPO) else config,
        "load": (load_before, load_after),
        "ctx": ctx,
        "args": args,
    }


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs) if runs else 0.0


def _cpu_cell(runs: list[dict]) -> str:
    return f"{_median(runs, 'app_ms'):.2f} + {_median(runs, 'db_ms'):.2f}"


def _markdown(report: dict) -> str:
    args, model, ctx = report["args"], report["model"], report["ctx"]
    before, after = report["load"]
    loads = [r["load"] for e in report["results"].values() for s in e.values() for r in s]
    lines = [
        f"Seeded {args.requisitions:,} requisitions ({ctx['items']:,} items) by COPY in "
        f"{ctx['seed_seconds']:.1f} s. ReqFlow with `{report['config']}` and the production "
        f"settings (events to Celery, tokens in Redis) and the floor app "
        f"(`tests/bench/floor.py`) both under gunicorn `-k {model['worker_class']} "
        f"-w {model['workers']}`, on the same database; wrk with {args.connections} "
        f"connections, {args.rounds} interleaved rounds of {args.seconds:g} s per side and "
        f"endpoint, median shown ({machine()}; load average {before[0]:.2f} → "
        f"{after[0]:.2f} over the run, {min(loads, default=0):.2f}–{max(loads, default=0):.2f} "
        "at the rounds' ends).",
        "",
        "| endpoint | ReqFlow req/s | floor req/s | ratio | ReqFlow p50 ms | floor p50 ms "
        "| CPU ms/req ReqFlow (app + db) | CPU ms/req floor (app + db) "
        "| errors (ReqFlow / floor) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for endpoint, sides in report["results"].items():
        ours, floor = _median(sides["reqflow"], "rps"), _median(sides["floor"], "rps")
        errors = [sum(r["errors"] for r in sides[s]) for s in ("reqflow", "floor")]
        lines.append(
            f"| {endpoint} | {ours:,.0f} | {floor:,.0f} | {ours / floor if floor else 0:.0%} "
            f"| {_median(sides['reqflow'], 'p50'):.1f} | {_median(sides['floor'], 'p50'):.1f} "
            f"| {_cpu_cell(sides['reqflow'])} | {_cpu_cell(sides['floor'])} "
            f"| {errors[0]} / {errors[1]} |"
        )
    lines += [
        "",
        "Requests: `GET /health`; `GET /api/v1/auth/me` as a buyer; `GET "
        "/api/v1/requisitions/{id}` as a buyer over 500 Submitted requisitions (items and two "
        "approval steps each); `GET /api/v1/requisitions?page=1&per_page=20` as a buyer (all "
        "visible, total capped at 10 000); `PUT /api/v1/requisitions/{id}` by the requester "
        "with the current `version` and one item line, one Draft per connection (wrk runs "
        "one connection per thread for it). The floor runs the same statements: one "
        "primary-key read of the user per authenticated request (token checked by PyJWT), the "
        "row with its names, items and steps, a capped count and the page with item counts "
        "for its 20 rows, and `UPDATE ... SET version = version + 1 WHERE id = ? AND version "
        "= ? RETURNING version` with the item lines replaced. Ratios are what count: the "
        "machine is shared, absolute figures move with its load. CPU ms/req: CPU time of the "
        "server's gunicorn processes and of its own PostgreSQL connections (told apart by "
        "`application_name`) during the round, per request answered.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requisitions", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=5, help="per round, side, endpoint")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", "--users", type=int, default=16)
    parser.add_argument("--config", default=str(stack.REPO / "backend" / "gunicorn.conf.py"))
    parser.add_argument("--worker-class", dest="worker_class", default=None)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--title", default="Floor ratio")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    text = _markdown(run(args))
    print(text)
    if not args.no_write:
        write_section(args.title, text)


if __name__ == "__main__":
    main()
