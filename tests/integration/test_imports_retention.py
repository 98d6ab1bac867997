"""Stored import files are deleted once past retention; the imports themselves stay, and
their error report and a commit say the file is no longer stored."""

from __future__ import annotations

import io
import os
from datetime import timedelta

from reqflow.core.jobs import JOBS
from reqflow.core.models import utcnow
from reqflow.core.scheduler import embedded_schedule
from reqflow.documents.storage import new_key
from reqflow.extensions import db
from reqflow.imports import stash
from reqflow.imports.models import ImportJob
from tests.integration.imports_util import ITEM_HEADER, commit, csv_bytes, uploaded


def _age(app, import_id: int, days: float) -> None:
    with app.app_context():
        imp = db.session.get(ImportJob, import_id)
        imp.updated_at = utcnow() - timedelta(days=days)
        db.session.commit()


def _orphan(days: float) -> str:
    """A stored file no import names (an upload whose row never committed), ``days`` old."""
    key = new_key()
    storage = stash.storage()
    storage.put(key, io.BytesIO(b"sku,name\n"))
    stamp = (utcnow() - timedelta(days=days)).timestamp()
    os.utime(storage._path(key), (stamp, stamp))  # type: ignore[attr-defined]
    return key


def test_files_past_retention_are_deleted_and_the_imports_stay(app, client, auth, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_FILE_RETENTION_DAYS", 7)
    buyer = auth("buyer")
    old = uploaded(
        client, buyer, "items", csv_bytes([ITEM_HEADER, ["RT-1", "Old", "EA", "", "1", ""]])
    )
    done = uploaded(
        client, buyer, "items", csv_bytes([ITEM_HEADER, ["RT-2", "Done", "EA", "", "1", ""]])
    )
    assert commit(client, buyer, done["id"])["status"] == "committed"
    fresh = uploaded(
        client, buyer, "items", csv_bytes([ITEM_HEADER, ["RT-3", "New", "EA", "", "1", ""]])
    )
    _age(app, old["id"], 8)
    _age(app, done["id"], 30)
    with app.app_context():
        keys = {
            i: db.session.get(ImportJob, i).storage_key
            for i in (old["id"], done["id"], fresh["id"])
        }
        stale, recent = _orphan(8), _orphan(1)
        assert "imports.sweep_files" in embedded_schedule(app)
        assert JOBS["imports.sweep_files"]() >= 3  # (files of earlier tests' imports count too)
        storage = stash.storage()
        assert not storage.exists(keys[old["id"]]) and not storage.exists(keys[done["id"]])
        assert not storage.exists(stale)
        assert storage.exists(keys[fresh["id"]]) and storage.exists(recent)
        kept = db.session.get(ImportJob, old["id"])
        assert kept.storage_key is None and kept.status == "validated" and kept.total_rows == 1
        assert utcnow() - kept.updated_at > timedelta(days=7)  # forgetting is not touching
        assert db.session.get(ImportJob, fresh["id"]).storage_key == keys[fresh["id"]]
        assert JOBS["imports.sweep_files"]() == 0  # nothing left to do: a second run is a no-op

    detail = client.get(f"/api/v1/imports/{old['id']}", headers=buyer)
    assert detail.status_code == 200 and detail.json["data"]["import"]["counts"]["create"] == 1
    for response in (
        client.get(f"/api/v1/imports/{done['id']}/error-report", headers=buyer),
        client.post(f"/api/v1/imports/{old['id']}/commit", headers=buyer),
    ):
        assert response.status_code == 409
        assert "no longer stored" in response.json["error"]["message"]
    assert (
        client.get(f"/api/v1/imports/{old['id']}", headers=buyer).json["data"]["import"]["status"]
        == "validated"
    )
    assert commit(client, buyer, fresh["id"])["status"] == "committed"
