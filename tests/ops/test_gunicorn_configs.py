"""The two gunicorn configs, run for real with a tiny WSGI app: the REST API pool
(backend/gunicorn.conf.py) and the Socket.IO process (backend/gunicorn.socketio.conf.py).

Both log JSON lines through the shared backend/gunicorn_common.py, bind to `BIND`, and open no
control socket under $HOME. Standard library + pytest only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .support import REPO, free_port, open_direct, wait_for_port

API = REPO / "backend" / "gunicorn.conf.py"
SOCKETIO = REPO / "backend" / "gunicorn.socketio.conf.py"

TINY_APP = """
import json
import os

def app(environ, start_response):
    # What ReqFlow's after-request hook leaves for gunicorn's access line.
    environ["reqflow.user_id"], environ["reqflow.endpoint"] = 7, "/api/v1/items"
    start_response("200 OK", [("Content-Type", "text/plain")])
    keys = ("SOCKETIO_ASYNC_MODE", "EVENT_DISPATCH", "PROMETHEUS_MULTIPROC_DIR", "APP_ACCESS_LOG")
    return [json.dumps({k: os.environ.get(k) for k in keys}).encode()]
"""


@contextmanager
def gunicorn(config: Path, tmp_path: Path, **env_extra: str) -> Iterator[tuple[int, Path]]:
    """gunicorn with `config` serving the tiny app on `BIND`; yields (port, log)."""
    (tmp_path / "tiny.py").write_text(TINY_APP)
    port = free_port()
    env = {**os.environ, "BIND": f"127.0.0.1:{port}", "LOG_LEVEL": "info", "HOME": str(tmp_path)}
    for name in ("WEB_CONCURRENCY", "XDG_RUNTIME_DIR", "PROMETHEUS_MULTIPROC_DIR", "PORT"):
        env.pop(name, None)
    env.update(env_extra)
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(config), "tiny:app"],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, proc, timeout=20)
            yield port, log
        finally:
            # A worker still starting when SIGTERM arrives may miss it and is killed by the
            # master after graceful_timeout (30 s): wait for that rather than fail.
            proc.terminate()
            proc.wait(timeout=60)


def _lines(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def _messages(log: Path) -> str:
    return " ".join(str(line.get("message")) for line in _lines(log))


def _get(port: int, path: str, **headers: str) -> str:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with open_direct(request) as response:
        assert response.status == 200
        return response.read().decode()


def _wait_for(log: Path, needle: str) -> None:
    deadline = time.monotonic() + 5
    while needle not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_api_config_runs_one_threaded_worker_per_core_and_logs_json(tmp_path: Path) -> None:
    stale = tmp_path / "metrics"
    stale.mkdir()
    (stale / "counter_999999.db").write_bytes(b"old run")
    with gunicorn(API, tmp_path, PROMETHEUS_MULTIPROC_DIR=str(stale)) as (port, log):
        seen = _get(port, "/api/v1/items%22q", **{"X-Request-ID": "rid-42"})
        assert _get(port, "/health")
        _wait_for(log, "rid-42")
        cores = len(os.sched_getaffinity(0))
        deadline = time.monotonic() + 10
        while _messages(log).count("Booting worker") < cores and time.monotonic() < deadline:
            time.sleep(0.05)

    messages = _messages(log)
    assert "Using worker: gthread" in messages
    assert messages.count("Booting worker") == cores  # WEB_CONCURRENCY unset: one per core
    assert "psycopg2 patched" not in messages
    env = json.loads(seen)
    assert env["SOCKETIO_ASYNC_MODE"] == "threading" and env["EVENT_DISPATCH"] == "celery"
    assert env["APP_ACCESS_LOG"] == "0"  # gunicorn's line is the one access line
    if cores > 1:  # several workers: one metrics directory, emptied at start, kept at exit
        assert env["PROMETHEUS_MULTIPROC_DIR"] == str(stale)
        assert not (stale / "counter_999999.db").exists() and stale.is_dir()
    access = [line for line in _lines(log) if line.get("logger") == "gunicorn.access"]
    assert len(access) == 1, access  # the /health probe is not logged
    entry = access[0]
    assert entry["method"] == "GET" and entry["path"] == '/api/v1/items"q'
    assert entry["status"] == 200 and entry["request_id"] == "rid-42"
    assert entry["remote_addr"] == "127.0.0.1" and isinstance(entry["duration_ms"], float)
    assert entry["user_id"] == 7 and entry["endpoint"] == "/api/v1/items"
    assert not (tmp_path / ".gunicorn").exists(), "no control socket under $HOME"


def test_api_config_takes_web_concurrency_and_makes_its_own_metrics_dir(tmp_path: Path) -> None:
    with gunicorn(API, tmp_path, WEB_CONCURRENCY="3", WEB_THREADS="2") as (port, log):
        env = json.loads(_get(port, "/"))
        deadline = time.monotonic() + 10
        while _messages(log).count("Booting worker") < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        directory = env["PROMETHEUS_MULTIPROC_DIR"]
        assert directory and Path(directory).is_dir()
    assert _messages(log).count("Booting worker") == 3
    assert not Path(directory).exists(), "the gunicorn's own metrics directory goes with it"


def test_socketio_config_runs_one_gevent_worker_whatever_web_concurrency_says(
    tmp_path: Path,
) -> None:
    with gunicorn(
        SOCKETIO, tmp_path, WEB_CONCURRENCY="4", PROMETHEUS_MULTIPROC_DIR=str(tmp_path)
    ) as (port, log):
        env = json.loads(_get(port, "/socket.io/?EIO=4"))
        _wait_for(log, "/socket.io/")
    messages = _messages(log)
    assert "Using worker: gevent" in messages
    assert messages.count("Booting worker") == 1
    assert "psycopg2 patched for gevent" in messages
    assert env["SOCKETIO_ASYNC_MODE"] == "gevent"
    assert env["PROMETHEUS_MULTIPROC_DIR"] is None  # one worker: its own registry, no sharing
    access = [line for line in _lines(log) if line.get("logger") == "gunicorn.access"]
    assert [line["path"] for line in access] == ["/socket.io/"]
    assert not (tmp_path / ".gunicorn").exists(), "no control socket under $HOME"


def test_gunicorn_settings() -> None:
    api, socketio = API.read_text(), SOCKETIO.read_text()
    for text in (api, socketio):
        for setting in (
            "import gunicorn_common as common",
            "bind = common.bind()",
            "logger_class = common.JsonLogger",
            "timeout = 60",
            "graceful_timeout = 30",
            "keepalive = 5",
            "control_socket_disable, _socket_path = common.control_socket()",
            'os.environ.get("FORWARDED_ALLOW_IPS"',
        ):
            assert setting in text
        assert "class JsonLogger" not in text, "logging lives in gunicorn_common.py only"
    assert 'worker_class = "gthread"' in api
    assert 'workers = common.env_int("WEB_CONCURRENCY", common.cores())' in api
    assert 'os.environ["SOCKETIO_ASYNC_MODE"] = "threading"' in api
    assert 'worker_class = "gevent"' in socketio and "workers = 1 " in socketio
    assert "worker_connections = 2000" in socketio and "def post_fork" in socketio
    assert 'os.environ["SOCKETIO_ASYNC_MODE"] = "gevent"' in socketio
