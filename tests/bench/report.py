"""Writes one section of docs/BENCHMARKS.md, leaving the others as they are."""

from __future__ import annotations

import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "BENCHMARKS.md"
HEADER = (
    "# Benchmarks\n\nFigures measured by the scripts in `tests/bench/`; rerun them to refresh.\n"
)


def machine() -> str:
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores{mem}, {platform.system()} {platform.machine()}"


def write_section(title: str, body: str) -> None:
    text = DOC.read_text() if DOC.exists() else HEADER
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    section = f"## {title}\n\n_Measured {stamp}._\n\n{body.strip()}\n"
    pattern = re.compile(rf"## {re.escape(title)}\n.*?(?=\n## |\Z)", re.S)
    text = (
        pattern.sub(lambda _: section, text)
        if pattern.search(text)
        else (text.rstrip() + "\n\n" + section)
    )
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text.rstrip() + "\n")


def start_gunicorn(  # type: ignore[no-untyped-def]
    port: int, env: dict[str, str], config: str = "gunicorn.conf.py"
):
    """One gunicorn with a shipped config (the REST API pool by default, or
    ``gunicorn.socketio.conf.py``: one gevent worker), answering /health."""
    import subprocess
    import sys
    import time

    import requests

    repo = DOC.parents[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(repo / "backend" / config),
            "--no-control-socket",
            "-b",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=repo / "backend",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=5).ok:
                break
        except requests.RequestException:
            time.sleep(0.3)
    return server


def start_celery_worker(env: dict[str, str], concurrency: int = 2):  # type: ignore[no-untyped-def]
    """The production Celery worker (prefork) for the events the web worker hands over."""
    import subprocess
    import sys

    repo = DOC.parents[1]
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "reqflow.worker:celery",
            "worker",
            f"--concurrency={concurrency}",
            "-l",
            "WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=repo / "backend",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_outbox(dsn: str, timeout: float = 300.0) -> tuple[int, float]:
    """Waits until every stored event was delivered; returns (events, seconds waited)."""
    import time

    import psycopg2

    started = time.perf_counter()
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            while True:
                cur.execute(
                    "SELECT count(*), count(*) FILTER (WHERE dispatched_at IS NULL)"
                    " FROM outbox_events"
                )
                total, pending = cur.fetchone()
                waited = time.perf_counter() - started
                if pending == 0 or waited > timeout:
                    return int(total), waited
                time.sleep(0.2)
    finally:
        conn.close()
