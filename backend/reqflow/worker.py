"""Celery app bound to create_app(): ``celery -A reqflow.worker:celery worker|beat``.

Every job registered with ``reqflow.core.jobs.job`` becomes a task: acknowledged late
(a worker killed mid-task loses nothing), retried with backoff, idempotent by design, and
routed to the queue its ``@job`` declares. Run one worker per queue so pushes never wait
behind e-mail or reports: ``worker -Q events``, ``worker -Q email``, ``worker -Q bulk``
(without ``-Q`` a worker consumes all three).
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.schedules import crontab
from flask import Flask

from reqflow import create_app
from reqflow.core.jobs import JOB_QUEUES, JOBS, celery_routing
from reqflow.extensions import db

BEAT_SCHEDULE = {
    "relay-outbox": {"task": "events.relay", "schedule": 60.0},
    "approval-reminders": {"task": "approvals.remind", "schedule": 15 * 60.0},
    "low-stock-check": {"task": "inventory.low_stock_check", "schedule": crontab(hour=6, minute=0)},
    "invoices-due": {"task": "accounting.invoices_due", "schedule": crontab(hour=7, minute=0)},
    "expire-exports": {"task": "exports.expire", "schedule": crontab(minute=15)},
    # hourly: the job itself sends on the Admin's configured day and hour, once a month
    "monthly-spend-report": {"task": "reporting.monthly_spend", "schedule": crontab(minute=5)},
    "attachment-orphans": {
        "task": "documents.sweep_orphans",
        "schedule": crontab(hour=3, minute=30),
    },
    "import-files": {"task": "imports.sweep_files", "schedule": crontab(hour=3, minute=45)},
}


def beat_schedule(app: Flask) -> dict[str, dict[str, Any]]:
    """The fixed schedule plus the e-mail digest, every ``EMAIL_DIGEST_MINUTES``."""
    minutes = float(app.config["EMAIL_DIGEST_MINUTES"])
    digest = {"task": "notifications.email_digest", "schedule": minutes * 60.0}
    return {**BEAT_SCHEDULE, "email-digest": digest}


def make_celery(app: Flask) -> Celery:
    celery_app = Celery(
        app.import_name, broker=app.config["CELERY_BROKER_URL"], backend=app.config.get("REDIS_URL")
    )
    celery_app.conf.update(
        # Jobs are fire-and-forget (nobody reads a task's return value): storing each
        # result in Redis cost every task a write there.
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        broker_connection_retry_on_startup=True,
        beat_schedule=beat_schedule(app),
        broker_transport_options={"visibility_timeout": 3600},
        **celery_routing(),
    )

    class AppContextTask(celery_app.Task):  # type: ignore[name-defined,misc]
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                try:
                    return self.run(*args, **kwargs)
                finally:
                    db.session.remove()

    celery_app.Task = AppContextTask
    for name, fn in JOBS.items():
        celery_app.task(
            name=name,
            queue=JOB_QUEUES[name],
            autoretry_for=(Exception,),
            retry_backoff=True,
            retry_backoff_max=300,
            max_retries=8,
        )(fn)
    return celery_app


flask_app = create_app({"JOBS_BACKEND": "celery", "EVENT_DISPATCH": "celery"})
celery = make_celery(flask_app)
