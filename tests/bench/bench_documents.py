"""Attachment upload and download of a 10 MB file through the HTTP API (filesystem storage):
MB/s each way, and the server's memory before and after 20 uploads — flat when the bytes are
streamed (sniffed, counted and hashed on the way to storage) rather than read into memory.

    .venv/bin/python -m tests.bench.bench_documents [--mb 10] [--uploads 20]

One gunicorn (the shipped REST config, ``WEB_CONCURRENCY=1``: one gthread worker process)
on its own database (``reqflow_docs_bench``, made afresh); the worker's resident set
(VmRSS, /proc) is read after a warm-up upload and after each later one. Writes the
"Attachments: upload and download" section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from tests.bench.bench_api import ADMIN_DSN, _admin, _env, _migrate
from tests.bench.report import machine, start_gunicorn, write_section
from tests.integration.reqs import payload

DB = "reqflow_docs_bench"
PORT = 5097
PASSWORD = "Bench-Docs-Harbor-2026"
INSTANCE = "/tmp/reqflow-bench-docs"


def _worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _sample_pdf(path: Path, mb: int) -> str:
    """A ``mb`` MB file that sniffs as a PDF; returns its sha256."""
    digest = hashlib.sha256()
    block = os.urandom(1 << 20)
    with path.open("wb") as out:
        for part in (b"%PDF-1.4\n", *[block] * mb, b"\n%%EOF\n"):
            out.write(part)
            digest.update(part)
    return digest.hexdigest()


def _engineer(env: dict[str, str]) -> None:
    """A department and an engineer who may create requisitions and attach files to them."""
    from reqflow import create_app
    from reqflow.identity import service

    app = create_app({k: v for k, v in env.items() if k.isupper()})
    with app.app_context():
        dept = service.create_department(actor=None, name="Engineering", code="ENG")
        service.create_user(
            actor=None,
            data={
                "username": "docs",
                "email": "docs@example.com",
                "full_name": "Docs Bench",
                "password": PASSWORD,
                "role": "Engineer",
                "department_id": dept.id,
            },
        )


def _session(base: str) -> requests.Session:
    session = requests.Session()
    body = {"username": "docs", "password": PASSWORD}
    token = session.post(f"{base}/api/v1/auth/login", json=body, timeout=30).json()
    session.headers["Authorization"] = f"Bearer {token['data']['access_token']}"
    return session


def _requisition(base: str, session: requests.Session) -> int:
    made = session.post(f"{base}/api/v1/requisitions", json=payload(), timeout=30)
    assert made.status_code == 201, made.text
    return int(made.json()["data"]["requisition"]["id"])


def _upload(base: str, session: requests.Session, req_id: int, path: Path) -> tuple[float, dict]:
    with path.open("rb") as handle:
        started = time.perf_counter()
        response = session.post(
            f"{base}/api/v1/requisitions/{req_id}/attachments",
            files={"file": ("quote.pdf", handle, "application/pdf")},
            timeout=300,
        )
        seconds = time.perf_counter() - started
    assert response.status_code == 201, response.text
    return seconds, response.json()["data"]["attachment"]


def _download(base: str, session: requests.Session, att_id: int) -> tuple[float, str, int]:
    digest, size = hashlib.sha256(), 0
    started = time.perf_counter()
    with session.get(
        f"{base}/api/v1/attachments/{att_id}/content", stream=True, timeout=300
    ) as response:
        assert response.status_code == 200, response.text
        for chunk in response.iter_content(1 << 16):
            digest.update(chunk)
            size += len(chunk)
    return time.perf_counter() - started, digest.hexdigest(), size


def measure(mb: int, uploads: int) -> dict[str, Any]:
    _admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    _admin(f"CREATE DATABASE {DB}")
    shutil.rmtree(INSTANCE, ignore_errors=True)
    dsn = f"{ADMIN_DSN.rsplit('/', 1)[0]}/{DB}"
    env = _env(dsn, PORT)
    env.update(
        {
            "INSTANCE_DIR": INSTANCE,
            "WEB_CONCURRENCY": "1",
            "STORAGE_BACKEND": "filesystem",
            "JOBS_BACKEND": "inline",
            "REDIS_NAMESPACE": "bench-docs",
        }
    )
    _migrate(env)
    _engineer(env)
    base = f"http://127.0.0.1:{PORT}"
    server = start_gunicorn(PORT, env)
    folder = Path(tempfile.mkdtemp(prefix="bench-docs-"))
    try:
        path = folder / "quote.pdf"
        sha = _sample_pdf(path, mb)
        size = path.stat().st_size
        session = _session(base)
        req_id = _requisition(base, session)
        worker = _worker_pid(server.pid)
        _, first = _upload(base, session, req_id, path)  # warm-up: imports, pools, caches
        _download(base, session, first["id"])
        rss_before = _rss_mib(worker)
        load = os.getloadavg()[0]
        up_times, down_times, rss = [], [], []
        for _ in range(uploads):
            seconds, att = _upload(base, session, req_id, path)
            assert att["sha256"] == sha and att["size"] == size, att
            up_times.append(seconds)
            seconds, got, got_size = _download(base, session, att["id"])
            assert got == sha and got_size == size
            down_times.append(seconds)
            rss.append(_rss_mib(worker))
        return {
            "size": size,
            "uploads": uploads,
            "up": statistics.median(up_times),
            "down": statistics.median(down_times),
            "up_best": min(up_times),
            "down_best": min(down_times),
            "rss_before": rss_before,
            "rss_after": rss[-1],
            "rss_peak": max(rss),
            "load": load,
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=10)
    parser.add_argument("--uploads", type=int, default=20)
    args = parser.parse_args()
    r = measure(args.mb, args.uploads)
    mb = r["size"] / 1e6
    for way in ("up", "down"):
        print(f"{way:4s} median {r[way]:.3f} s  {mb / r[way]:.1f} MB/s")
    print(f"RSS {r['rss_before']:.1f} → {r['rss_after']:.1f} MiB (peak {r['rss_peak']:.1f})")
    lines = [
        f"A {r['size'] / 2**20:.0f} MiB ({mb:.1f} MB) PDF uploaded "
        "(`POST /requisitions/{id}/attachments`, multipart) and "
        f"downloaded (`GET /attachments/{{id}}/content`) {r['uploads']} times over loopback "
        "HTTP by one client (`requests`), one after the other, against one gunicorn worker "
        "(the shipped REST config with `WEB_CONCURRENCY=1`: gthread, 4 threads) storing on "
        f"the local filesystem (`STORAGE_BACKEND=filesystem`); {machine()}, load average "
        f"{r['load']:.1f} at the start (other helpers' tests and builds shared the 2 cores). "
        "Each upload's sha256 and size, as the server computed them, and each download's "
        "bytes were checked against the file. `python -m tests.bench.bench_documents`.",
        "",
        "| direction | median s | MB/s (median) | best s | MB/s (best) |",
        "|---|---:|---:|---:|---:|",
        f"| upload | {r['up']:.3f} | {mb / r['up']:.1f} | {r['up_best']:.3f} "
        f"| {mb / r['up_best']:.1f} |",
        f"| download | {r['down']:.3f} | {mb / r['down']:.1f} | {r['down_best']:.3f} "
        f"| {mb / r['down_best']:.1f} |",
        "",
        f"Worker resident memory (VmRSS): {r['rss_before']:.1f} MiB after a warm-up upload, "
        f"{r['rss_after']:.1f} MiB after {r['uploads']} more uploads and downloads "
        f"({r['uploads'] * mb:.0f} MB each way; highest reading {r['rss_peak']:.1f} MiB). "
        "Memory stays flat: the multipart parser spools the file part to a temporary file, the "
        "upload is sniffed, counted and hashed in 64 KiB reads on its way to storage, and the "
        "download is sent from the stored file in chunks (`send_file`), so no request holds "
        "the file in memory.",
    ]
    write_section("Attachments: upload and download", "\n".join(lines))


if __name__ == "__main__":
    main()
