"""Supplier performance, one row per supplier with committed POs in the window, in one
statement (a CTE per measure, keyed by supplier, left-joined to the committed spend):

- on-time rate — receipts dated (UTC) on or before their PO's expected delivery date, over the
  receipts whose PO has one;
- lead time — median days from the PO being sent (else approved) to each receipt;
- quantity accuracy — PO lines received exactly as ordered, over the PO lines received at all;
- return rate — quantity returned over quantity received;
- price variance vs PO — Σ qty × (invoiced price − PO price) / Σ qty × PO price (non-void invoices);
- price variance vs last price — Σ qty × (PO price − the item's previous PO price) /
  Σ qty × previous price, the previous price taken over all committed POs (by approval time),
  kept per line in ``po_line_measures.previous_price`` / ``last_diff`` / ``last_base``;
- invoice exception rate — non-void invoices that failed the match (in Exception, or approved
  over an exception) over all non-void invoices;
- spend — committed PO subtotals (net of tax).

Quantities and invoiced prices per PO line come from ``po_line_measures`` (kept by
``reporting.measures``), not from the receipt and invoice lines.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, or_, select

from reqflow.accounting.models import Invoice, InvoiceStatus
from reqflow.catalog.models import Supplier
from reqflow.core.money import money
from reqflow.extensions import db
from reqflow.inventory.models import GoodsReceipt
from reqflow.purchasing.models import PurchaseOrder
from reqflow.reporting.models import PoLineMeasure
from reqflow.reporting.spend import COMMITTED
from reqflow.reporting.sql import date_of, day_after, day_start, days_between, percentiles


def _pos(filters: dict[str, Any]) -> Any:
    query = select(
        PurchaseOrder.id,
        PurchaseOrder.supplier_id,
        PurchaseOrder.subtotal,
        PurchaseOrder.expected_delivery_date,
        func.coalesce(PurchaseOrder.sent_at, PurchaseOrder.approved_at).label("sent_at"),
    ).where(PurchaseOrder.status.in_([s.value for s in COMMITTED]))
    if filters.get("since"):
        query = query.where(PurchaseOrder.approved_at >= day_start(filters["since"]))
    if filters.get("until"):
        query = query.where(PurchaseOrder.approved_at < day_after(filters["until"]))
    if filters.get("supplier_id") is not None:
        query = query.where(PurchaseOrder.supplier_id == filters["supplier_id"])
    return query.cte("r_pos")


def _receipts(pos: Any) -> tuple[Any, Any]:
    rows = (
        select(
            pos.c.supplier_id,
            case(
                (pos.c.expected_delivery_date.is_(None), None),
                (date_of(GoodsReceipt.received_at) <= pos.c.expected_delivery_date, 1),
                else_=0,
            ).label("on_time"),
            days_between(pos.c.sent_at, GoodsReceipt.received_at).label("lead_days"),
        )
        .join(pos, pos.c.id == GoodsReceipt.po_id)
        .subquery()
    )
    counts = (
        select(
            rows.c.supplier_id,
            func.count(rows.c.on_time).label("rated"),
            func.sum(rows.c.on_time).label("on_time"),
        )
        .group_by(rows.c.supplier_id)
        .cte("r_receipts")
    )
    return counts, percentiles(rows, ["supplier_id"], "lead_days", {"lead_median": 0.5})


def _lines(pos: Any) -> Any:
    """Per supplier, from the PO-line measures: lines received at all, received exactly,
    quantities received and returned, and the invoiced price variance inputs."""
    m = PoLineMeasure
    got = m.receipt_lines > 0
    return (
        select(
            pos.c.supplier_id,
            func.sum(case((got, 1), else_=0)).label("lines_received"),
            func.sum(m.received_exact).label("exact"),
            func.sum(m.qty_received).label("qty_received"),
            func.sum(m.qty_returned).label("qty_returned"),
            func.sum(m.price_diff).label("po_diff"),
            func.sum(m.price_base).label("po_base"),
            func.sum(m.last_diff).label("last_diff"),
            func.sum(m.last_base).label("last_base"),
        )
        .select_from(m)
        .join(pos, pos.c.id == m.po_id)
        .group_by(pos.c.supplier_id)
        .cte("r_lines")
    )


def _invoices(pos: Any) -> Any:
    exception = or_(
        Invoice.status == InvoiceStatus.EXCEPTION.value, Invoice.override_reason.is_not(None)
    )
    return (
        select(
            pos.c.supplier_id,
            func.count(Invoice.id).label("invoices"),
            func.sum(case((exception, 1), else_=0)).label("exceptions"),
        )
        .join(pos, pos.c.id == Invoice.po_id)
        .where(Invoice.status != InvoiceStatus.VOID.value)
        .group_by(pos.c.supplier_id)
        .cte("r_invoices")
    )


def performance_query(filters: dict[str, Any]) -> Any:
    pos = _pos(filters)
    spend = (
        select(
            pos.c.supplier_id,
            func.count().label("po_count"),
            func.sum(pos.c.subtotal).label("spend"),
        )
        .group_by(pos.c.supplier_id)
        .cte("r_spend")
    )
    receipts, lead = _receipts(pos)
    lines, invoices = _lines(pos), _invoices(pos)
    return (
        select(
            Supplier.id.label("supplier_id"),
            Supplier.code,
            Supplier.name,
            spend.c.po_count,
            spend.c.spend,
            receipts.c.rated,
            receipts.c.on_time,
            lead.c.lead_median,
            lines.c.lines_received,
            lines.c.exact,
            lines.c.qty_received,
            lines.c.qty_returned,
            invoices.c.invoices,
            invoices.c.exceptions,
            lines.c.po_diff,
            lines.c.po_base,
            lines.c.last_diff,
            lines.c.last_base,
        )
        .select_from(spend)
        .join(Supplier, Supplier.id == spend.c.supplier_id)
        .outerjoin(receipts, receipts.c.supplier_id == spend.c.supplier_id)
        .outerjoin(lead, lead.c.supplier_id == spend.c.supplier_id)
        .outerjoin(lines, lines.c.supplier_id == spend.c.supplier_id)
        .outerjoin(invoices, invoices.c.supplier_id == spend.c.supplier_id)
        .order_by(spend.c.spend.desc(), Supplier.code)
    )


def ratio(part: Any, whole: Any) -> Decimal | None:
    """part / whole to four places (a rate of 0.8333 is 83.33 %); None when whole is 0."""
    if not whole:
        return None
    return (Decimal(str(part or 0)) / Decimal(str(whole))).quantize(Decimal("0.0001"))


def _row(r: Any) -> dict[str, Any]:
    return {
        "supplier_id": r.supplier_id,
        "code": r.code,
        "name": r.name,
        "po_count": int(r.po_count),
        "spend": money(r.spend or 0),
        "receipts_rated": int(r.rated or 0),
        "on_time_rate": ratio(r.on_time, r.rated),
        "lead_time_median_days": None if r.lead_median is None else round(float(r.lead_median), 2),
        "quantity_accuracy": ratio(r.exact, r.lines_received),
        "return_rate": ratio(r.qty_returned, r.qty_received),
        "price_variance_po": ratio(r.po_diff, r.po_base),
        "price_variance_last": ratio(r.last_diff, r.last_base),
        "invoice_count": int(r.invoices or 0),
        "invoice_exception_rate": ratio(r.exceptions, r.invoices),
    }


def supplier_performance(*, filters: dict[str, Any]) -> dict[str, Any]:
    rows = db.session.execute(performance_query(filters)).all()
    return {
        "since": filters.get("since"),
        "until": filters.get("until"),
        "suppliers": [_row(r) for r in rows],
    }
