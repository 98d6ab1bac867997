"""Business gauges for /metrics, refreshed at most every few seconds so a scrape costs
milliseconds: one small GROUP BY per gauge family, cached between scrapes."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

import redis
from flask import Flask, current_app
from prometheus_client import Gauge
from sqlalchemy import func, select

from reqflow.approvals.models import ApprovalStep, StepStatus
from reqflow.core.jobs import QUEUES
from reqflow.core.redis import get_redis
from reqflow.extensions import db
from reqflow.notifications.realtime import connection_count
from reqflow.requisitions.models import Requisition, Status

CACHE_SECONDS = 10.0
# Extra gauges from higher domains: name → callable(registry_gauges) (purchasing, accounting).
EXTRA_COLLECTORS: list[Callable[[dict[str, Gauge]], None]] = []


# How several workers' values of a gauge combine under PROMETHEUS_MULTIPROC_DIR: figures of
# the whole database are whatever worker refreshed them last; per-process figures add up.
Mode = Literal["mostrecent", "livesum"]
_LATEST: Mode = "mostrecent"
_SUM: Mode = "livesum"


def _gauge(app: Flask, name: str, doc: str, mode: Mode, labels: tuple[str, ...] = ()) -> Gauge:
    registry = app.extensions["reqflow_metrics"].registry
    return Gauge(name, doc, labels, registry=registry, multiprocess_mode=mode)


def _gauges(app: Flask) -> dict[str, Gauge]:
    return {
        "by_status": _gauge(
            app, "erp_requisitions_by_status", "Requisitions by status", _LATEST, ("status",)
        ),
        "pending": _gauge(
            app, "erp_pending_approvals", "Approval steps waiting for a decision", _LATEST
        ),
        "overdue": _gauge(
            app, "erp_overdue_approvals", "Approval steps past their due time", _LATEST
        ),
        "open_po_value": _gauge(
            app, "erp_open_po_value", "Value of purchase orders not yet received", _LATEST
        ),
        "overdue_invoices": _gauge(
            app, "erp_overdue_invoices", "Approved invoices past their due date", _LATEST
        ),
        "celery_queue": _gauge(
            app,
            "erp_celery_queue_length",
            "Tasks waiting in each Celery queue (events, email, bulk)",
            _LATEST,
            ("queue",),
        ),
        "sockets": _gauge(
            app, "erp_socketio_connections", "Open Socket.IO connections in this process", _SUM
        ),
        "db_checked_out": _gauge(
            app, "erp_db_pool_checked_out", "Database connections in use", _SUM
        ),
        "db_pool_size": _gauge(app, "erp_db_pool_size", "Database pool size", _SUM),
    }


def _refresh(gauges: dict[str, Gauge]) -> None:
    rows = db.session.execute(
        select(Requisition.status, func.count(Requisition.id)).group_by(Requisition.status)
    ).all()
    counts: dict[str, int] = {status: count for status, count in rows}
    for status in Status:
        gauges["by_status"].labels(status.value).set(counts.get(status.value, 0))
    from reqflow.core.models import utcnow

    pending, overdue = db.session.execute(
        select(
            func.count(ApprovalStep.id),
            func.count(ApprovalStep.id).filter(ApprovalStep.due_at < utcnow()),
        ).where(ApprovalStep.status == StepStatus.PENDING)
    ).one()
    gauges["pending"].set(pending)
    gauges["overdue"].set(overdue)
    for collect in EXTRA_COLLECTORS:
        collect(gauges)
    db.session.remove()


def _broker() -> Any:
    """The broker's Redis (often another database number than REDIS_URL), or None."""
    url = current_app.config.get("CELERY_BROKER_URL")
    if not url or not url.startswith(("redis://", "rediss://")):
        return None
    if url == current_app.config.get("REDIS_URL"):
        return get_redis()
    client = current_app.extensions.get("reqflow_broker_redis")
    if client is None:
        client = redis.Redis.from_url(url, socket_timeout=5)
        current_app.extensions["reqflow_broker_redis"] = client
    return client


def _queue_length(queue: str) -> int:
    client = _broker()
    if client is None:
        return 0
    try:
        return int(client.llen(queue) or 0)
    except Exception:  # a scrape reports what it can
        return 0


def _pool(gauges: dict[str, Gauge]) -> None:
    pool: Any = db.engine.pool
    checked_out = getattr(pool, "checkedout", None)
    size = getattr(pool, "size", None)
    gauges["db_checked_out"].set(checked_out() if callable(checked_out) else 0)
    gauges["db_pool_size"].set(size() if callable(size) else 0)


def init_business_metrics(app: Flask) -> None:
    gauges = _gauges(app)
    state = {"at": 0.0}

    def collect() -> None:
        now = time.monotonic()
        if now - state["at"] >= CACHE_SECONDS:
            state["at"] = now
            _refresh(gauges)
        for queue in QUEUES:
            gauges["celery_queue"].labels(queue=queue).set(_queue_length(queue))
        gauges["sockets"].set(connection_count())
        _pool(gauges)

    app.extensions.setdefault("reqflow_metric_collectors", []).append(collect)
    with app.app_context():  # every worker reports its pool size, scraped or not
        _pool(gauges)


def gauge_value(value: Any) -> float:
    """Prometheus samples are floats; this is only a gauge, never money arithmetic."""
    return float(Decimal(value or 0))


def _open_po_value(gauges: dict[str, Gauge]) -> None:
    """Approved, sent and partially received orders: committed but not yet all delivered."""
    from reqflow.purchasing.models import POStatus, PurchaseOrder

    open_statuses = [POStatus.APPROVED, POStatus.SENT, POStatus.PARTIALLY_RECEIVED]
    total = db.session.scalar(
        select(func.coalesce(func.sum(PurchaseOrder.total_amount), 0)).where(
            PurchaseOrder.status.in_(open_statuses)
        )
    )
    gauges["open_po_value"].set(gauge_value(total))


def _overdue_invoices(gauges: dict[str, Gauge]) -> None:
    """Approved (or partially paid) invoices past their due date."""
    from datetime import date

    from reqflow.accounting.models import PAYABLE, Invoice

    count = db.session.scalar(
        select(func.count(Invoice.id)).where(
            Invoice.status.in_([s.value for s in PAYABLE]), Invoice.due_date < date.today()
        )
    )
    gauges["overdue_invoices"].set(int(count or 0))


EXTRA_COLLECTORS.extend([_open_po_value, _overdue_invoices])
