"""The demo seed imports a small manufacturer's master data through the import code, and a
second run changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from reqflow.accounting.models import Invoice, Payment
from reqflow.approvals.models import ApprovalStep
from reqflow.audit.models import AuditLog
from reqflow.catalog.models import Item, Supplier
from reqflow.extensions import db
from reqflow.identity.cli import seed_demo
from reqflow.imports.demo import seed_master_data
from reqflow.imports.demo_documents import seed_documents
from reqflow.inventory.models import GoodsReceipt, StorageLocation
from reqflow.projects.models import Project
from reqflow.purchasing.models import PurchaseOrder, PurchaseOrderLine
from reqflow.reporting.models import PoLineMeasure
from reqflow.requisitions.models import Requisition, RequisitionItem


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
        # one high-value requisition waits for the ProcurementMgr after procurement review
        assert by_status == {"Draft": 8, "Submitted": 8, "Under Review": 9, "Approved": 15}
        orders = dict(
            db.session.execute(
                select(PurchaseOrder.status, func.count()).group_by(PurchaseOrder.status)
            ).all()
        )
        # drafts, approved POs waiting to be sent, one above the threshold waiting for approval,
        # and sent ones partly or wholly received
        assert set(orders) == {
            "Draft",
            "Approved",
            "Pending Approval",
            "Sent",
            "Partially Received",
            "Received",
        }
        invoices = set(db.session.scalars(select(Invoice.status)))
        assert invoices == {"Paid", "Approved", "Exception"}  # paid, an open payable, mismatch
        unsourced = select(func.count()).where(
            RequisitionItem.requisition.has(Requisition.status == "Approved"),
            ~RequisitionItem.id.in_(select(PurchaseOrderLine.requisition_item_id)),
        )
        assert db.session.scalar(unsourced) >= 1  # lines waiting in the sourcing queue
        assert db.session.scalar(select(func.count()).select_from(Payment)) >= 1
        oldest, newest = db.session.execute(
            select(func.min(Requisition.created_at), func.max(Requisition.created_at))
        ).one()
        assert (newest - oldest).days >= 150
        _history_is_plausible()
        assert seed_documents() == 0  # a second run adds nothing


def _history_is_plausible() -> None:
    """Every step of a document happened after the one before it, and the approvals, receipts
    and payments fall in several months (dashboards and reports show a history, not a spike)."""
    reqs = db.session.scalars(select(Requisition).where(Requisition.approved_at.is_not(None)))
    months = set()
    for req in reqs:
        assert req.created_at <= req.submitted_at <= req.approved_at
        months.add((req.approved_at.year, req.approved_at.month))
    assert len(months) >= 5
    steps = db.session.scalars(
        select(ApprovalStep).where(
            ApprovalStep.document_type == "requisition", ApprovalStep.decided_at.is_not(None)
        )
    ).all()
    assert steps and all(s.activated_at < s.decided_at for s in steps)
    received = db.session.execute(
        select(PurchaseOrder.sent_at, GoodsReceipt.received_at).join(
            GoodsReceipt, GoodsReceipt.po_id == PurchaseOrder.id
        )
    ).all()
    assert received and all(sent < got for sent, got in received)
    assert len({(got.year, got.month) for _, got in received}) >= 3
    measured = db.session.execute(
        select(PoLineMeasure.first_receipt_at, func.min(GoodsReceipt.received_at))
        .join(GoodsReceipt, GoodsReceipt.po_id == PoLineMeasure.po_id)
        .where(PoLineMeasure.first_receipt_at.is_not(None))
        .group_by(PoLineMeasure.po_line_id, PoLineMeasure.first_receipt_at)
    ).all()
    assert measured and all(first == got for first, got in measured)
    paid = db.session.execute(
        select(Invoice.invoice_date, Payment.paid_on).join(
            Payment, Payment.invoice_id == Invoice.id
        )
    ).all()
    assert paid and all(billed < on for billed, on in paid)
