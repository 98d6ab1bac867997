"""A real Celery worker for tests: this checkout's code, consuming only the queues named."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flask import Flask

from tests.conftest import REDIS_URL, REPO


def worker_env(app: Flask, instance: Path, **extra: str) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        {
            "PYTHONPATH": str(REPO / "backend"),
            "DATABASE_URL": app.config["DATABASE_URL"],
            "REDIS_URL": REDIS_URL,
            "CELERY_BROKER_URL": REDIS_URL,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "JWT_SECRET_KEY": app.config["JWT_SECRET_KEY"],
            "INSTANCE_DIR": str(instance),
            "LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    return env


def start_worker(app: Flask, tmp_path: Path, queues: str, **extra: str) -> subprocess.Popen:
    """``celery worker -Q <queues>`` (solo pool) with the test database and broker."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "reqflow.worker:celery", "worker", "-Q", queues]
        + ["--pool=solo", "-l", "WARNING", "--without-mingle", "--without-gossip"],
        cwd=tmp_path,
        env=worker_env(app, tmp_path / f"worker-{queues}", **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
