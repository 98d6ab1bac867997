"""Keeps ``po_line_measures`` (see ``PoLineMeasure``) in step with receipts, invoices and
payments, and with the committed POs' prices, in the transaction that changes them.

One place for every measure: after each flush that wrote a goods receipt or receipt line
(receive, accept/reject — a Returned line), an invoice or invoice line (record, match,
approve, void, pay — the paid share lives on the invoice), or a PO line (its price is the
variance base), the rows of the PO lines concerned are recomputed from those source rows by one
DELETE and one INSERT … SELECT on the flush's connection. Hooking the flush rather than each
service means a write from any path (a service, an import, a seed) keeps the measures true.

The previous price of an item (the "vs last price" base) depends on the other committed POs:
when a PO enters or leaves the committed statuses (approval, cancellation) or a line's price or
item changes, its lines are recomputed and so is, per item, the first committed line after it —
the one line whose previous price that changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, case, delete, event, func, insert, inspect, or_, select, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased

from reqflow.accounting.models import Invoice, InvoiceLine, InvoiceStatus
from reqflow.inventory.models import GoodsReceipt, GoodsReceiptLine, LineStatus
from reqflow.purchasing.models import PurchaseOrder, PurchaseOrderLine
from reqflow.reporting.models import PoLineMeasure
from reqflow.reporting.spend import COMMITTED

BASE = [
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
COLUMNS = [*BASE, "previous_price", "last_diff", "last_base", "committed", "received_amount"]
COMMITTED_VALUES = [s.value for s in COMMITTED]


def _previous_of(line: Any, po: Any) -> Any:
    """The unit price of the item's line just before ``line`` (of ``po``) among the committed
    POs, ordered by (approval time, PO id, line id): one index probe per line."""
    prev_line, prev_po = aliased(PurchaseOrderLine), aliased(PurchaseOrder)
    return (
        select(prev_line.unit_price)
        .join(prev_po, prev_po.id == prev_line.po_id)
        .where(
            prev_line.item_id == line.item_id,
            prev_po.status.in_(COMMITTED_VALUES),
            tuple_(prev_po.approved_at, prev_po.id, prev_line.id)
            < tuple_(po.approved_at, po.id, line.id),
        )
        .order_by(prev_po.approved_at.desc(), prev_po.id.desc(), prev_line.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _previous_window() -> Any:
    """The same previous prices for every committed line at once (LAG), for a full rebuild."""
    line, po = aliased(PurchaseOrderLine), aliased(PurchaseOrder)
    previous = func.lag(line.unit_price).over(
        partition_by=line.item_id, order_by=(po.approved_at, po.id, line.id)
    )
    return (
        select(line.id.label("line_id"), previous.label("previous"))
        .join(po, po.id == line.po_id)
        .where(line.item_id.is_not(None), po.status.in_(COMMITTED_VALUES))
        .subquery()
    )


def measures_select(lines: Any, *, bulk: bool = False) -> Any:
    """The measure rows (``COLUMNS``) of the PO lines matching ``lines`` (a condition on
    PurchaseOrderLine); ``bulk`` takes the previous prices from one window over every line."""
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
    query = select(
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
    if bulk:
        window = _previous_window()
        previous: Any = window.c.previous
        query = query.outerjoin(window, window.c.line_id == po_line.id)
    else:
        previous = case(
            (PurchaseOrder.status.in_(COMMITTED_VALUES), _previous_of(po_line, PurchaseOrder)),
            else_=None,
        )
    inner = (
        query.add_columns(
            previous.label("previous"),
            po_line.quantity.label("q"),
            po_line.unit_price.label("p"),
            po_line.line_total.label("t"),
        )
        .join(PurchaseOrder, PurchaseOrder.id == po_line.po_id)
        .outerjoin(received, received.c.line_id == po_line.id)
        .outerjoin(invoiced, invoiced.c.line_id == po_line.id)
        .where(lines)
        .subquery()
    )
    c = list(inner.c)
    prev, q, p = inner.c.previous, inner.c.q, inner.c.p
    return select(
        *c[: len(BASE)],
        prev,
        func.coalesce(q * (p - prev), 0),
        func.coalesce(q * prev, 0),
        inner.c.t,
        (c[2] - c[3]) * p,  # (received − returned) × PO price
    )


def _successors(connection: Connection, po_ids: list[int]) -> list[int]:
    """Per item on the POs ``po_ids``: the first committed line after those POs (by approval
    time, PO id), whose previous price changes when they are approved, cancelled or repriced."""
    line, po = PurchaseOrderLine, PurchaseOrder
    nxt_line, nxt_po = aliased(PurchaseOrderLine), aliased(PurchaseOrder)
    first_after = (
        select(nxt_line.id)
        .join(nxt_po, nxt_po.id == nxt_line.po_id)
        .where(
            nxt_line.item_id == line.item_id,
            nxt_po.status.in_(COMMITTED_VALUES),
            tuple_(nxt_po.approved_at, nxt_po.id) > tuple_(po.approved_at, po.id),
        )
        .order_by(nxt_po.approved_at, nxt_po.id, nxt_line.id)
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(first_after)
        .select_from(line)
        .join(po, po.id == line.po_id)
        .where(po.id.in_(po_ids), line.item_id.is_not(None), po.approved_at.is_not(None))
    )
    return [i for i in connection.execute(query).scalars() if i is not None]


def refresh(
    connection: Connection,
    po_ids: Iterable[int],
    line_ids: Iterable[int],
    repriced: Iterable[int] = (),
) -> None:
    """Recompute the measures of the PO lines of ``po_ids`` and of the lines ``line_ids``, and
    of the lines whose previous price follows from the POs ``repriced``."""
    pos, ids = sorted(set(po_ids)), set(line_ids)
    changed = sorted(set(repriced))
    if changed:
        ids.update(_successors(connection, changed))
    if not pos and not ids:
        return
    # The line ids first: a delete by primary key, not a scan of every measure row.
    lines = or_(PurchaseOrderLine.po_id.in_(pos), PurchaseOrderLine.id.in_(sorted(ids)))
    stale = sorted(connection.execute(select(PurchaseOrderLine.id).where(lines)).scalars())
    table = PoLineMeasure.__table__
    connection.execute(delete(table).where(table.c.po_line_id.in_(stale)))
    if stale:
        columns = [table.c[name] for name in COLUMNS]
        chosen = PurchaseOrderLine.id.in_(stale)
        connection.execute(insert(table).from_select(columns, measures_select(chosen)))


def refresh_all(connection: Connection) -> None:
    """Rebuild every row (a bulk load that bypassed the ORM, e.g. the benchmark seed)."""
    connection.execute(delete(PoLineMeasure.__table__))
    columns = [PoLineMeasure.__table__.c[name] for name in COLUMNS]
    connection.execute(
        insert(PoLineMeasure.__table__).from_select(columns, measures_select(and_(True), bulk=True))
    )


def _committed(values: Iterable[Any]) -> bool:
    return any(str(v) in COMMITTED_VALUES for v in values)


def _repriced(obj: PurchaseOrder) -> bool:
    """Whether the PO entered or left the committed statuses, or its approval time moved."""
    attrs: Any = inspect(obj).attrs
    status = attrs.status.history
    if attrs.approved_at.history.has_changes():
        return True
    return status.has_changes() and _committed(status.deleted) != _committed(status.added)


def _price_moved(obj: PurchaseOrderLine) -> bool:
    attrs: Any = inspect(obj).attrs
    return attrs.unit_price.history.has_changes() or attrs.item_id.history.has_changes()


def _touched(session: Session) -> tuple[set[int], set[int], set[int]]:
    """(PO ids, PO line ids) whose measures the flushed objects change, and the PO ids whose
    lines' prices, as the previous price of later lines, changed."""
    pos: set[int] = set()
    lines: set[int] = set()
    repriced: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, GoodsReceipt | Invoice):
            pos.add(obj.po_id)
        elif isinstance(obj, GoodsReceiptLine | InvoiceLine):
            lines.add(obj.po_line_id)
        elif isinstance(obj, PurchaseOrderLine) and obj.id is not None:
            lines.add(obj.id)
            if obj not in session.deleted and _price_moved(obj):
                repriced.add(obj.po_id)
        elif isinstance(obj, PurchaseOrder) and obj.id is not None and _repriced(obj):
            pos.add(obj.id)
            repriced.add(obj.id)
    for ids in (pos, lines, repriced):
        ids.discard(None)  # type: ignore[arg-type]
    return pos, lines, repriced


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    pos, lines, repriced = _touched(session)
    if pos or lines or repriced:
        refresh(session.connection(), pos, lines, repriced)
