"""An export over the stream limit runs as a background job: on a real Celery worker
(queue ``bulk``) 20 000 audit rows become a CSV file while ``progress`` events reach the
requester's Socket.IO client in order (and nobody else's), the owner is notified and
downloads the file, another user gets 404, and the hourly sweep removes it after 24 h."""

from __future__ import annotations

import csv
import io
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update
from werkzeug.serving import make_server

from reqflow import create_app
from reqflow.audit.models import AuditLog
from reqflow.core.models import utcnow
from reqflow.exports.models import Export
from reqflow.extensions import db
from tests.conftest import REDIS_URL, free_port, make_config
from tests.integration.exporting import xlsx_rows
from tests.integration.test_realtime import Listener, _api, _token
from tests.integration.workers import start_worker, stop

pytestmark = pytest.mark.slow
ROWS = 20_000
EXPORTS = "/api/v1/exports"


def _audit_rows(app, count: int, action: str = "stock.counted") -> list[int]:
    """``count`` audit rows (a year of stock counts), newest last; returns their ids."""
    start = utcnow() - timedelta(days=365)
    with app.app_context():
        db.session.execute(
            insert(AuditLog),
            [
                {
                    "action": action,
                    "resource_type": "stock",
                    "resource_id": i,
                    "actor_name": "=cmd|' /C calc'!A0" if i == 7 else "storekeeper",
                    "created_at": start + timedelta(minutes=i),
                }
                for i in range(count)
            ],
        )
        db.session.commit()
        query = select(AuditLog.id).where(AuditLog.action == action)
        return list(db.session.scalars(query.order_by(AuditLog.created_at.desc(), AuditLog.id)))


@pytest.fixture
def on_celery(app, users, pg_database, tmp_path):
    """The web app (jobs and events to Celery) on loopback, one worker on ``bulk,events``,
    both writing export files to the same directory."""
    namespace = f"test-{uuid.uuid4().hex[:8]}"
    files = tmp_path / "exports"
    settings = {
        "EVENT_DISPATCH": "celery",
        "JOBS_BACKEND": "celery",
        "CELERY_BROKER_URL": REDIS_URL,
        "REDIS_NAMESPACE": namespace,
        "EXPORTS_DIR": str(files),
        "CORS_ORIGINS": ["http://127.0.0.1:5000"],
    }
    web = create_app(make_config(tmp_path / "web", pg_database, **settings))
    server = make_server("127.0.0.1", free_port(), web, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    worker = start_worker(
        app, tmp_path, "bulk,events", REDIS_NAMESPACE=namespace, EXPORTS_DIR=str(files)
    )
    try:
        yield web, f"http://127.0.0.1:{server.server_port}", files
    finally:
        stop(worker)
        server.shutdown()


def _state(web, export_id: int) -> str:
    with web.app_context():
        return db.session.get(Export, export_id).state


def _wait_state(web, export_id: int, state: str, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while _state(web, export_id) != state:
        assert time.monotonic() < deadline, f"export {export_id} never became {state}"
        time.sleep(0.2)


def _progress(listener, export_id: int) -> list[dict]:
    return [d for e, d in listener.events if e == "progress" and d.get("export_id") == export_id]


def test_a_20000_row_export_runs_on_the_worker_and_reports_progress(on_celery):
    web, base, files = on_celery
    expected = _audit_rows(web, ROWS)
    admin, accountant = _token(base, "admin"), _token(base, "accountant")
    mine, other = Listener(base, admin), Listener(base, accountant)
    try:
        body = {"kind": "audit_logs", "format": "csv", "filters": {"action": "stock.counted"}}
        started = _api(base, admin, "POST", "/exports", json=body)
        assert started.status_code == 201, started.text
        export = started.json()["data"]["export"]
        assert export["state"] in ("Queued", "Running", "Done")
        done = mine.wait_for("progress", lambda d: d["state"] == "Done", 180)
        note = mine.wait_for("notification", lambda d: "export is ready" in d["title"], 60)
    finally:
        mine.close()
        other.close()
    events = _progress(mine, export["id"])
    counts = [e["done"] for e in events]
    assert counts == [*range(0, ROWS + 1, 1000), ROWS]  # every 1 000 rows, in order, then Done
    assert [e["percent"] for e in events] == sorted(e["percent"] for e in events)
    assert all(e["total"] == ROWS for e in events) and done["percent"] == 100
    assert done["download"] == f"{EXPORTS}/{export['id']}/file"
    assert not [e for e in other.events if e[0] in ("progress", "notification")]
    assert note["link"] == done["download"]

    status = _api(base, admin, "GET", f"/exports/{export['id']}").json()["data"]["export"]
    assert (status["state"], status["total_rows"], status["percent"]) == ("Done", ROWS, 100)
    download = _api(base, admin, "GET", f"/exports/{export['id']}/file")
    assert download.status_code == 200 and download.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [int(r["Id"]) for r in rows] == expected  # the list's order: newest first
    assert "'=cmd|' /C calc'!A0" in {r["Actor"] for r in rows}  # inert in a spreadsheet
    for path in (f"/exports/{export['id']}", f"/exports/{export['id']}/file"):
        assert _api(base, accountant, "GET", path).status_code == 404

    _expire_on_the_worker(web, export["id"], files)
    assert _api(base, admin, "GET", f"/exports/{export['id']}/file").status_code == 404


def _expire_on_the_worker(web, export_id: int, files: Path) -> None:
    """A day later the beat's sweep (the same job, sent to the worker) deletes the file."""
    assert [p.name for p in files.iterdir()] and not list(files.glob("*.part"))
    with web.app_context():
        db.session.execute(
            update(Export)
            .where(Export.id == export_id)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()
    web.extensions["reqflow_jobs"].enqueue("exports.expire")
    _wait_state(web, export_id, "Expired")
    assert list(files.iterdir()) == []


def test_a_background_xlsx_export_in_process_and_its_owner_only(app, client, auth):
    """The embedded default (jobs in process): the same job, typed XLSX, owner-only file."""
    expected = _audit_rows(app, 30, action="bin.counted")
    body = {
        "kind": "audit_logs",
        "format": "xlsx",
        "filters": {"action": "bin.counted", "sort": "id"},
    }
    started = client.post(EXPORTS, json=body, headers=auth("admin"))
    assert started.status_code == 201, started.json
    export = started.json["data"]["export"]
    assert export["state"] == "Done" and export["download_url"]
    file = client.get(export["download_url"], headers=auth("admin"))
    assert file.status_code == 200
    assert [r["Id"] for r in xlsx_rows(file.data)] == sorted(expected)
    assert client.get(export["download_url"], headers=auth("buyer")).status_code == 404
    assert client.get(f"{EXPORTS}/{export['id']}", headers=auth("buyer")).status_code == 404


def test_a_background_export_is_refused_when_the_list_would_be(client, auth, users):
    refused = client.post(
        EXPORTS, json={"kind": "users", "format": "csv"}, headers=auth("engineer")
    )
    assert refused.status_code == 403
    bad = client.post(
        EXPORTS,
        json={"kind": "requisitions", "format": "csv", "filters": {"status": "Lost"}},
        headers=auth("engineer"),
    )
    assert bad.status_code == 422
    unknown = client.post(
        EXPORTS, json={"kind": "salaries", "format": "ods"}, headers=auth("admin")
    )
    assert unknown.status_code == 422
    assert set(unknown.json["error"]["details"]) == {"kind", "format"}
    nested = client.post(
        EXPORTS,
        json={"kind": "users", "format": "csv", "filters": {"role": {"$ne": 1}}},
        headers=auth("admin"),
    )
    assert nested.status_code == 422
