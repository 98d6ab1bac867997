"""A large import runs on a real Celery worker (queue ``bulk``); a worker SIGKILLed in the
middle of the commit leaves nothing half-applied, and the retry completes."""

from __future__ import annotations

import io
import os
import signal
import time
import uuid

import pytest
from sqlalchemy import func, select

from reqflow import create_app
from reqflow.catalog.models import Item
from reqflow.core.cache import get_cache
from reqflow.extensions import db
from tests.conftest import REDIS_URL, _wait_for_idle_database, login, make_config
from tests.integration.imports_util import ITEM_HEADER, csv_bytes, item_rows
from tests.integration.workers import start_worker, stop

pytestmark = pytest.mark.slow
ROWS = 5_000
CHUNK = "100"  # the worker commits in 50 batches: plenty of time to kill it in the middle


@pytest.fixture
def web(app, users, pg_database, tmp_path):
    """An app that sends jobs to Celery, sharing the test database, broker and namespace."""
    namespace = f"test-{uuid.uuid4().hex[:8]}"
    settings = {"JOBS_BACKEND": "celery", "CELERY_BROKER_URL": REDIS_URL}
    settings["REDIS_NAMESPACE"] = namespace
    return create_app(make_config(tmp_path / "web", pg_database, **settings)), namespace


def _until(check, seconds: float = 120.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError("condition not reached")


def _shared(web_app, namespace: str) -> dict[str, str]:
    """The worker reads the uploaded file from the storage the web app wrote it to (the
    filesystem backend on a shared folder here; S3 or a shared volume across machines)."""
    return {
        "REDIS_NAMESPACE": namespace,
        "IMPORT_CHUNK_ROWS": CHUNK,
        "UPLOAD_FOLDER": web_app.config["UPLOAD_FOLDER"],
    }


def _import(client, headers, import_id):
    return client.get(f"/api/v1/imports/{import_id}", headers=headers).json["data"]["import"]


def _progress(web_app, import_id):
    with web_app.app_context():
        return get_cache().get(f"import-progress:{import_id}") or {}


def test_a_worker_killed_mid_commit_applies_nothing_and_the_retry_completes(web, tmp_path):
    web_app, namespace = web
    client = web_app.test_client()
    headers = login(client, "buyer")
    worker = start_worker(web_app, tmp_path, "bulk", **_shared(web_app, namespace))
    try:
        data = csv_bytes([ITEM_HEADER, *item_rows(ROWS)])
        response = client.post(
            "/api/v1/imports/items",
            data={"file": (io.BytesIO(data), "items.csv")},
            headers=headers,
            content_type="multipart/form-data",
        )
        assert response.status_code == 201, response.json
        imported = response.json["data"]["import"]
        assert imported["status"] == "uploaded"  # the dry run runs on the worker
        preview = _until(lambda: _import(client, headers, imported["id"])["status"] == "validated")
        assert preview
        started = client.post(f"/api/v1/imports/{imported['id']}/commit", headers=headers)
        assert (
            started.status_code == 200 and started.json["data"]["import"]["status"] == "committing"
        )
        _until(
            lambda: (
                _progress(web_app, imported["id"]).get("phase") == "committing"
                and 0 < _progress(web_app, imported["id"])["done"] < ROWS
            )
        )
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)
    finally:
        stop(worker)
    _wait_for_idle_database(web_app.config["DATABASE_URL"], seconds=20)
    with web_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Item)) == 0
    assert _import(client, headers, imported["id"])["status"] == "committing"

    retry_worker = start_worker(web_app, tmp_path, "bulk", **_shared(web_app, namespace))
    try:
        again = client.post(f"/api/v1/imports/{imported['id']}/commit", headers=headers)
        assert again.status_code == 200, again.json
        _until(lambda: _import(client, headers, imported["id"])["status"] == "committed")
    finally:
        stop(retry_worker)
    final = _import(client, headers, imported["id"])
    assert final["attempts"] == 2 and final["counts"]["create"] == ROWS
    with web_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Item)) == ROWS
