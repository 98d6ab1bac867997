"""gunicorn settings for the ReqFlow API + Socket.IO process.

One gevent worker per process (container): Socket.IO long-polling needs every request of a
session to reach the same process, and only NGINX (``ip_hash``) can guarantee that across
processes.  Scale out with more single-worker containers behind NGINX, which share rooms
through the Redis message queue; do not raise the worker count inside one container.

Run: ``gunicorn --config backend/gunicorn.conf.py wsgi:app`` (the image does this in /app).
"""

from __future__ import annotations

import json
import logging
import os
import time

from gunicorn import glogging


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Flask-SocketIO must match the worker class; events go to Celery workers in production.
os.environ.setdefault("SOCKETIO_ASYNC_MODE", "gevent")
os.environ.setdefault("EVENT_DISPATCH", "celery")

# --- server ------------------------------------------------------------------------------
bind = [f"0.0.0.0:{_int('PORT', 5000)}"]
worker_class = "gevent"
# WEB_CONCURRENCY is gunicorn's own variable; keep it at 1 (see the module docstring).
workers = _int("WEB_CONCURRENCY", 1)
worker_connections = 2000  # greenlets per worker: open Socket.IO connections + in-flight requests
timeout = 60  # a worker whose event loop is blocked this long is killed and replaced
graceful_timeout = 30  # on SIGTERM: finish in-flight requests for up to 30 s
keepalive = 5  # NGINX keeps upstream connections idle for less (keepalive_timeout 4s)
# The heartbeat file lives in memory: /tmp may be an overlay on slow disk in containers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# X-Forwarded-Proto is honoured only from these peers.  In compose the backend port is not
# published, so only NGINX (and Prometheus) can reach it and FORWARDED_ALLOW_IPS="*" is set.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- logging: JSON lines (access: stdout, gunicorn: stderr), shaped like the app's ---------
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Successful probes and scrapes every few seconds would drown the access log.
_QUIET_PATHS = frozenset({"/health", "/health/ready", "/metrics"})


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
            status = resp.status
            if isinstance(status, str):
                status = status.split(None, 1)[0]
            status = int(status)
            path = environ.get("PATH_INFO", "")
            if path in _QUIET_PATHS and status < 400:
                return
            req_headers = getattr(req, "headers", None) or []
            request_id = _header(req_headers, "x-request-id") or _header(
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
                "user_agent": environ.get("HTTP_USER_AGENT"),
                "pid": os.getpid(),
            }
            self.access_log.info(json.dumps(entry, ensure_ascii=False))
        except Exception:  # a log line must never fail a request
            self.exception("could not write the access log line")


logger_class = JsonLogger


# --- hooks -------------------------------------------------------------------------------
def post_fork(server, worker) -> None:
    """Make psycopg2 yield to the gevent loop instead of blocking the whole worker on I/O."""
    if "gevent" not in str(server.cfg.worker_class_str).lower():
        return
    from psycogreen.gevent import patch_psycopg

    patch_psycopg()
    server.log.info("psycopg2 patched for gevent (worker pid %s)", worker.pid)


def when_ready(server) -> None:
    if server.cfg.workers != 1:
        server.log.warning(
            "%s workers in one process: Socket.IO polling needs sticky sessions; "
            "scale with more containers instead",
            server.cfg.workers,
        )
