"""The demo seed imports a small manufacturer's master data through the import code, and a
second run changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from reqflow.audit.models import AuditLog
from reqflow.catalog.models import Item, Supplier
from reqflow.extensions import db
from reqflow.identity.cli import seed_demo
from reqflow.imports.demo import seed_master_data
from reqflow.inventory.models import StorageLocation
from reqflow.projects.models import Project


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_master_data_is_imported_once(app):
    with app.app_context():
        seed_demo()
        first = seed_master_data()
        assert first["items"] == {"create": 500, "update": 0, "skip": 0}
        assert first["stock"]["create"] == 300
        assert (_count(Supplier), _count(Item), _count(Project), _count(StorageLocation)) == (
            40,
            500,
            6,
            12,
        )
        assert db.session.scalar(select(func.count(func.distinct(Item.category)))) == 10
        second = seed_master_data()
        assert all(c["create"] == 0 and c["update"] == 0 for c in second.values())
        imports = select(func.count()).where(AuditLog.action == "import.commit")
        assert db.session.scalar(imports) == 5
