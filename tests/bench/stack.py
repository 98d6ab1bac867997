"""Start and stop what the capacity benchmarks measure: a seeded PostgreSQL database, ReqFlow
under gunicorn with its production settings, the bare-stack floor app, a Celery worker; and
read the CPU time each group of processes used (``/proc/<pid>/stat``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import requests

from tests.bench.seed import PASSWORD

REPO = Path(__file__).resolve().parents[2]
ADMIN_DSN = os.environ.get("BENCH_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
JWT_SECRET = "bench-jwt-secret-key-0123456789-0123456789"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def create_database(name: str) -> str:
    """A fresh, empty database; returns its DSN."""
    conn = psycopg2.connect(ADMIN_DSN)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {name}")
    conn.close()
    return ADMIN_DSN.rsplit("/", 1)[0] + f"/{name}"


def reqflow_env(dsn: str, log_level: str = "INFO") -> dict[str, str]:
    """Production settings (docker-compose.yml's x-app-env) pointed at the bench services:
    events and jobs go to Celery, tokens and rate limits to Redis (db 12, broker db 13)."""
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": f"{REPO / 'backend'}:{REPO}",
            "DATABASE_URL": dsn,
            "REDIS_URL": f"{REDIS}/12",
            "CELERY_BROKER_URL": f"{REDIS}/13",
            "REDIS_NAMESPACE": "bench",
            "SECRET_KEY": "bench",
            "JWT_SECRET_KEY": JWT_SECRET,
            "INSTANCE_DIR": "/tmp/reqflow-bench",
            "MIGRATIONS_DIR": str(REPO / "migrations"),
            "LOG_LEVEL": log_level,
            "LOGIN_RATE_LIMIT": "100000 per minute",
            "MFA_REQUIRED_ROLES": "",
            "EVENT_DISPATCH": "celery",
            "JOBS_BACKEND": "celery",
            "DB_POOL_SIZE": env.get("DB_POOL_SIZE", "10"),
        }
    )
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "reqflow:create_app", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
        cwd=REPO,
    )


def flush_redis() -> None:
    import redis

    for db in (12, 13):
        redis.Redis.from_url(f"{REDIS}/{db}").flushdb()


def gunicorn_settings(config: Path, env: dict[str, str]) -> dict[str, object]:
    """The process model a gunicorn config file sets (read the way gunicorn reads it)."""
    code = (
        "import json, runpy, sys; c = runpy.run_path(sys.argv[1]);"
        "print(json.dumps({k: c.get(k) for k in"
        " ('worker_class', 'workers', 'threads', 'worker_connections')}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(config)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=config.parent,
    ).stdout
    settings = json.loads(out.strip().splitlines()[-1])
    settings["worker_class"] = settings.get("worker_class") or "sync"
    settings["workers"] = settings.get("workers") or 1
    settings["threads"] = settings.get("threads") or 1
    settings["worker_connections"] = settings.get("worker_connections") or 1000
    return settings


def _model_args(model: dict[str, object]) -> list[str]:
    return [
        "-k",
        str(model["worker_class"]),
        "-w",
        str(model["workers"]),
        "--threads",
        str(model["threads"]),
        "--worker-connections",
        str(model["worker_connections"]),
    ]


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=5).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no answer on port {port} after {timeout:.0f} s")


def start_reqflow(
    port: int, env: dict[str, str], config: Path, model: dict[str, object]
) -> subprocess.Popen:
    """ReqFlow's API as production serves it: its gunicorn config, with the process model
    given (the config's own unless overridden on the command line)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(config), "--no-control-socket"]
        + _model_args(model)
        + ["-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=REPO / "backend",
        env={**env, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_healthy(port, server)
    return server


def start_floor(port: int, dsn: str, model: dict[str, object]) -> subprocess.Popen:
    """The bare-stack floor app under the same gunicorn process model."""
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "FLOOR_DATABASE_URL": dsn,
            "FLOOR_JWT_SECRET": JWT_SECRET,
            "FLOOR_DB_POOL_SIZE": os.environ.get("DB_POOL_SIZE", "10"),
        }
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:tests.bench.floor_gunicorn"]
        + ["--no-control-socket", "--log-level", "warning"]
        + _model_args(model)
        + ["-b", f"127.0.0.1:{port}", "tests.bench.floor:app"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_healthy(port, server)
    return server


def start_celery(
    env: dict[str, str], concurrency: int = 2, queue: str | None = None
) -> subprocess.Popen:
    """A Celery worker as docker-compose.yml runs it: every queue, or only ``queue``."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "reqflow.worker:celery", "worker"]
        + [f"--concurrency={concurrency}", "-l", "WARNING", "--without-mingle", "--without-gossip"]
        + (["-Q", queue, "-n", f"{queue}@%h"] if queue else []),
        cwd=REPO / "backend",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(*processes: subprocess.Popen | None) -> None:
    for process in processes:
        if process is not None and process.poll() is None:
            process.terminate()
    for process in processes:
        if process is not None:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()


def login(base: str, username: str) -> str:
    """An access token for ``username`` (bcrypt: ~0.25 s each, done before any measurement)."""
    response = requests.post(
        f"{base}/api/v1/auth/login",
        json={"username": username, "password": PASSWORD},
        timeout=60,
    )
    response.raise_for_status()
    return str(response.json()["data"]["access_token"])


# --- CPU accounting -----------------------------------------------------------------------
def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds used so far) of one process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLK_TCK


def process_tree(root: int) -> list[int]:
    """``root`` and every descendant of it."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                parents.setdefault(stat[0], []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def database_backends(dsn: str, application: str | None = None) -> list[int]:
    """PostgreSQL server processes serving the bench database (other databases excluded),
    or only those of one client that set ``application_name``."""
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND (%s IS NULL OR application_name = %s)",
            (application, application),
        )
        pids = [row[0] for row in cur.fetchall()]
    conn.close()
    return pids


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    return {pid: stat[1] for pid in pids if (stat := _stat(pid)) is not None}


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two snapshots; a process born in between counts from zero."""
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())
