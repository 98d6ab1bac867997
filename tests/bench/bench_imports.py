"""Bulk import throughput and memory (issue 15): rows/s of the dry run and of the commit of an
items file, and the peak RSS of the process doing it (the code a ``bulk`` worker runs: the
import's jobs called in-process on PostgreSQL), for 10 000 and 100 000 rows. Each size runs in
a fresh process, so its peak RSS is its own.

    PYTHONPATH=backend:. .venv/bin/python -m tests.bench.bench_imports [--sizes 10000,100000]

Writes the "Bulk imports" section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

from tests.bench import stack
from tests.bench.report import machine, write_section

DB = "reqflow_bench_imports"
NOTE = (
    "The file is kept in storage (not in memory or the database) and read back through a lo"
    "cal temporary copy, rows are streamed in chunks and each chunk leaves the session once f"
    "lushed, and the keys seen so far (duplicate detection) live in `import_row_keys`, one ke"
    "yed query and one insert per chunk: the RSS growth is a constant (chunk, buffers, stored"
    " errors capped at 5 000), the same at 10 000 and 100 000 rows. Rows/s depend on the mach"
    "ine's load (it is shared): compare runs made back to back. The commit is slower than the"
    " dry run because each row is an insert plus its audit row, in one transaction (all or no"
    "thing)."
)
HEADER = "sku,name,uom,category,reorder_level,last_price\n"


def _file(rows: int) -> bytes:
    lines = [HEADER]
    for n in range(1, rows + 1):
        lines.append(f"B-{n:07d},Bench part {n},EA,Category {n % 40},{n % 25},{n % 900 + 1}.50\n")
    return "".join(lines).encode()


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(rows: int) -> dict[str, float]:
    from reqflow import create_app
    from reqflow.extensions import db
    from reqflow.identity import service as identity
    from reqflow.imports import service

    app = create_app({"JOBS_BACKEND": "inline", "EVENT_DISPATCH": "sync", "LOG_LEVEL": "WARNING"})
    with app.app_context():
        actor = identity.create_user(
            actor=None,
            data={"username": f"bench{rows}", "email": f"bench{rows}@example.com",
                  "full_name": "Bench Buyer", "password": "Quiet-harbour-lantern-42",
                  "role": "Procurement"},
        )  # fmt: skip
        data = _file(rows)
        base = _rss_mib()
        started = time.perf_counter()
        imp = service.upload(actor=actor, kind="items", filename="b.csv", data=data,
                             background=False)  # fmt: skip
        dry = time.perf_counter() - started
        assert imp.counts["create"] == rows, (imp.counts, imp.errors[:3])
        imp.move_to("committing")
        db.session.commit()
        started = time.perf_counter()
        service.commit(imp.id)
        commit = time.perf_counter() - started
        assert service.get(actor=actor, import_id=imp.id).status == "committed"
    return {"rows": rows, "dry_s": dry, "commit_s": commit, "base_mib": base,
            "peak_mib": _rss_mib(), "file_mib": len(data) / 2**20}  # fmt: skip


def run(sizes: list[int]) -> list[dict[str, float]]:
    results = []
    for rows in sizes:
        dsn = stack.create_database(DB)
        env = stack.reqflow_env(dsn, "WARNING")
        env.update({"REDIS_URL": "redis://127.0.0.1:6379/4", "JOBS_BACKEND": "inline",
                    "EVENT_DISPATCH": "sync", "REDIS_NAMESPACE": "bench-imports"})  # fmt: skip
        stack.migrate(env)
        out = subprocess.run(
            [sys.executable, "-m", "tests.bench.bench_imports", "--child", str(rows)],
            env=env, check=True, capture_output=True, text=True, cwd=stack.REPO,
        )  # fmt: skip
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def report(results: list[dict[str, float]]) -> str:
    lines = [
        f"Machine: {machine()}; PostgreSQL on loopback, shared with other work. An items file "
        "(CSV, 6 columns) dry-run and committed by the import jobs in one process, batches of "
        "500 rows, one audit row per item plus one for the import.",
        "",
        "| rows | file | dry run | rows/s | commit | rows/s | RSS before | peak RSS | growth |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {int(r['rows']):,} | {r['file_mib']:.1f} MiB | {r['dry_s']:.1f} s "
            f"| {r['rows'] / r['dry_s']:,.0f} | {r['commit_s']:.1f} s "
            f"| {r['rows'] / r['commit_s']:,.0f} | {r['base_mib']:.0f} MiB "
            f"| {r['peak_mib']:.0f} MiB | {r['peak_mib'] - r['base_mib']:.0f} MiB |"
        )
    return "\n".join([*lines, "", NOTE])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--child", type=int)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    results = run([int(s) for s in args.sizes.split(",")])
    body = report(results)
    print(body)
    write_section("Bulk imports", body)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
