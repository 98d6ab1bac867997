"""Role-specific KPIs for the dashboard: counters kept by events, and a few cached aggregates.

The figures about requisitions, approval steps and purchase orders are read from
``dashboard_counters`` (kept by ``reporting.counters`` in the transaction of every change):
one statement for a handful of rows, whatever the size of the tables, always current.

The other sections are aggregate queries cached between changes. Each names the resource
types whose events change it and who sees it. Shared sections (whole-table figures) are
computed once for every role that sees them, per-user ones per user, and cached under the
versions of those types' cache namespaces, which every recorded event bumps after commit
(``reqflow.events``): the next read after a change recomputes, every other read costs two
cache round trips.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from reqflow.approvals.counts import inbox_counts
from reqflow.core.cache import get_cache, versioned
from reqflow.core.models import utcnow
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.reporting import counters
from reqflow.requisitions.models import Status

Counts = Mapping[str, dict[str, Decimal]]
Builder = Callable[[User, Counts], dict[str, Any] | None]
Check = Callable[[User], bool]
Keys = Callable[[User], tuple[str, ...]]


def everyone(_user: User) -> bool:
    return True


@dataclass(frozen=True)
class Section:
    build: Builder
    depends: tuple[str, ...]  # resource types whose events change it; () = not cached here
    when: Check = everyone  # who sees the section; a shared section's data is role-blind
    per_user: bool = False
    counters: Keys | None = None  # the counter keys it reads (then not cached)

    def key(self, user: User, versions: dict[str, str]) -> str:
        # Shared sections are computed once for every role that sees them, not once per role.
        who = f"{user.id}:{user.role}" if self.per_user else "*"
        # The date is part of the key: "overdue" and the 12-month window move with it.
        base = f"dash:{self.build.__name__}:{who}:{utcnow().date().isoformat()}"
        return versioned(base, versions, self.depends)


SECTIONS: list[Section] = []


def section(
    *depends: str, when: Check = everyone, per_user: bool = False, reads: Keys | None = None
) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        SECTIONS.append(Section(fn, () if reads else depends, when, per_user, reads))
        return fn

    return register


def can(resource: str, action: str) -> Check:
    return lambda user: user.can(resource, action)


def month_of(column: Any) -> Any:
    """'YYYY-MM' of a timestamp on PostgreSQL and SQLite alike."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _count(buckets: dict[str, Decimal], bucket: str) -> int:
    return int(buckets.get(bucket, 0))


def _by_status(buckets: dict[str, Decimal]) -> dict[str, int]:
    return {s.value: _count(buckets, s.value) for s in Status}


def last_12_months(today: date) -> list[str]:
    """'YYYY-MM' of the 12 calendar months up to and including ``today``'s, oldest first."""
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - 11, index + 1)]


@section(
    when=can("requisition", "create"),
    reads=lambda user: (counters.requester_key(user.id),),
)
def my_requisitions(user: User, counts: Counts) -> dict[str, Any] | None:
    return {"my_requisitions_by_status": _by_status(counts[counters.requester_key(user.id)])}


@section()  # cached per user by approvals.counts
def approvals_waiting(user: User, _counts: Counts) -> dict[str, Any]:
    return inbox_counts(user)


@section(
    when=lambda user: user.scope_of("requisition", "view") == "all",
    reads=lambda _user: (counters.REQUISITIONS, counters.SPEND, counters.STEPS),
)
def all_requisitions(_user: User, counts: Counts) -> dict[str, Any] | None:
    """Requisitions by status, the approved spend of the last 12 months (by the month of the
    approval, UTC; months without any left out) and the approval steps pending."""
    spend = counts[counters.SPEND]
    months = [m for m in last_12_months(utcnow().date()) if spend.get(m)]
    return {
        "requisitions_by_status": _by_status(counts[counters.REQUISITIONS]),
        "approved_spend_by_month": [
            {"month": m, "amount": str(spend[m].quantize(Decimal("0.01")))} for m in months
        ],
        "approvals_pending_total": _count(counts[counters.STEPS], "Pending"),
    }


@section(when=can("po", "manage"), reads=lambda _user: (counters.QUEUE, counters.ORDERS))
def purchasing(_user: User, counts: Counts) -> dict[str, Any] | None:
    """Buyers: approved lines waiting for a PO, drafts to finish, approved POs to send."""
    from reqflow.purchasing.models import POStatus

    orders = counts[counters.ORDERS]
    return {
        "sourcing_queue": _count(counts[counters.QUEUE], ""),
        "pos_draft": _count(orders, POStatus.DRAFT),
        "pos_to_send": _count(orders, POStatus.APPROVED),
    }


@section(
    when=lambda user: user.can("po", "manage") and user.can("po", "approve"),
    reads=lambda _user: (counters.ORDERS,),
)
def po_approvals(_user: User, counts: Counts) -> dict[str, Any] | None:
    """ProcurementMgr: the POs waiting for their approval."""
    from reqflow.purchasing.models import POStatus

    return {"pos_pending_approval": _count(counts[counters.ORDERS], POStatus.PENDING_APPROVAL)}


@section("item", "stock", "goods_receipt", "storage_location", when=can("inventory", "manage"))
def low_stock(_user: User, _counts: Counts) -> dict[str, Any] | None:
    """Stores: active items whose Available stock is below their reorder level."""
    from reqflow.inventory.search import low_stock_query

    count = db.session.scalar(select(func.count()).select_from(low_stock_query().subquery()))
    return {"low_stock_items": int(count or 0)}


@section(when=can("goods", "receive"), reads=lambda _user: (counters.ORDERS,))
def pos_awaiting_receipt(_user: User, counts: Counts) -> dict[str, Any] | None:
    """Warehouse: sent orders not fully received."""
    from reqflow.purchasing.models import POStatus

    orders = counts[counters.ORDERS]
    awaiting = _count(orders, POStatus.SENT) + _count(orders, POStatus.PARTIALLY_RECEIVED)
    return {"pos_awaiting_receipt": awaiting}


@section("goods_receipt", when=can("goods", "receive"))
def receipts_pending(_user: User, _counts: Counts) -> dict[str, Any] | None:
    """Warehouse: receipts waiting for their requesters."""
    from reqflow.inventory.models import GoodsReceipt, ReceiptStatus

    pending = db.session.scalar(
        select(func.count(GoodsReceipt.id)).where(GoodsReceipt.status == ReceiptStatus.PENDING)
    )
    return {"receipts_pending_acceptance": int(pending or 0)}


@section("invoice", "payment", when=can("accounting", "manage"))
def invoices_due(_user: User, _counts: Counts) -> dict[str, Any] | None:
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
def invoices_exception(_user: User, _counts: Counts) -> dict[str, Any] | None:
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
    counts = counters.read(k for part in parts if part.counters for k in part.counters(user))
    cached = [part for part in parts if part.depends]
    versions = cache.versions(ns for part in cached for ns in part.depends)
    keys = [part.key(user, versions) if part.depends else None for part in parts]
    wanted = [k for k in keys if k]
    hits = dict(zip(wanted, cache.get_many(wanted), strict=True))
    data: dict[str, Any] = {"role": user.role}
    fresh: dict[str, Any] = {}
    for part, k in zip(parts, keys, strict=True):
        found = hits.get(k) if k else None
        if found is None:
            found = part.build(user, counts) or {}
            if k:
                fresh[k] = found
        data.update(found)
    cache.set_many(fresh)
    return data
