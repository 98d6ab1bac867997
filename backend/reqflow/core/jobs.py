"""Background jobs: Celery when a broker is configured, a thread pool in the embedded
default, inline in tests. Jobs are registered by name and take small arguments (ids)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app

log = logging.getLogger(__name__)
JOBS: dict[str, Callable[..., Any]] = {}


def job(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn`` as a background job called ``name`` (idempotent, ids as arguments)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        JOBS[name] = fn
        return fn

    return register


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
            self._celery_client().send_task(name, args=list(args))
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
