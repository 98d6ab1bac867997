"""Where decisions wait: each source lists, for one user, the documents awaiting their
decision, oldest due first, with the total in the same statement (``count(*) OVER ()``) and
a preview of their lines in one more statement, so the inbox costs two statements per source
whatever the number of rows.

- requisition: pending approval steps that reach the user (their own, their delegators',
  their role's);
- purchase_order: POs Pending Approval, for a ProcurementMgr who did not author them;
- invoice: Matched or Exception invoices, for an Accountant who did not record them;
- acceptance: received goods of the user's own requisitions waiting for acceptance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from reqflow.accounting.models import Invoice, InvoiceLine, InvoiceStatus
from reqflow.approvals import service as approvals
from reqflow.approvals.models import ApprovalStep
from reqflow.core.models import utcnow
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.inventory.models import GoodsReceipt, GoodsReceiptLine, LineStatus
from reqflow.purchasing.models import POStatus, PurchaseOrder, PurchaseOrderLine
from reqflow.requisitions.models import RequisitionItem

# How long a PO approval or an acceptance may wait before it is due (the requisition steps
# carry their own due time; an invoice is due on its due date).
DECISION_DAYS = 2
DUE_SOON = timedelta(hours=24)


@dataclass
class Item:
    type: str
    document_id: int
    document_number: str
    title: str
    amount: Decimal | None
    party: str | None
    waiting_since: datetime | None
    due_at: datetime | None
    link: str
    actions: list[str]
    lines: list[dict[str, Any]] = field(default_factory=list)
    status: str = ""

    @property
    def key(self) -> str:
        return f"{self.type}:{self.document_id}"

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.due_at < utcnow()

    @property
    def due_soon(self) -> bool:
        return not self.overdue and self.due_at is not None and self.due_at < utcnow() + DUE_SOON


Fetch = tuple[int, list[Item]]


def _windowed(query: Any, limit: int) -> tuple[int, list[Any]]:
    """The first ``limit`` rows and the total, in one statement."""
    rows = db.session.execute(query.add_columns(func.count().over()).limit(limit)).all()
    return (rows[0][-1] if rows else 0), [row[0] for row in rows]


def _line(description: str, qty: Any, uom: str, price: Any = None) -> dict[str, Any]:
    return {"description": description, "quantity": qty, "uom": uom, "unit_price": price}


def requisitions(user: User, limit: int) -> Fetch:
    query = (
        approvals.inbox_query(user)
        .where(ApprovalStep.document_type == "requisition")
        .options(joinedload(ApprovalStep.requester))
        .order_by(ApprovalStep.due_at.asc().nulls_last(), ApprovalStep.id)
    )
    total, steps = _windowed(query, limit)
    lines: dict[int, list[dict[str, Any]]] = {s.document_id: [] for s in steps}
    if steps:
        for item in db.session.scalars(
            select(RequisitionItem)
            .where(RequisitionItem.requisition_id.in_(lines))
            .order_by(RequisitionItem.requisition_id, RequisitionItem.line_no)
        ):
            lines[item.requisition_id].append(
                _line(item.description, item.quantity, item.uom, item.estimated_unit_price)
            )
    items = [
        Item(
            type="requisition",
            document_id=s.document_id,
            document_number=s.document_number,
            title=s.document_title,
            amount=s.amount,
            party=s.requester.full_name if s.requester else None,
            waiting_since=s.activated_at,
            due_at=s.due_at,
            link=f"/requisitions/{s.document_id}",
            actions=["approve", "reject", "question"],
            lines=lines[s.document_id],
            status=s.label,
        )
        for s in steps
    ]
    return total, items


def _po_lines(po_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    lines: dict[int, list[dict[str, Any]]] = {i: [] for i in po_ids}
    if po_ids:
        for line in db.session.scalars(
            select(PurchaseOrderLine)
            .where(PurchaseOrderLine.po_id.in_(po_ids))
            .order_by(PurchaseOrderLine.po_id, PurchaseOrderLine.line_no)
        ):
            lines[line.po_id].append(
                _line(line.description, line.quantity, line.uom, line.unit_price)
            )
    return lines


def purchase_orders(user: User, limit: int) -> Fetch:
    if not user.can("po", "approve"):
        return 0, []
    author = func.coalesce(PurchaseOrder.created_by_id, PurchaseOrder.submitted_by_id)
    query = (
        select(PurchaseOrder)
        .where(
            PurchaseOrder.status == POStatus.PENDING_APPROVAL,
            or_(author.is_(None), author != user.id),
        )
        .options(joinedload(PurchaseOrder.supplier))
        .order_by(PurchaseOrder.submitted_at.asc().nulls_last(), PurchaseOrder.id)
    )
    total, pos = _windowed(query, limit)
    lines = _po_lines([po.id for po in pos])
    due = timedelta(days=DECISION_DAYS)
    return total, [
        Item(
            type="purchase_order",
            document_id=po.id,
            document_number=po.po_number,
            title=po.supplier.name,
            amount=po.total_amount,
            party=po.supplier.name,
            waiting_since=po.submitted_at,
            due_at=po.submitted_at + due if po.submitted_at else None,
            link=f"/purchase-orders/{po.id}",
            actions=["approve", "return"],
            lines=lines[po.id],
            status=po.status,
        )
        for po in pos
    ]


def invoices(user: User, limit: int) -> Fetch:
    if not user.can("accounting", "manage"):
        return 0, []
    query = (
        select(Invoice)
        .where(
            Invoice.status.in_([InvoiceStatus.MATCHED.value, InvoiceStatus.EXCEPTION.value]),
            Invoice.recorded_by_id != user.id,
        )
        .options(joinedload(Invoice.supplier))
        .order_by(Invoice.due_date, Invoice.id)
    )
    total, found = _windowed(query, limit)
    lines: dict[int, list[dict[str, Any]]] = {inv.id: [] for inv in found}
    if found:
        for line in db.session.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.invoice_id.in_(lines))
            .order_by(InvoiceLine.invoice_id, InvoiceLine.line_no)
        ):
            lines[line.invoice_id].append(
                _line(line.description, line.quantity, "", line.unit_price)
            )
    return total, [
        Item(
            type="invoice",
            document_id=inv.id,
            document_number=inv.inv_number,
            title=f"{inv.supplier.name} {inv.invoice_number}",
            amount=inv.total_amount,
            party=inv.supplier.name,
            waiting_since=inv.created_at,
            due_at=datetime.combine(inv.due_date, time.min, tzinfo=UTC),
            link=f"/invoices/{inv.id}",
            actions=["approve"] if inv.status == InvoiceStatus.MATCHED else [],
            lines=lines[inv.id],
            status=inv.status,
        )
        for inv in found
    ]


def acceptances(user: User, limit: int) -> Fetch:
    if not user.can("goods", "accept"):
        return 0, []
    mine = and_(
        GoodsReceiptLine.requester_id == user.id, GoodsReceiptLine.status == LineStatus.PENDING
    )
    waiting = select(GoodsReceiptLine.receipt_id).where(mine)
    query = (
        select(GoodsReceipt)
        .where(GoodsReceipt.id.in_(waiting))
        .options(joinedload(GoodsReceipt.purchase_order).joinedload(PurchaseOrder.supplier))
        .order_by(GoodsReceipt.received_at, GoodsReceipt.id)
    )
    total, receipts = _windowed(query, limit)
    lines: dict[int, list[dict[str, Any]]] = {r.id: [] for r in receipts}
    if receipts:
        for line in db.session.scalars(
            select(GoodsReceiptLine)
            .where(GoodsReceiptLine.receipt_id.in_(lines), mine)
            .order_by(GoodsReceiptLine.receipt_id, GoodsReceiptLine.id)
        ):
            entry = _line(line.description, line.quantity, line.uom)
            lines[line.receipt_id].append({**entry, "line_id": line.id})
    due = timedelta(days=DECISION_DAYS)
    return total, [
        Item(
            type="acceptance",
            document_id=r.id,
            document_number=r.grn_number,
            title=f"{r.purchase_order.po_number} · {r.purchase_order.supplier.name}",
            amount=None,
            party=r.purchase_order.supplier.name,
            waiting_since=r.received_at,
            due_at=r.received_at + due,
            link=f"/receipts/{r.id}",
            actions=["accept", "reject"],
            lines=lines[r.id],
            status=r.status,
        )
        for r in receipts
    ]


SOURCES: dict[str, Callable[[User, int], Fetch]] = {
    "requisition": requisitions,
    "purchase_order": purchase_orders,
    "invoice": invoices,
    "acceptance": acceptances,
}
