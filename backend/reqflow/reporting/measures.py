"""Keeps ``po_line_measures`` (see ``PoLineMeasure``) in step with receipts, invoices and
payments, in the transaction that changes them.

One place for every measure: after each flush that wrote a goods receipt or receipt line
(receive, accept/reject — a Returned line), an invoice or invoice line (record, match,
approve, void, pay — the paid share lives on the invoice), or a PO line (its price is the
variance base), the rows of the PO lines concerned are recomputed from those source rows by one
DELETE and one INSERT … SELECT on the flush's connection. Hooking the flush rather than each
service means a write from any path (a service, an import, a seed) keeps the measures true.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, case, delete, event, func, insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from reqflow.accounting.models import Invoice, InvoiceLine, InvoiceStatus
from reqflow.inventory.models import GoodsReceipt, GoodsReceiptLine, LineStatus
from reqflow.purchasing.models import PurchaseOrderLine
from reqflow.reporting.models import PoLineMeasure

COLUMNS = [
    "po_line_id",
    "po_id",
    "qty_received",
    "qty_returned",
    "receipt_lines",
    "received_exact",
    "first_receipt_at",
    "last_receipt_at",
    "invoiced_qty",
    "invoiced_amount",
    "paid_amount",
    "price_diff",
    "price_base",
]


def measures_select(lines: Any) -> Any:
    """The measure rows of the PO lines matching ``lines`` (a condition on PurchaseOrderLine)."""
    po_line = PurchaseOrderLine
    returned = case(
        (GoodsReceiptLine.status == LineStatus.RETURNED.value, GoodsReceiptLine.quantity), else_=0
    )
    received = (
        select(
            GoodsReceiptLine.po_line_id.label("line_id"),
            func.sum(GoodsReceiptLine.quantity).label("qty"),
            func.sum(returned).label("returned"),
            func.count().label("n"),
            func.min(GoodsReceipt.received_at).label("first"),
            func.max(GoodsReceipt.received_at).label("last"),
        )
        .join(GoodsReceipt, GoodsReceipt.id == GoodsReceiptLine.receipt_id)
        .join(po_line, po_line.id == GoodsReceiptLine.po_line_id)
        .where(lines)
        .group_by(GoodsReceiptLine.po_line_id)
        .subquery()
    )
    paid_share = Invoice.amount_paid / func.nullif(Invoice.total_amount, 0)
    invoiced = (
        select(
            InvoiceLine.po_line_id.label("line_id"),
            func.sum(InvoiceLine.quantity).label("qty"),
            func.sum(InvoiceLine.line_total).label("amount"),
            func.sum(InvoiceLine.line_total * func.coalesce(paid_share, 0)).label("paid"),
            func.sum(InvoiceLine.quantity * (InvoiceLine.unit_price - po_line.unit_price)).label(
                "diff"
            ),
            func.sum(InvoiceLine.quantity * po_line.unit_price).label("base"),
        )
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .join(po_line, po_line.id == InvoiceLine.po_line_id)
        .where(lines, Invoice.status != InvoiceStatus.VOID.value)
        .group_by(InvoiceLine.po_line_id)
        .subquery()
    )
    return (
        select(
            po_line.id,
            po_line.po_id,
            func.coalesce(received.c.qty, 0),
            func.coalesce(received.c.returned, 0),
            func.coalesce(received.c.n, 0),
            case(
                (and_(received.c.n > 0, po_line.quantity_received == po_line.quantity), 1),
                else_=0,
            ),
            received.c.first,
            received.c.last,
            func.coalesce(invoiced.c.qty, 0),
            func.coalesce(invoiced.c.amount, 0),
            func.coalesce(invoiced.c.paid, 0),
            func.coalesce(invoiced.c.diff, 0),
            func.coalesce(invoiced.c.base, 0),
        )
        .outerjoin(received, received.c.line_id == po_line.id)
        .outerjoin(invoiced, invoiced.c.line_id == po_line.id)
        .where(lines)
    )


def refresh(connection: Connection, po_ids: Iterable[int], line_ids: Iterable[int]) -> None:
    """Recompute the measures of the PO lines of ``po_ids`` and of the lines ``line_ids``."""
    pos, ids = sorted(set(po_ids)), sorted(set(line_ids))
    if not pos and not ids:
        return
    lines = or_(PurchaseOrderLine.po_id.in_(pos), PurchaseOrderLine.id.in_(ids))
    table = PoLineMeasure.__table__
    stale = select(PurchaseOrderLine.id).where(lines)
    connection.execute(
        delete(table).where(or_(table.c.po_id.in_(pos), table.c.po_line_id.in_(stale)))
    )
    columns = [table.c[name] for name in COLUMNS]
    connection.execute(insert(table).from_select(columns, measures_select(lines)))


def refresh_all(connection: Connection) -> None:
    """Rebuild every row (a bulk load that bypassed the ORM, e.g. the benchmark seed)."""
    connection.execute(delete(PoLineMeasure.__table__))
    columns = [PoLineMeasure.__table__.c[name] for name in COLUMNS]
    connection.execute(
        insert(PoLineMeasure.__table__).from_select(columns, measures_select(and_(True)))
    )


def _touched(session: Session) -> tuple[set[int], set[int]]:
    """(PO ids, PO line ids) whose measures the flushed objects change."""
    pos: set[int] = set()
    lines: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, GoodsReceipt | Invoice):
            pos.add(obj.po_id)
        elif isinstance(obj, GoodsReceiptLine | InvoiceLine):
            lines.add(obj.po_line_id)
        elif isinstance(obj, PurchaseOrderLine) and obj.id is not None:
            lines.add(obj.id)
    pos.discard(None)  # type: ignore[arg-type]
    lines.discard(None)  # type: ignore[arg-type]
    return pos, lines


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    pos, lines = _touched(session)
    if pos or lines:
        refresh(session.connection(), pos, lines)
