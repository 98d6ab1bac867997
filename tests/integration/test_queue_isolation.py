"""Pushes never wait behind e-mail: a real Celery worker consumes only the ``events`` queue,
nobody consumes ``email`` (hundreds of e-mails wait there), and a decision still reaches the
requester's Socket.IO client, stored and pushed, while its e-mail stays queued."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import redis as redis_lib
from sqlalchemy import select
from werkzeug.serving import make_server

from reqflow import create_app
from reqflow.extensions import db
from reqflow.notifications.models import Notification
from tests.conftest import REDIS_URL, free_port, make_config
from tests.integration.reqs import payload
from tests.integration.test_realtime import Listener, _api, _token
from tests.integration.workers import start_worker, stop

pytestmark = pytest.mark.slow
BACKLOG = 400  # about what 20 approvals queued before role-wide e-mail went to a digest


@pytest.fixture
def events_only(app, users, pg_database, tmp_path):
    """The web app (events and jobs to Celery) on loopback, and one worker on ``events``."""
    namespace = f"test-{uuid.uuid4().hex[:8]}"
    settings = {
        "EVENT_DISPATCH": "celery",
        "JOBS_BACKEND": "celery",
        "CELERY_BROKER_URL": REDIS_URL,
        "REDIS_NAMESPACE": namespace,
        "CORS_ORIGINS": ["http://127.0.0.1:5000"],
    }
    web = create_app(make_config(tmp_path / "web", pg_database, **settings))
    server = make_server("127.0.0.1", free_port(), web, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    worker = start_worker(app, tmp_path, "events", REDIS_NAMESPACE=namespace)
    try:
        yield web, f"http://127.0.0.1:{server.server_port}"
    finally:
        stop(worker)
        server.shutdown()


def test_a_decision_is_pushed_while_the_email_queue_is_stuck(events_only):
    web, base = events_only
    broker = redis_lib.Redis.from_url(REDIS_URL)
    runner = web.extensions["reqflow_jobs"]
    for _ in range(BACKLOG):  # e-mails nobody will send: no worker consumes ``email``
        runner.enqueue("notifications.email", 10**9)
    engineer = _token(base, "engineer")
    req = _api(base, engineer, "POST", "/requisitions", json=payload()).json()["data"][
        "requisition"
    ]
    assert _api(base, engineer, "POST", f"/requisitions/{req['id']}/submit").status_code == 200
    mine = Listener(base, engineer)
    try:
        lead = _token(base, "lead")
        decided = _api(base, lead, "POST", f"/requisitions/{req['id']}/approve")
        assert decided.status_code == 200
        started = time.monotonic()
        status = mine.wait_for(
            "status_update",
            lambda d: d["resource_id"] == req["id"] and d["status"] == "Under Review",
            60,
        )
        assert status["number"] == req["req_number"]
        note = mine.wait_for("notification", lambda d: req["req_number"] in d["title"], 60)
        waited = time.monotonic() - started
    finally:
        mine.close()
    with web.app_context():
        row = db.session.scalar(select(Notification).where(Notification.id == note["id"]))
        assert row is not None and row.emailed_at is None  # its e-mail is still queued
    assert broker.llen("email") > BACKLOG  # the decision's e-mail joined the stuck queue
    assert broker.llen("events") == 0
    assert waited < 30, f"push took {waited:.1f}s"
