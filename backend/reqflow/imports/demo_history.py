"""The demo documents' history: each requisition and what followed from it (approval steps,
purchase orders, receipts, invoices, payments) moved back to a day in the last six months,
its steps a few days apart, so that dashboards and reports show plausible history. The
audit trail keeps the real times (it is append-only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, select, update

from reqflow.accounting.models import Invoice, Payment
from reqflow.approvals.models import ApprovalStep
from reqflow.core.models import utcnow
from reqflow.extensions import db
from reqflow.inventory.models import GoodsReceipt, GoodsReceiptLine
from reqflow.purchasing.models import PurchaseOrder, PurchaseOrderLine
from reqflow.reporting import measures
from reqflow.requisitions.models import Requisition, RequisitionItem
from reqflow.requisitions.service import DOC


def orders_of(requisition_id: int) -> list[int]:
    stmt = (
        select(PurchaseOrderLine.po_id)
        .join(RequisitionItem, RequisitionItem.id == PurchaseOrderLine.requisition_item_id)
        .where(RequisitionItem.requisition_id == requisition_id)
        .distinct()
    )
    return list(db.session.scalars(stmt))


def backdate(requisition_id: int, when: datetime) -> None:
    """Move a requisition and what followed from it to ``when`` and the days after (never
    past now): created, submitted, each approval step decided a day apart, the PO ordered,
    sent, received about a week later, invoiced, approved and paid; so that dashboards,
    the cycle-time, spend and supplier reports show six months of plausible history."""
    now = utcnow()

    def at(days: float) -> datetime:
        return min(when + timedelta(days=days), now)

    def shift(column: Any, days: float) -> Any:  # a set timestamp moves, an unset one stays
        return case((column.is_(None), None), else_=at(days))

    decided = _decided_steps(DOC, [requisition_id], at(0.1))
    db.session.execute(
        update(Requisition)
        .where(Requisition.id == requisition_id)
        .values(
            created_at=when,
            submitted_at=shift(Requisition.submitted_at, 0.1),
            approved_at=case((Requisition.approved_at.is_(None), None), else_=min(decided, now)),
        )
    )
    po_ids = orders_of(requisition_id)
    if po_ids:
        _backdate_orders(po_ids, at)
    db.session.commit()


def _decided_steps(document_type: str, ids: list[int], start: datetime) -> datetime:
    """Decided approval steps of the documents, each taking 2 to 31 hours from ``start``
    (pending ones stay as they are: waiting since now, not overdue); returns when the last
    was decided (at most two steps: under three days)."""
    steps = db.session.scalars(
        select(ApprovalStep)
        .where(
            ApprovalStep.document_type == document_type,
            ApprovalStep.document_id.in_(ids),
            ApprovalStep.decided_at.is_not(None),
        )
        .order_by(ApprovalStep.document_id, ApprovalStep.round, ApprovalStep.sequence)
    ).all()
    now, begun = utcnow(), start
    for step in steps:
        allowed = (step.due_at - step.activated_at) if step.due_at and step.activated_at else None
        took = timedelta(hours=2 + (step.document_id * 7 + step.sequence * 5) % 30)
        step.activated_at = min(begun, now)
        step.decided_at = min(begun + took, now)
        step.due_at = step.activated_at + allowed if allowed is not None else step.due_at
        begun += took
    return begun


def _backdate_orders(po_ids: list[int], at: Callable[[float], datetime]) -> None:
    for po_id in po_ids:
        _backdate_order(po_id, at)
    measures.refresh(db.session.connection(), po_ids, [])  # the receipts' dates moved


def _backdate_order(po_id: int, at: Callable[[float], datetime]) -> None:
    """Ordered on day 3, sent on day 4 and promised for day 10; delivered 4 to 8 days after
    it was sent (so some on time, some late), invoiced two days later, paid in a fortnight."""
    po, late = PurchaseOrder, po_id % 5
    db.session.execute(
        update(po)
        .where(po.id == po_id)
        .values(
            created_at=at(3),
            submitted_at=case((po.submitted_at.is_(None), None), else_=at(3.2)),
            approved_at=case((po.approved_at.is_(None), None), else_=at(3.5)),
            sent_at=case((po.sent_at.is_(None), None), else_=at(4)),
            received_at=case((po.received_at.is_(None), None), else_=at(8 + late)),
            expected_delivery_date=case(
                (po.sent_at.is_(None), po.expected_delivery_date), else_=at(10).date()
            ),
        )
    )
    received = at(8 + late)
    db.session.execute(
        update(GoodsReceipt)
        .where(GoodsReceipt.po_id == po_id)
        .values(created_at=received, received_at=received, receipt_date=received.date())
    )
    lines = select(GoodsReceipt.id).where(GoodsReceipt.po_id == po_id)
    db.session.execute(
        update(GoodsReceiptLine)
        .where(GoodsReceiptLine.receipt_id.in_(lines), GoodsReceiptLine.decided_at.is_not(None))
        .values(decided_at=at(9 + late))
    )
    invoiced = at(10 + late).date()
    db.session.execute(
        update(Invoice)
        .where(Invoice.po_id == po_id)
        .values(
            created_at=at(10 + late),
            invoice_date=invoiced,
            due_date=invoiced + timedelta(days=30),
            matched_at=case((Invoice.matched_at.is_(None), None), else_=at(10 + late)),
            approved_at=case((Invoice.approved_at.is_(None), None), else_=at(13 + late)),
            paid_at=case((Invoice.paid_at.is_(None), None), else_=at(24 + late)),
        )
    )
    invoices = select(Invoice.id).where(Invoice.po_id == po_id)
    db.session.execute(
        update(Payment).where(Payment.invoice_id.in_(invoices)).values(paid_on=at(24 + late).date())
    )
