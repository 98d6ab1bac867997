"""The embedded default's stand-in for Celery beat: periodic jobs on a daemon thread."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

log = logging.getLogger(__name__)

# job name → period in seconds (the same jobs Celery beat runs in production)
EMBEDDED_SCHEDULE = {
    "events.relay": 60.0,
    "approvals.remind": 15 * 60.0,
    "inventory.low_stock_check": 24 * 3600.0,
    "accounting.invoices_due": 24 * 3600.0,
    "exports.expire": 3600.0,
    "reporting.monthly_spend": 3600.0,
    "documents.sweep_orphans": 24 * 3600.0,
    "imports.sweep_files": 24 * 3600.0,
}


def embedded_schedule(app: Flask) -> dict[str, float]:
    """The fixed schedule plus the e-mail digest, every ``EMAIL_DIGEST_MINUTES``."""
    digest = float(app.config["EMAIL_DIGEST_MINUTES"]) * 60.0
    return {**EMBEDDED_SCHEDULE, "notifications.email_digest": digest}


def start_scheduler(app: Flask, schedule: dict[str, float] | None = None) -> threading.Thread:
    plan = dict(schedule or embedded_schedule(app))
    runner = app.extensions["reqflow_jobs"]
    due = {name: time.monotonic() + period for name, period in plan.items()}

    def loop() -> None:
        while True:
            now = time.monotonic()
            for name, at in due.items():
                if now >= at:
                    due[name] = now + plan[name]
                    try:
                        runner.enqueue(name)
                    except Exception:  # one failing job must not stop the schedule
                        log.exception("scheduled job failed", extra={"job": name})
            time.sleep(1.0)

    thread = threading.Thread(target=loop, name="reqflow-scheduler", daemon=True)
    thread.start()
    return thread
