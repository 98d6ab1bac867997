"""The models and the Alembic migrations describe the same schema on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from reqflow.extensions import db


def test_autogenerate_finds_nothing_after_upgrade(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_audit_guard_trigger_is_installed(app):
    from sqlalchemy import text

    with app.app_context(), db.engine.connect() as conn:
        names = set(
            conn.execute(
                text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_logs'::regclass")
            ).scalars()
        )
    assert {"audit_logs_no_update_delete", "audit_logs_no_truncate"} <= names
