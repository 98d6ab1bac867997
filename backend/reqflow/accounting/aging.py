"""AP aging: open balances (Approved and Partially Paid invoices) per supplier, by days past
due as of a date, in one GROUP BY (plus one for the totals).

Buckets by ``as_of − due_date``: ``current`` (not yet due, or due that day), 1–30, 31–60,
61–90 and over 90 days. Balances are today's (total − paid so far); ``as_of`` moves the
aging date, and invoices dated after it are left out.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, case, func, literal, select

from reqflow.accounting.models import PAYABLE, Invoice
from reqflow.catalog.models import Supplier
from reqflow.core.money import money
from reqflow.extensions import db

BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_over_90")


def _days_past_due(as_of: date) -> Any:
    if db.session.get_bind().dialect.name == "postgresql":
        return literal(as_of, Date) - Invoice.due_date  # date − date: whole days
    return func.julianday(literal(as_of.isoformat())) - func.julianday(Invoice.due_date)


def _columns(as_of: date) -> list[Any]:
    days = _days_past_due(as_of)
    balance = Invoice.total_amount - Invoice.amount_paid - Invoice.credited_amount
    bounds = (
        days <= 0,
        (days >= 1) & (days <= 30),
        (days >= 31) & (days <= 60),
        (days >= 61) & (days <= 90),
        days > 90,
    )
    sums = [
        func.coalesce(func.sum(case((cond, balance), else_=0)), 0).label(name)
        for name, cond in zip(BUCKETS, bounds, strict=True)
    ]
    return [
        *sums,
        func.coalesce(func.sum(balance), 0).label("total"),
        func.count(Invoice.id).label("invoice_count"),
    ]


def _where(query: Any, as_of: date, supplier_id: int | None) -> Any:
    query = query.where(
        Invoice.status.in_([s.value for s in PAYABLE]), Invoice.invoice_date <= as_of
    )
    if supplier_id is not None:
        query = query.where(Invoice.supplier_id == supplier_id)
    return query


def _amounts(row: Any) -> dict[str, Any]:
    data: dict[str, Any] = {name: money(getattr(row, name) or Decimal("0")) for name in BUCKETS}
    data["total"] = money(row.total or 0)
    data["invoice_count"] = int(row.invoice_count or 0)
    return data


def ap_aging(*, as_of: date, supplier_id: int | None = None) -> dict[str, Any]:
    """Open balances per supplier and bucket, and the totals, as of ``as_of``."""
    per_supplier = _where(
        select(Supplier.id, Supplier.code, Supplier.name, *_columns(as_of)).join(
            Invoice, Invoice.supplier_id == Supplier.id
        ),
        as_of,
        supplier_id,
    ).group_by(Supplier.id, Supplier.code, Supplier.name)
    rows = db.session.execute(per_supplier.order_by(Supplier.code)).all()
    totals = db.session.execute(
        _where(select(*_columns(as_of)).select_from(Invoice), as_of, supplier_id)
    ).one()
    return {
        "as_of": as_of,
        "buckets": list(BUCKETS),
        "suppliers": [
            {"supplier_id": r.id, "code": r.code, "name": r.name, **_amounts(r)} for r in rows
        ],
        "totals": _amounts(totals),
    }
