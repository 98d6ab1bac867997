"""Import files are not kept for ever: a daily sweep (Celery beat; the embedded scheduler in
the default set-up) forgets the stored file of every import untouched for longer than
``IMPORT_FILE_RETENTION_DAYS`` and deletes it, then deletes from the import storage each
file that no import names and that is older than that (an upload whose row never committed).
The import rows stay (history, audit, counts); their error report and a commit answer 409
"no longer stored".

A file is forgotten (its key cleared and committed) before it is deleted, so a sweep that
dies half-way leaves at worst an unnamed file, which the next sweep's listing removes. An
import being committed (its row locked) is skipped, never waited for."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from reqflow.core.jobs import BULK, job
from reqflow.core.models import utcnow
from reqflow.extensions import db
from reqflow.imports import stash
from reqflow.imports.models import ImportJob

BATCH = 500


def _forget(cutoff: datetime) -> int:
    """Clear ``storage_key`` on imports untouched since ``cutoff`` and delete their files, a
    batch per transaction (the keys are forgotten first, so a failed delete is only an
    unnamed file for the listing below)."""
    storage, removed = stash.storage(), 0
    while True:
        stmt = (
            select(ImportJob.id, ImportJob.storage_key)
            .where(ImportJob.storage_key.is_not(None), ImportJob.updated_at < cutoff)
            .order_by(ImportJob.id)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        )
        batch: dict[int, str] = dict(db.session.execute(stmt).tuples().all())  # type: ignore[arg-type]
        if not batch:
            db.session.rollback()
            return removed
        # a plain UPDATE: forgetting the file does not count as touching the import
        db.session.execute(
            update(ImportJob)
            .where(ImportJob.id.in_(batch))
            .values(storage_key=None, updated_at=ImportJob.updated_at)
        )
        db.session.commit()
        for key in batch.values():
            storage.delete(key)
            removed += 1


def sweep_files(older_than: timedelta) -> int:
    """Delete the stored import files past retention; returns how many were deleted."""
    cutoff = utcnow() - older_than
    removed = _forget(cutoff)
    still = select(ImportJob.storage_key).where(ImportJob.storage_key.is_not(None))
    named = set(db.session.scalars(still))  # the files of imports within retention
    db.session.rollback()
    storage = stash.storage()
    for key, modified in storage.keys():  # noqa: SIM118 - a Storage, not a dict
        if key not in named and modified < cutoff:
            storage.delete(key)
            removed += 1
    return removed


def retention() -> timedelta:
    return timedelta(days=float(current_app.config["IMPORT_FILE_RETENTION_DAYS"]))


@job("imports.sweep_files", queue=BULK)
def sweep_files_job() -> int:
    """Delete the stored files of imports finished or abandoned past retention."""
    return sweep_files(retention())
