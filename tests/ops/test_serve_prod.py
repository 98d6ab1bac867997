"""The single-host production path runs as the README writes it: ``make serve-prod``
(scripts/serve-prod.sh) migrates a fresh PostgreSQL database and starts the API pool,
the Socket.IO process, both Celery workers and beat from the virtualenv; ``/health/ready``
answers, the Socket.IO process shakes hands, and SIGTERM stops every one of them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import REDIS_URL, REPO, database_url
from tests.conftest import _admin as admin

from .support import free_port

pytestmark = pytest.mark.slow


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def production(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, int, int]]:
    name = f"reqflow_prod_{uuid.uuid4().hex[:8]}"
    admin(f"CREATE DATABASE {name}")
    api, sio = free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(name),
        "REDIS_URL": REDIS_URL,
        "REDIS_NAMESPACE": f"prod-{uuid.uuid4().hex[:8]}",
        "SECRET_KEY": "serve-prod-test-secret",
        "JWT_SECRET_KEY": "serve-prod-test-jwt-secret-0123456789-0123456789",
        "API_BIND": f"127.0.0.1:{api}",
        "SOCKETIO_BIND": f"127.0.0.1:{sio}",
        "WEB_CONCURRENCY": "2",
        "BEAT_SCHEDULE": str(tmp_path / "beat-schedule"),
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "HOME": str(tmp_path),
    }
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve-prod"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process, api, sio
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _session(sid: int) -> list[str]:
    """The processes still in the stack's session."""
    found = subprocess.run(["pgrep", "-s", str(sid)], capture_output=True, text=True)
    return found.stdout.split()


def _ready(api: int, process: subprocess.Popen, seconds: float = 90.0) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
        try:
            response = requests.get(f"http://127.0.0.1:{api}/health/ready", timeout=2)
            if response.status_code == 200:
                return response.json()
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError("the API never became ready")


def test_serve_prod_starts_every_process_and_sigterm_stops_them(production) -> None:
    process, api, sio = production
    body = _ready(api, process)
    assert body["checks"]["database"] == "ok", body
    assert body["checks"]["redis"] == "ok", body
    handshake = requests.get(
        f"http://127.0.0.1:{sio}/socket.io/?EIO=4&transport=polling", timeout=5
    )
    assert handshake.status_code == 200 and '"sid"' in handshake.text
    tree = subprocess.run(
        ["pgrep", "-s", str(process.pid), "-f", "celery"], capture_output=True, text=True
    ).stdout.split()
    assert len(tree) >= 3, "two workers and beat"

    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)
    deadline = time.monotonic() + 60  # Celery finishes its tasks, gunicorn its requests
    while time.monotonic() < deadline and _session(process.pid):
        time.sleep(0.5)
    assert _session(process.pid) == [], "every process of the stack has ended"
    assert not _listening(api) and not _listening(sio)
