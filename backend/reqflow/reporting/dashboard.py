"""Role-specific KPIs for the dashboard: a few aggregate queries, cached between changes.

Each section names the resource types whose events change it and who sees it. Shared sections
(whole-table figures) are computed once for every role that sees them, per-user ones per user,
and cached under the versions of those types' cache namespaces, which every recorded event
bumps after commit (``reqflow.events``): the next read after a change recomputes, every other
read costs two cache round trips.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from reqflow.approvals.counts import inbox_counts
from reqflow.approvals.models import ApprovalStep
from reqflow.core.cache import get_cache, versioned
from reqflow.core.models import utcnow
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.requisitions.models import Requisition, Status

Builder = Callable[[User], dict[str, Any] | None]
Check = Callable[[User], bool]


def everyone(_user: User) -> bool:
    return True


@dataclass(frozen=True)
class Section:
    build: Builder
    depends: tuple[str, ...]  # resource types whose events change it; () = not cached here
    when: Check = everyone  # who sees the section; a shared section's data is role-blind
    per_user: bool = False

    def key(self, user: User, versions: dict[str, str]) -> str:
        # Shared sections are computed once for every role that sees them, not once per role.
        who = f"{user.id}:{user.role}" if self.per_user else "*"
        # The date is part of the key: "overdue" and the 12-month window move with it.
        base = f"dash:{self.build.__name__}:{who}:{utcnow().date().isoformat()}"
        return versioned(base, versions, self.depends)


SECTIONS: list[Section] = []


def section(
    *depends: str, when: Check = everyone, per_user: bool = False
) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        SECTIONS.append(Section(fn, depends, when, per_user))
        return fn

    return register


def can(resource: str, action: str) -> Check:
    return lambda user: user.can(resource, action)


def month_of(column: Any) -> Any:
    """'YYYY-MM' of a timestamp on PostgreSQL and SQLite alike."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _by_status(query: Any) -> dict[str, int]:
    sub = query.subquery()
    rows = db.session.execute(select(sub.c.status, func.count()).group_by(sub.c.status)).all()
    counts = {row[0]: int(row[1]) for row in rows}
    return {s.value: int(counts.get(s.value, 0)) for s in Status}


@section("requisition", when=can("requisition", "create"), per_user=True)
def my_requisitions(user: User) -> dict[str, Any] | None:
    mine = select(Requisition).where(Requisition.requester_id == user.id)
    return {"my_requisitions_by_status": _by_status(mine)}


@section()  # cached per user by approvals.counts
def approvals_waiting(user: User) -> dict[str, Any]:
    return inbox_counts(user)


@section(
    "requisition",
    "approval_step",
    "purchase_order",
    when=lambda user: user.scope_of("requisition", "view") == "all",
)
def all_requisitions(_user: User) -> dict[str, Any] | None:
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
        "requisitions_by_status": _by_status(select(Requisition)),
        "approved_spend_by_month": [{"month": m, "amount": str(a)} for m, a in rows],
        "approvals_pending_total": int(cycle),
    }


@section("requisition", "purchase_order", "rfq", when=can("po", "manage"))
def purchasing(_user: User) -> dict[str, Any] | None:
    """Buyers: approved lines waiting for a PO, drafts to finish, approved POs to send."""
    from reqflow.purchasing.models import POStatus
    from reqflow.purchasing.sourcing import queue_query

    queued = db.session.scalar(select(func.count()).select_from(queue_query({}).subquery()))
    by_status = _po_counts(POStatus.DRAFT, POStatus.APPROVED)
    return {
        "sourcing_queue": int(queued or 0),
        "pos_draft": by_status[POStatus.DRAFT],
        "pos_to_send": by_status[POStatus.APPROVED],
    }


@section("purchase_order", when=lambda user: user.can("po", "manage") and user.can("po", "approve"))
def po_approvals(_user: User) -> dict[str, Any] | None:
    """ProcurementMgr: the POs waiting for their approval."""
    from reqflow.purchasing.models import POStatus

    return {
        "pos_pending_approval": _po_counts(POStatus.PENDING_APPROVAL)[POStatus.PENDING_APPROVAL]
    }


def _po_counts(*statuses: Any) -> dict[Any, int]:
    from reqflow.purchasing.models import PurchaseOrder

    rows = db.session.execute(
        select(PurchaseOrder.status, func.count(PurchaseOrder.id))
        .where(PurchaseOrder.status.in_(statuses))
        .group_by(PurchaseOrder.status)
    ).all()
    found = {row[0]: int(row[1]) for row in rows}
    return {s: found.get(s, 0) for s in statuses}


@section("item", "stock", "goods_receipt", "storage_location", when=can("inventory", "manage"))
def low_stock(_user: User) -> dict[str, Any] | None:
    """Stores: active items whose Available stock is below their reorder level."""
    from reqflow.inventory.search import low_stock_query

    count = db.session.scalar(select(func.count()).select_from(low_stock_query().subquery()))
    return {"low_stock_items": int(count or 0)}


@section("purchase_order", "goods_receipt", when=can("goods", "receive"))
def pos_awaiting_receipt(_user: User) -> dict[str, Any] | None:
    """Warehouse: sent orders not fully received, and receipts waiting for their requesters."""
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


@section("invoice", "payment", when=can("accounting", "manage"))
def invoices_due(_user: User) -> dict[str, Any] | None:
    """Accountant: approved invoices not fully paid (and how many are past due)."""
    from datetime import date

    from reqflow.accounting.models import PAYABLE, Invoice

    due, overdue = db.session.execute(
        select(
            func.count(Invoice.id),
            func.count(Invoice.id).filter(Invoice.due_date < date.today()),
        ).where(Invoice.status.in_([s.value for s in PAYABLE]))
    ).one()
    return {"invoices_due": int(due), "invoices_overdue": int(overdue)}


@section("invoice", "payment", when=can("accounting", "manage"))
def invoices_exception(_user: User) -> dict[str, Any] | None:
    """Accountant: invoices whose three-way match found differences."""
    from reqflow.accounting.models import Invoice, InvoiceStatus

    count = db.session.scalar(
        select(func.count(Invoice.id)).where(Invoice.status == InvoiceStatus.EXCEPTION)
    )
    return {"invoices_exception": int(count or 0)}


def dashboard(user: User) -> dict[str, Any]:
    """Every section the user's role qualifies for, merged into one object."""
    cache = get_cache()
    parts = [part for part in SECTIONS if part.when(user)]
    versions = cache.versions(ns for part in parts for ns in part.depends)
    keys = [part.key(user, versions) if part.depends else None for part in parts]
    wanted = [k for k in keys if k]
    hits = dict(zip(wanted, cache.get_many(wanted), strict=True))
    data: dict[str, Any] = {"role": user.role}
    fresh: dict[str, Any] = {}
    for part, k in zip(parts, keys, strict=True):
        found = hits.get(k) if k else None
        if found is None:
            found = part.build(user) or {}
            if k:
                fresh[k] = found
        data.update(found)
    cache.set_many(fresh)
    return data
