"""Background jobs: Celery when a broker is configured, a thread pool in the embedded
default, inline in tests. Jobs are registered by name and take small arguments (ids).

Each job declares its Celery queue here, and only here: the producer (``JobRunner``), the
worker's task registration and Celery's ``task_routes`` (beat, any ``send_task``) all read
``JOB_QUEUES``. Three queues, each with its own workers in production:

- ``events``: event delivery and the outbox relay (in-app notifications, Socket.IO pushes);
  only short jobs, so a push never waits behind anything slow.
- ``email``: every outgoing e-mail (SMTP may be slow or down; it must not hold up pushes).
- ``bulk``: reports, exports, imports and long periodic scans.

A job that declares no queue goes to ``bulk``: an undeclared job is presumed slow, and the
``events`` queue admits only jobs that opted in, so forgetting to classify one can delay that
job but never the pushes. A worker started without ``-Q`` consumes all three.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app

log = logging.getLogger(__name__)
EVENTS, EMAIL, BULK = "events", "email", "bulk"
QUEUES = (EVENTS, EMAIL, BULK)
DEFAULT_QUEUE = BULK
JOBS: dict[str, Callable[..., Any]] = {}
JOB_QUEUES: dict[str, str] = {}


def job(
    name: str, queue: str = DEFAULT_QUEUE
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn`` as a background job called ``name`` (idempotent, ids as arguments),
    run by the workers of ``queue``."""
    if queue not in QUEUES:
        raise ValueError(f"job {name}: unknown queue {queue!r}; one of {QUEUES}")

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        JOBS[name] = fn
        JOB_QUEUES[name] = queue
        return fn

    return register


def queue_of(name: str) -> str:
    return JOB_QUEUES.get(name, DEFAULT_QUEUE)


def celery_routing() -> dict[str, Any]:
    """Celery settings that send each registered job to its queue, whoever sends it."""
    from kombu import Queue

    return {
        "task_queues": [Queue(q, routing_key=q) for q in QUEUES],
        "task_default_queue": DEFAULT_QUEUE,
        "task_routes": {name: {"queue": q, "routing_key": q} for name, q in JOB_QUEUES.items()},
    }


class JobRunner:
    def __init__(self, app: Flask):
        self.app = app
        self.mode = app.config.get("JOBS_BACKEND") or (
            "celery" if app.config.get("CELERY_BROKER_URL") else "thread"
        )
        self._pool: ThreadPoolExecutor | None = None
        self._client: Any = None

    def _celery_client(self) -> Any:
        """A producer-only Celery client: the web process never builds the worker app."""
        if self._client is None:
            from celery import Celery

            self._client = Celery("reqflow-client", broker=self.app.config["CELERY_BROKER_URL"])
        return self._client

    def _run(self, name: str, args: tuple[Any, ...]) -> None:
        with self.app.app_context():
            try:
                JOBS[name](*args)
            except Exception:
                log.exception("background job failed", extra={"job": name})
            finally:
                from reqflow.extensions import db

                db.session.remove()

    def enqueue(self, name: str, *args: Any) -> None:
        if name not in JOBS:
            raise KeyError(f"unknown job {name}")
        if self.mode == "celery":
            queue = queue_of(name)
            self._celery_client().send_task(name, args=list(args), queue=queue, routing_key=queue)
        elif self.mode == "inline":
            self._run(name, args)
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="reqflow-job")
            self._pool.submit(self._run, name, args)


def enqueue(name: str, *args: Any) -> None:
    current_app.extensions["reqflow_jobs"].enqueue(name, *args)


def init_jobs(app: Flask) -> None:
    app.extensions["reqflow_jobs"] = JobRunner(app)
