"""RFQ use cases: ask several suppliers for quotes on queue lines, compare, award.

Awarding creates one Draft PO per awarded supplier at the quoted prices and claims the
requisition lines under the same row-lock rule as ``POST /purchase-orders``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload, undefer

from reqflow.catalog.models import Supplier
from reqflow.catalog.service import like_pattern
from reqflow.core.numbering import next_number
from reqflow.core.versioning import expect_version
from reqflow.errors import Conflict, NotFound, ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.purchasing import claims, service
from reqflow.purchasing import events as ev
from reqflow.purchasing.models import PurchaseOrder
from reqflow.purchasing.rfq_models import OPEN, Rfq, RfqLine, RfqQuote, RfqStatus, RfqSupplier


def _event(cls: type[ev._RfqEvent], rfq: Rfq, actor: User, old: str | None = None, **extra: Any):
    extra.setdefault("old_values", {"status": old} if old else None)
    extra.setdefault("new_values", {"status": rfq.status})
    record(
        cls(
            actor_id=actor.id,
            resource_id=rfq.id,
            rfq_number=rfq.rfq_number,
            status=rfq.status,
            **extra,
        )
    )


def list_query(args: dict[str, Any]) -> Select[Any]:
    query = select(Rfq).options(
        selectinload(Rfq.lines),
        selectinload(Rfq.suppliers),
        selectinload(Rfq.created_by),
        undefer(Rfq.attachment_count),
    )
    if args.get("status"):
        query = query.where(Rfq.status.in_(args["status"].split(",")))
    if args.get("q"):
        pattern = like_pattern(args["q"].strip())
        query = query.where(
            or_(Rfq.rfq_number.ilike(pattern, escape="\\"), Rfq.title.ilike(pattern, escape="\\"))
        )
    return query


def get(*, rfq_id: int, lock: bool = False) -> Rfq:
    query = select(Rfq).where(Rfq.id == rfq_id)
    if lock:
        query = query.with_for_update(of=Rfq).execution_options(populate_existing=True)
    rfq = db.session.scalar(
        query.options(
            selectinload(Rfq.lines),
            selectinload(Rfq.suppliers).selectinload(RfqSupplier.supplier),
            selectinload(Rfq.quotes),
        )
    )
    if rfq is None:
        raise NotFound("RFQ not found")
    return rfq


def _locked(rfq_id: int, version: int | None) -> Rfq:
    rfq = get(rfq_id=rfq_id, lock=True)
    expect_version(rfq, version, "RFQ")
    return rfq


def _check_suppliers(ids: list[int]) -> None:
    active = set(
        db.session.scalars(select(Supplier.id).where(Supplier.id.in_(ids), Supplier.is_active))
    )
    missing = [i for i in ids if i not in active]
    if missing:
        raise ValidationFailed(
            "Validation failed",
            details={"supplier_ids": [f"{i}: no such active supplier." for i in missing]},
        )


def _on_open_rfq(item_ids: list[int]) -> list[int]:
    return list(
        db.session.scalars(
            select(RfqLine.requisition_item_id)
            .join(Rfq, Rfq.id == RfqLine.rfq_id)
            .where(
                RfqLine.requisition_item_id.in_(item_ids),
                Rfq.status.in_([s.value for s in OPEN]),
            )
        )
    )


def create(*, actor: User, data: dict[str, Any]) -> Rfq:
    """An RFQ for queue lines to the invited suppliers; Sent at once unless ``send`` is false."""
    supplier_ids = list(dict.fromkeys(data["supplier_ids"]))
    item_ids = list(dict.fromkeys(line["requisition_item_id"] for line in data["lines"]))
    _check_suppliers(supplier_ids)
    items = claims.lock_queue_items(item_ids)
    busy = _on_open_rfq(item_ids)
    if busy:
        raise Conflict(
            "These requisition lines are already on an open RFQ",
            details={"requisition_item_ids": sorted(busy)},
        )
    rfq = Rfq(
        rfq_number=next_number("RFQ"),
        status=RfqStatus.DRAFT,
        title=data["title"],
        due_date=data.get("due_date"),
        notes=data.get("notes"),
        created_by_id=actor.id,
    )
    for line_no, item_id in enumerate(item_ids, start=1):
        item = items[item_id]
        rfq.lines.append(
            RfqLine(
                line_no=line_no,
                requisition_item_id=item.id,
                description=item.description,
                quantity=item.quantity,
                uom=item.uom,
            )
        )
    rfq.suppliers = [RfqSupplier(supplier_id=s) for s in supplier_ids]
    db.session.add(rfq)
    claims.mark_quoting(items.values())
    db.session.flush()
    _event(ev.RfqCreated, rfq, actor, new_values=_summary(rfq))
    if data.get("send", True):
        old, _ = rfq.apply("send")
        _event(ev.RfqSent, rfq, actor, old)
    db.session.commit()
    return rfq


def _summary(rfq: Rfq) -> dict[str, Any]:
    return {
        "status": rfq.status,
        "title": rfq.title,
        "supplier_ids": [s.supplier_id for s in rfq.suppliers],
        "requisition_item_ids": [line.requisition_item_id for line in rfq.lines],
    }


def _transition(rfq_id: int, actor: User, action: str, cls: Any, version: int | None) -> Rfq:
    rfq = _locked(rfq_id, version)
    old, _ = rfq.apply(action)
    if action == "cancel":
        claims.unquote(line.requisition_item_id for line in rfq.lines)
    _event(cls, rfq, actor, old)
    db.session.commit()
    return rfq


def send(*, actor: User, rfq_id: int, version: int | None = None) -> Rfq:
    """Send a Draft RFQ to its suppliers."""
    return _transition(rfq_id, actor, "send", ev.RfqSent, version)


def close(*, actor: User, rfq_id: int, version: int | None = None) -> Rfq:
    """Stop taking quotes (awarding stays possible)."""
    return _transition(rfq_id, actor, "close", ev.RfqClosed, version)


def cancel(*, actor: User, rfq_id: int, version: int | None = None) -> Rfq:
    """Cancel an open RFQ; its lines are plainly unsourced again."""
    return _transition(rfq_id, actor, "cancel", ev.RfqCancelled, version)


def record_quotes(*, actor: User, rfq_id: int, data: dict[str, Any]) -> Rfq:
    """Record (or correct) one invited supplier's quotes for lines of a Sent RFQ."""
    rfq = _locked(rfq_id, data.get("version"))
    if rfq.status != RfqStatus.SENT:
        raise Conflict(
            f"Quotes are recorded only while the RFQ is Sent (it is {rfq.status})",
            details={"status": rfq.status},
        )
    supplier_id = data["supplier_id"]
    if supplier_id not in {s.supplier_id for s in rfq.suppliers}:
        raise ValidationFailed(
            "Validation failed", details={"supplier_id": ["This supplier was not invited."]}
        )
    line_ids = {line.id for line in rfq.lines}
    given = [q["rfq_line_id"] for q in data["quotes"]]
    bad = sorted({i for i in given if i not in line_ids})
    if bad or len(given) != len(set(given)):
        messages = [f"{i}: not a line of this RFQ." for i in bad] or ["A line appears twice."]
        raise ValidationFailed("Validation failed", details={"quotes": messages})
    existing = {(q.supplier_id, q.rfq_line_id): q for q in rfq.quotes}
    for quote in data["quotes"]:
        row = existing.get((supplier_id, quote["rfq_line_id"]))
        if row is None:
            row = RfqQuote(rfq_id=rfq.id, supplier_id=supplier_id, rfq_line_id=quote["rfq_line_id"])
            rfq.quotes.append(row)
        row.unit_price = quote["unit_price"]
        row.lead_time_days = quote["lead_time_days"]
        row.valid_until = quote.get("valid_until")
        row.notes = quote.get("notes")
    db.session.flush()
    _event(
        ev.RfqQuoteRecorded,
        rfq,
        actor,
        supplier_id=supplier_id,
        new_values={
            "supplier_id": supplier_id,
            "quotes": [
                {**q, "unit_price": str(q["unit_price"]), "valid_until": _iso(q.get("valid_until"))}
                for q in data["quotes"]
            ],
        },
    )
    db.session.commit()
    return rfq


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _awarded_quotes(rfq: Rfq, awards: list[dict[str, Any]]) -> dict[int, list[RfqQuote]]:
    """The quote behind each award, grouped by supplier; 422 for unknown or unquoted pairs,
    409 for an expired quote."""
    lines = {line.id: line for line in rfq.lines}
    quotes = {(q.rfq_line_id, q.supplier_id): q for q in rfq.quotes}
    errors: list[str] = []
    seen: set[int] = set()
    grouped: dict[int, list[RfqQuote]] = defaultdict(list)
    for award in awards:
        line_id, supplier_id = award["rfq_line_id"], award["supplier_id"]
        quote = quotes.get((line_id, supplier_id))
        if line_id not in lines:
            errors.append(f"{line_id}: not a line of this RFQ.")
        elif line_id in seen:
            errors.append(f"{line_id}: awarded twice.")
        elif quote is None:
            errors.append(f"{line_id}: supplier {supplier_id} did not quote this line.")
        else:
            grouped[supplier_id].append(quote)
        seen.add(line_id)
    if errors:
        raise ValidationFailed("Validation failed", details={"awards": errors})
    expired = [q.rfq_line_id for qs in grouped.values() for q in qs if _expired(q)]
    if expired:
        raise Conflict("Some awarded quotes are no longer valid", details={"rfq_line_ids": expired})
    return grouped


