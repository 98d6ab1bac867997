"""Role-specific KPIs for the dashboard: a few aggregate queries, no Python loops over rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from reqflow.approvals import service as approvals
from reqflow.approvals.models import ApprovalStep
from reqflow.core.models import utcnow
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.requisitions.models import Requisition, Status
from reqflow.requisitions.service import visible_query

Section = Callable[[User], dict[str, Any] | None]
SECTIONS: list[Section] = []


def section(fn: Section) -> Section:
    SECTIONS.append(fn)
    return fn


def month_of(column: Any) -> Any:
    """'YYYY-MM' of a timestamp on PostgreSQL and SQLite alike."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _by_status(query: Any) -> dict[str, int]:
    sub = query.subquery()
    rows = db.session.execute(select(sub.c.status, func.count()).group_by(sub.c.status)).all()
    counts = dict(rows)
    return {s.value: int(counts.get(s.value, 0)) for s in Status}


@section
def my_requisitions(user: User) -> dict[str, Any] | None:
    if not user.can("requisition", "create"):
        return None
    mine = select(Requisition).where(Requisition.requester_id == user.id)
    return {"my_requisitions_by_status": _by_status(mine)}


@section
def approvals_waiting(user: User) -> dict[str, Any]:
    inbox = approvals.inbox_query(user).subquery()
    waiting, overdue = db.session.execute(
        select(func.count(), func.count().filter(inbox.c.due_at < utcnow()))
    ).one()
    return {"approvals_waiting": int(waiting), "approvals_overdue": int(overdue)}


@section
def all_requisitions(user: User) -> dict[str, Any] | None:
    if user.scope_of("requisition", "view") != "all":
        return None
    since = utcnow() - timedelta(days=366)
    month = month_of(Requisition.approved_at)
    rows = db.session.execute(
        select(month, func.sum(Requisition.total_amount))
        .where(Requisition.status == Status.APPROVED, Requisition.approved_at >= since)
        .group_by(month)
        .order_by(month)
    ).all()
    cycle = db.session.execute(
        select(func.count(ApprovalStep.id)).where(ApprovalStep.status == "Pending")
    ).scalar_one()
    return {
        "requisitions_by_status": _by_status(visible_query(user)),
        "approved_spend_by_month": [{"month": m, "amount": str(a)} for m, a in rows],
        "approvals_pending_total": int(cycle),
    }


@section
def purchasing(user: User) -> dict[str, Any] | None:
    """Buyers: approved lines waiting for a PO, drafts to finish, approved POs to send;
    ProcurementMgr also sees the POs waiting for their approval."""
    if not user.can("po", "manage"):
        return None
    from reqflow.purchasing.models import POStatus, PurchaseOrder
    from reqflow.purchasing.sourcing import queue_query

    queued = db.session.scalar(select(func.count()).select_from(queue_query({}).subquery()))
    by_status = dict(
        db.session.execute(
            select(PurchaseOrder.status, func.count(PurchaseOrder.id))
            .where(
                PurchaseOrder.status.in_(
                    [POStatus.DRAFT, POStatus.PENDING_APPROVAL, POStatus.APPROVED]
                )
            )
            .group_by(PurchaseOrder.status)
        ).all()
    )
    data = {
        "sourcing_queue": int(queued or 0),
        "pos_draft": int(by_status.get(POStatus.DRAFT, 0)),
        "pos_to_send": int(by_status.get(POStatus.APPROVED, 0)),
    }
    if user.can("po", "approve"):
        data["pos_pending_approval"] = int(by_status.get(POStatus.PENDING_APPROVAL, 0))
    return data


@section
def low_stock(user: User) -> dict[str, Any] | None:
    """Stores: active items whose Available stock is below their reorder level."""
    if not user.can("inventory", "manage"):
        return None
    from reqflow.inventory.search import low_stock_query

    count = db.session.scalar(select(func.count()).select_from(low_stock_query().subquery()))
    return {"low_stock_items": int(count or 0)}


@section
def pos_awaiting_receipt(user: User) -> dict[str, Any] | None:
    """Warehouse: sent orders not fully received, and receipts waiting for their requesters."""
    if not user.can("goods", "receive"):
        return None
    from reqflow.inventory.models import GoodsReceipt, ReceiptStatus
    from reqflow.purchasing.models import POStatus, PurchaseOrder

    awaiting = db.session.scalar(
        select(func.count(PurchaseOrder.id)).where(
            PurchaseOrder.status.in_([POStatus.SENT, POStatus.PARTIALLY_RECEIVED])
        )
    )
    pending = db.session.scalar(
        select(func.count(GoodsReceipt.id)).where(GoodsReceipt.status == ReceiptStatus.PENDING)
    )
    return {
        "pos_awaiting_receipt": int(awaiting or 0),
        "receipts_pending_acceptance": int(pending or 0),
    }


@section
def invoices_due(user: User) -> dict[str, Any] | None:
    """Accountant: approved invoices not fully paid (and how many are past due)."""
    if not user.can("accounting", "manage"):
        return None
    from datetime import date

    from reqflow.accounting.models import PAYABLE, Invoice

    due, overdue = db.session.execute(
        select(
            func.count(Invoice.id),
            func.count(Invoice.id).filter(Invoice.due_date < date.today()),
        ).where(Invoice.status.in_([s.value for s in PAYABLE]))
    ).one()
    return {"invoices_due": int(due), "invoices_overdue": int(overdue)}


@section
def invoices_exception(user: User) -> dict[str, Any] | None:
    """Accountant: invoices whose three-way match found differences."""
    if not user.can("accounting", "manage"):
        return None
    from reqflow.accounting.models import Invoice, InvoiceStatus

    count = db.session.scalar(
        select(func.count(Invoice.id)).where(Invoice.status == InvoiceStatus.EXCEPTION)
    )
    return {"invoices_exception": int(count or 0)}


def dashboard(user: User) -> dict[str, Any]:
    """Every section the user's role qualifies for, merged into one object."""
    data: dict[str, Any] = {"role": user.role}
    for build in SECTIONS:
        part = build(user)
        if part:
            data.update(part)
    return data
