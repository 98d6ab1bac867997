"""The demo seed imports a small manufacturer's master data through the import code, and a
second run changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from reqflow.accounting.models import Invoice, Payment
from reqflow.audit.models import AuditLog
from reqflow.catalog.models import Item, Supplier
from reqflow.extensions import db
from reqflow.identity.cli import seed_demo
from reqflow.imports.demo import seed_master_data
from reqflow.imports.demo_documents import seed_documents
from reqflow.inventory.models import StorageLocation
from reqflow.projects.models import Project
from reqflow.purchasing.models import PurchaseOrder
from reqflow.requisitions.models import Requisition


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


def test_demo_documents_wait_at_every_approval_step_and_are_spread_over_six_months(app):
    with app.app_context():
        seed_demo()
        seed_master_data()
        assert seed_documents() == 40
        by_status = dict(
            db.session.execute(
                select(Requisition.status, func.count()).group_by(Requisition.status)
            ).all()
        )
        assert by_status == {"Draft": 8, "Submitted": 8, "Under Review": 8, "Approved": 16}
        orders = dict(
            db.session.execute(
                select(PurchaseOrder.status, func.count()).group_by(PurchaseOrder.status)
            ).all()
        )
        assert set(orders) == {"Draft", "Sent", "Partially Received", "Received"}
        invoices = set(db.session.scalars(select(Invoice.status)))
        assert invoices == {"Paid", "Exception"}
        assert db.session.scalar(select(func.count()).select_from(Payment)) >= 1
        oldest, newest = db.session.execute(
            select(func.min(Requisition.created_at), func.max(Requisition.created_at))
        ).one()
        assert (newest - oldest).days >= 150
        assert seed_documents() == 0  # a second run adds nothing