def _expired(quote: RfqQuote) -> bool:
    return quote.valid_until is not None and quote.valid_until < date.today()


def award(*, actor: User, rfq_id: int, data: dict[str, Any]) -> tuple[Rfq, list[PurchaseOrder]]:
    """Award lines to suppliers: one Draft PO per supplier at the quoted prices."""
    service.require(actor, "create")
    rfq = _locked(rfq_id, data.get("version"))
    if rfq.status not in (RfqStatus.SENT, RfqStatus.CLOSED):
        rfq.apply("award")  # raises the 409 with the current status
    grouped = _awarded_quotes(rfq, data["awards"])
    lines = {line.id: line for line in rfq.lines}
    items = claims.lock_queue_items(
        lines[q.rfq_line_id].requisition_item_id for qs in grouped.values() for q in qs
    )
    orders = []
    for supplier_id, quotes in sorted(grouped.items()):
        for quote in quotes:
            lines[quote.rfq_line_id].awarded_supplier_id = supplier_id
        lead = max(q.lead_time_days for q in quotes)
        orders.append(
            service.new_order(
                supplier_id=supplier_id,
                created_by_id=actor.id,
                lines=[_po_line(lines[q.rfq_line_id], q, items) for q in quotes],
                expected_delivery_date=date.today() + timedelta(days=lead),
                notes=f"Awarded from {rfq.rfq_number}",
                rfq_id=rfq.id,
            )
        )
    claims.unquote(line.requisition_item_id for line in rfq.lines)
    old, _ = rfq.apply("award")
    _event(
        ev.RfqAwarded,
        rfq,
        actor,
        old,
        po_ids=[po.id for po in orders],
        new_values={"status": rfq.status, "purchase_orders": [po.po_number for po in orders]},
    )
    db.session.commit()
    return rfq, orders


def _po_line(line: RfqLine, quote: RfqQuote, items: dict[int, Any]) -> dict[str, Any]:
    return {
        "requisition_item": items[line.requisition_item_id],
        "description": line.description,
        "quantity": line.quantity,
        "uom": line.uom,
        "unit_price": quote.unit_price,
    }
