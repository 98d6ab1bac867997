"""The production process model without NGINX: a Socket.IO gunicorn (one gevent worker), a REST
API gunicorn (two threaded workers) and a Celery worker sharing Redis: events reach a client
connected to the Socket.IO process whether caused by a request to the API or by a Celery task."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from celery import Celery
from sqlalchemy import update

from reqflow.approvals.models import ApprovalStep
from reqflow.core.jobs import queue_of
from reqflow.core.models import utcnow
from reqflow.extensions import db
from tests.conftest import REDIS_URL, REPO
from tests.integration.reqs import payload
from tests.integration.test_realtime import Listener, _api, _token

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(app, instance: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}}
    env.update(
        {
            "PYTHONPATH": str(REPO / "backend"),  # this checkout's code, not an installed one
            "DATABASE_URL": app.config["DATABASE_URL"],
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "JWT_SECRET_KEY": app.config["JWT_SECRET_KEY"],
            "INSTANCE_DIR": str(instance),
            "BCRYPT_ROUNDS": "4",
            "LOG_LEVEL": "WARNING",
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "MFA_REQUIRED_ROLES": "",
            "JOBS_BACKEND": "celery",
            "CORS_ORIGINS": "http://127.0.0.1:5000",
            **extra,
        }
    )
    return env


def _mail_arrives(folder: Path, *needles: str, timeout: float = 30.0) -> bool:
    """The e-mail job ran in the worker and wrote a message holding every needle."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in folder.glob("*.eml"):
            if all(n in path.read_text() for n in needles):
                return True
        time.sleep(0.2)
    return False


def _wait_http(url: str, proc: subprocess.Popen) -> None:
    for _ in range(150):
        if proc.poll() is not None:
            raise AssertionError(f"process exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            if requests.get(url, timeout=5).ok:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


@pytest.fixture
def cluster(app, users, tmp_path):
    procs: list[subprocess.Popen] = []
    ports = [_free_port(), _free_port()]
    configs = ["gunicorn.socketio.conf.py", "gunicorn.conf.py"]  # web_a: sockets, web_b: API
    for port, config in zip(ports, configs, strict=True):
        env = _env(app, tmp_path / f"web{port}", EVENT_DISPATCH="sync", WEB_CONCURRENCY="2")
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    str(REPO / "backend" / config),
                    "-b",
                    f"127.0.0.1:{port}",
                    "wsgi:app",
                ],
                cwd=REPO / "backend",
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    worker_instance = tmp_path / "worker"
    procs.append(
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "reqflow.worker:celery",
                "worker",
                "--pool=solo",
                "-l",
                "WARNING",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
            ],
            cwd=tmp_path,
            env=_env(app, worker_instance, EVENT_DISPATCH="celery"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
    )
    try:
        for port, proc in zip(ports, procs, strict=False):
            _wait_http(f"http://127.0.0.1:{port}/health", proc)
        yield [f"http://127.0.0.1:{p}" for p in ports], worker_instance
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_event_from_a_request_to_the_api_process_reaches_the_socketio_client(cluster):
    (web_a, web_b), _ = cluster
    engineer = _token(web_b, "engineer")
    listener = Listener(web_a, engineer)
    try:
        req = _api(web_b, engineer, "POST", "/requisitions", json=payload()).json()["data"][
            "requisition"
        ]
        _api(web_b, engineer, "POST", f"/requisitions/{req['id']}/submit")
        lead = _token(web_b, "lead")
        assert _api(web_b, lead, "POST", f"/requisitions/{req['id']}/approve").status_code == 200
        status = listener.wait_for("status_update", lambda d: d["status"] == "Under Review")
        assert status["number"] == req["req_number"]
        listener.wait_for("notification", lambda d: req["req_number"] in d["title"])
    finally:
        listener.close()


def test_event_from_a_celery_task_reaches_the_client(app, cluster):
    (web_a, web_b), worker_instance = cluster
    engineer = _token(web_b, "lead")
    req = _api(web_b, engineer, "POST", "/requisitions", json=payload()).json()["data"][
        "requisition"
    ]
    _api(web_b, engineer, "POST", f"/requisitions/{req['id']}/submit")  # Procurement step
    with app.app_context():
        db.session.execute(update(ApprovalStep).values(due_at=utcnow() - timedelta(days=1)))
        db.session.commit()
    buyer = Listener(web_a, _token(web_a, "buyer"))
    try:
        Celery(broker=REDIS_URL).send_task("approvals.remind", queue=queue_of("approvals.remind"))
        note = buyer.wait_for(
            "notification", lambda d: d["title"].startswith("Overdue"), timeout=30
        )
        assert req["req_number"] in note["title"]
        assert _mail_arrives(worker_instance / "mail", "To: buyer@example.com", "Overdue")
    finally:
        buyer.close()
