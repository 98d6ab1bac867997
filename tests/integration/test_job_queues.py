"""Every registered job lands in the Celery queue its ``@job`` declares, on the real broker:
sent by the web process (``JobRunner``) or by any Celery producer (beat) using the routes."""

from __future__ import annotations

import json

import pytest
import redis as redis_lib
from celery import Celery

from reqflow import create_app
from reqflow.core.jobs import JOB_QUEUES, JOBS, QUEUES, celery_routing
from tests.conftest import REDIS_URL, make_config

DECLARED = {
    "events.deliver": "events",
    "events.relay": "events",
    "notifications.email": "email",
    "notifications.email_digest": "email",
    "purchasing.email_po": "email",
    "approvals.remind": "bulk",
    "accounting.invoices_due": "bulk",
    "inventory.low_stock_check": "bulk",
    "imports.dry_run": "bulk",
    "imports.commit": "bulk",
    "imports.invite": "email",
}


@pytest.fixture
def broker():
    client = redis_lib.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


def _waiting(client, queue: str) -> list[str]:
    """Task names of the messages waiting in a queue's Redis list."""
    return sorted(json.loads(raw)["headers"]["task"] for raw in client.lrange(queue, 0, -1))


def _by_queue(client) -> dict[str, list[str]]:
    return {queue: _waiting(client, queue) for queue in QUEUES}


def _expected() -> dict[str, list[str]]:
    return {q: sorted(n for n, declared in JOB_QUEUES.items() if declared == q) for q in QUEUES}


def test_every_job_declares_the_queue_it_belongs_to(app):
    for name, queue in DECLARED.items():
        assert JOB_QUEUES[name] == queue, name
    assert set(JOB_QUEUES) == set(JOBS)
    assert set(JOB_QUEUES.values()) <= set(QUEUES)


def test_the_web_process_sends_each_job_to_its_queue(app, pg_database, tmp_path, broker):
    producer = create_app(
        make_config(tmp_path, pg_database, JOBS_BACKEND="celery", CELERY_BROKER_URL=REDIS_URL)
    )
    runner = producer.extensions["reqflow_jobs"]
    for name in sorted(JOBS):
        runner.enqueue(name, 1)
    assert _by_queue(broker) == _expected()
    assert broker.llen("celery") == 0  # nothing left on Celery's default queue
    assert broker.llen("email") == len(_expected()["email"])


def test_beat_and_other_producers_follow_the_same_routes(app, broker):
    beat = Celery("beat-like", broker=REDIS_URL)
    beat.conf.update(**celery_routing())
    for name in sorted(JOBS):
        beat.send_task(name)
    beat.send_task("never.declared")  # an unknown name goes to bulk, never to events
    expected = _expected()
    expected["bulk"] = sorted([*expected["bulk"], "never.declared"])
    assert _by_queue(broker) == expected


def test_metrics_show_each_queue_backlog(app, pg_database, tmp_path, broker):
    # the broker named apart from REDIS_URL (in production: another database number)
    broker_url = REDIS_URL.replace("127.0.0.1", "localhost")
    producer = create_app(
        make_config(tmp_path, pg_database, JOBS_BACKEND="celery", CELERY_BROKER_URL=broker_url)
    )
    for _ in range(3):
        producer.extensions["reqflow_jobs"].enqueue("notifications.email", 1)
    producer.extensions["reqflow_jobs"].enqueue("events.relay")
    text = producer.test_client().get("/metrics").data.decode()
    assert 'erp_celery_queue_length{queue="email"} 3.0' in text
    assert 'erp_celery_queue_length{queue="events"} 1.0' in text
    assert 'erp_celery_queue_length{queue="bulk"} 0.0' in text
