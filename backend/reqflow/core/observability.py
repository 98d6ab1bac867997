"""Request ids, one-JSON-object-per-line logs, and Prometheus request metrics."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import NoInspectionAvailable

from reqflow.core.envelope import request_id

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0)


def user_id() -> int | None:
    """The signed-in user's id without touching the database: after a failed flush the
    session needs a rollback, and the request-finishing path must not trip over it."""
    user = g.get("reqflow_user")
    if user is None:
        return None
    try:
        identity = sa_inspect(user).identity
    except NoInspectionAvailable:
        return getattr(user, "id", None)
    return identity[0] if identity else None


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry["request_id"] = request_id()
            entry["user_id"] = user_id()
        for key in ("method", "path", "status", "duration_ms", "endpoint"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    logging.Formatter.converter = time.gmtime
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "erp_requests_total",
            "HTTP requests",
            ["method", "endpoint", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "erp_request_duration_seconds",
            "HTTP request duration",
            ["method", "endpoint"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        # Several workers of one gunicorn: the largest of their counts (each sees most users
        # over 15 minutes, as requests spread over workers); one worker: its exact count.
        self.active_users = Gauge(
            "erp_active_users",
            "Users seen in the last 15 minutes",
            registry=self.registry,
            multiprocess_mode="livemax",
        )
        self._seen: dict[int, float] = {}

    def saw_user(self, user_id: int) -> None:
        self._seen[user_id] = time.time()

    def refresh_active_users(self, window: float = 900.0) -> None:
        cutoff = time.time() - window
        for uid in [u for u, ts in self._seen.items() if ts < cutoff]:
            self._seen.pop(uid, None)
        self.active_users.set(len(self._seen))


def exposition(app: Flask, metrics: Metrics) -> bytes:
    """This process's registry, or with PROMETHEUS_MULTIPROC_DIR (several gunicorn workers)
    the samples of every worker of this gunicorn, merged from their files."""
    directory = app.config.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return generate_latest(metrics.registry)
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)
    return generate_latest(registry)


def _endpoint_label() -> str:
    rule = request.url_rule
    return rule.rule if rule is not None else "<unmatched>"


class RequestSeries:
    """The labelled children of the request counter and histogram, looked up once per
    (method, route, status): ``labels()`` validates and locks on every call."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self._counters: dict[tuple[str, str, int], Any] = {}
        self._durations: dict[tuple[str, str], Any] = {}

    def observe(self, method: str, endpoint: str, status: int, seconds: float) -> None:
        counter = self._counters.get((method, endpoint, status))
        if counter is None:
            counter = self.metrics.requests.labels(method, endpoint, str(status))
            self._counters[(method, endpoint, status)] = counter
        duration = self._durations.get((method, endpoint))
        if duration is None:
            duration = self.metrics.duration.labels(method, endpoint)
            self._durations[(method, endpoint)] = duration
        counter.inc()
        duration.observe(seconds)


# Under gunicorn (its configs set APP_ACCESS_LOG=0) gunicorn's JSON access line is the one
# line per request; these keys in the WSGI environ add the app's view of it to that line.
ENVIRON_USER_ID = "reqflow.user_id"
ENVIRON_ENDPOINT = "reqflow.endpoint"


def init_observability(app: Flask) -> Metrics:
    metrics = Metrics()
    app.extensions["reqflow_metrics"] = metrics
    series = RequestSeries(metrics)
    access_log = logging.getLogger("reqflow.access") if app.config["APP_ACCESS_LOG"] else None

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        request_id()

    def _record(response: Response) -> None:
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        endpoint = _endpoint_label()
        if endpoint != "/metrics":
            series.observe(request.method, endpoint, response.status_code, elapsed)
        uid = user_id()
        if uid is not None:
            metrics.saw_user(uid)
        request.environ[ENVIRON_USER_ID] = uid
        request.environ[ENVIRON_ENDPOINT] = endpoint
        if access_log is None:
            return
        access_log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "endpoint": endpoint,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 2),
            },
        )

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = request_id()
        try:
            _record(response)
        except Exception:  # metrics and logs never cost the caller its response
            logging.getLogger(__name__).exception("recording the request failed")
        return response

    @app.get("/metrics")
    def _metrics() -> Response:
        metrics.refresh_active_users()
        for collect in app.extensions.get("reqflow_metric_collectors", []):
            collect()
        return Response(exposition(app, metrics), mimetype=CONTENT_TYPE_LATEST)

    return metrics
