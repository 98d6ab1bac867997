"""What the two gunicorn configs share: the address, JSON logging, the control socket and the
Prometheus multiprocess directory.

``gunicorn.conf.py`` (the REST API, a pool of worker processes) and ``gunicorn.socketio.conf.py``
(Socket.IO, one gevent process) import this module from their own directory. It imports
nothing of ReqFlow, Flask or gevent: the gunicorn master loads it before any worker exists.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from gunicorn import glogging

# Successful probes and scrapes every few seconds would drown the access log.
QUIET_PATHS = frozenset({"/health", "/health/ready", "/metrics"})
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_CREATED: set[str] = set()  # metrics directories made by this master (removed on exit)


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def cores() -> int:
    """CPUs this process may run on (honours taskset and cpusets, unlike os.cpu_count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def bind() -> list[str]:
    """``BIND`` (comma-separated ``host:port`` or ``unix:path``), else ``$HOST:$PORT``.

    ``HOST`` defaults to 127.0.0.1, so a gunicorn started by hand on a host is reachable only
    through the NGINX in front of it; the container image sets ``HOST=0.0.0.0``."""
    listed = [part.strip() for part in os.environ.get("BIND", "").split(",") if part.strip()]
    host = os.environ.get("HOST", "").strip() or "127.0.0.1"
    return listed or [f"{host}:{env_int('PORT', 5000)}"]


def control_socket() -> tuple[bool, str | None]:
    """(disable, path). gunicorn 25.1+ opens a control socket at one fixed path per user
    ($XDG_RUNTIME_DIR or ~/.gunicorn): several gunicorns of one user (API + Socket.IO on one
    host) would fight over it. Off unless ``GUNICORN_CONTROL_SOCKET`` names a path."""
    path = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
    return (not path, path or None)


def log_level() -> str:
    return os.environ.get("LOG_LEVEL", "info").lower()


# --- Prometheus: one exposition for all workers of this gunicorn ---------------------------------
def use_multiprocess_metrics() -> str:
    """Several workers in one gunicorn: each keeps its metrics in mmap files under one
    directory, and /metrics (whichever worker answers) sums them (prometheus_client's
    multiprocess mode). Must be set before a worker imports prometheus_client, i.e. here in the
    master. An explicit ``PROMETHEUS_MULTIPROC_DIR`` must be private to this gunicorn: it is
    emptied when the gunicorn starts."""
    directory = os.environ.get(MULTIPROC_ENV, "").strip()
    if not directory:
        shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
        directory = tempfile.mkdtemp(prefix="reqflow-metrics-", dir=shm)
        os.environ[MULTIPROC_ENV] = directory
        _CREATED.add(directory)
    Path(directory).mkdir(parents=True, exist_ok=True)
    return directory


def remove_own_metrics_dir(server) -> None:
    """on_exit: a directory this gunicorn made for itself goes with it (it lives in memory)."""
    for directory in list(_CREATED):
        shutil.rmtree(directory, ignore_errors=True)
        _CREATED.discard(directory)


def single_process_metrics() -> None:
    """One worker: its own registry is the whole truth; never share another gunicorn's files."""
    os.environ.pop(MULTIPROC_ENV, None)


def clear_multiprocess_dir(server) -> None:
    """on_starting: files of a previous run would be summed into this one's counters."""
    directory = os.environ.get(MULTIPROC_ENV)
    if not directory:
        return
    for entry in Path(directory).iterdir():
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    server.log.info("prometheus multiprocess metrics in %s", directory)


def mark_worker_dead(server, worker) -> None:
    """child_exit: drop the gauges of a worker that is gone ("live*" modes)."""
    if not os.environ.get(MULTIPROC_ENV):
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


# --- logging: JSON lines (access: stdout, gunicorn: stderr), shaped like the app's ---------------
def _iso_now(created: float | None = None) -> str:
    now = time.time() if created is None else created
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}Z"


def _header(pairs, name: str) -> str | None:
    for key, value in pairs or ():
        if key.lower() == name:
            return value
    return None


class JsonErrorFormatter(logging.Formatter):
    """gunicorn's own messages (boot, worker exits, tracebacks) as JSON lines."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": _iso_now(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _status(resp) -> int:
    status = resp.status
    if isinstance(status, str):
        status = status.split(None, 1)[0]
    return int(status)


class JsonLogger(glogging.Logger):
    """Access lines built with json.dumps, so a quote or backslash in a path cannot break them."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonErrorFormatter())

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        try:
            status = _status(resp)
            path = environ.get("PATH_INFO", "")
            if path in QUIET_PATHS and status < 400:
                return
            request_id = _header(getattr(req, "headers", None), "x-request-id") or _header(
                getattr(resp, "headers", None), "x-request-id"
            )
            entry = {
                "ts": _iso_now(),
                "level": "INFO",
                "logger": "gunicorn.access",
                "message": "request",
                "remote_addr": environ.get("REMOTE_ADDR"),
                "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
                "method": environ.get("REQUEST_METHOD"),
                "path": path,
                "status": status,
                "duration_ms": round(request_time.total_seconds() * 1000, 3),
                "bytes": getattr(resp, "sent", None),
                "request_id": request_id,
                "user_id": environ.get("reqflow.user_id"),
                "endpoint": environ.get("reqflow.endpoint"),
                "user_agent": environ.get("HTTP_USER_AGENT"),
                "pid": os.getpid(),
            }
            self.access_log.info(json.dumps(entry, ensure_ascii=False))
        except Exception:  # a log line must never fail a request
            self.exception("could not write the access log line")
