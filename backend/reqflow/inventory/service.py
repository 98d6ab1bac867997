"""Goods receipt use cases: receive against a PO, accept, reject (a return to the supplier).

Each public function is one transaction. A receipt locks the PO and its lines (``FOR
UPDATE``) before it adds to ``quantity_received``, so two receipts posted at the same moment
are checked one after the other against everything received so far.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Select, false, select
from sqlalchemy.orm import selectinload

from reqflow.core.models import utcnow
from reqflow.core.money import quantity
from reqflow.core.numbering import next_number
from reqflow.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.inventory import events as ev
from reqflow.inventory import ledger, receiving, returns
from reqflow.inventory.ledger import EntryType, Move
from reqflow.inventory.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    LineStatus,
    ReceiptStatus,
    StockStatus,
)
from reqflow.purchasing import service as purchasing
from reqflow.purchasing import transitions
from reqflow.purchasing.models import POStatus, PurchaseOrderLine

RECEIVABLE = (POStatus.SENT, POStatus.PARTIALLY_RECEIVED)


def receipt_scope(user: User) -> str | None:
    """``all`` for the Warehouse, buyers and accounts; ``own`` for requesters (goods:accept)."""
    if user.can("goods", "receive") or user.can("goods", "view") or user.can("inventory", "view"):
        return "all"
    return "own" if user.can("goods", "accept") else None


def visible_receipts(user: User) -> Select[Any]:
    """Receipts the user may see: all, or those holding goods of their own requisitions."""
    query = select(GoodsReceipt)
    scope = receipt_scope(user)
    if scope == "all":
        return query
    if scope == "own":
        mine = select(GoodsReceiptLine.receipt_id).where(GoodsReceiptLine.requester_id == user.id)
        return query.where(GoodsReceipt.id.in_(mine))
    return query.where(false())


def get_receipt(*, receipt_id: int, actor: User, lock: bool = False) -> GoodsReceipt:
    """One receipt the actor may see (404 otherwise, whether absent or hidden)."""
    query = visible_receipts(actor).where(GoodsReceipt.id == receipt_id)
    if lock:
        query = query.with_for_update(of=GoodsReceipt).execution_options(populate_existing=True)
    receipt = db.session.scalar(
        query.options(
            selectinload(GoodsReceipt.lines).selectinload(GoodsReceiptLine.location),
            selectinload(GoodsReceipt.purchase_order),
        )
    )
    if receipt is None:
        raise NotFound("Goods receipt not found")
    return receipt


def _event(
    cls: type[ev._GoodsReceiptEvent],
    receipt: GoodsReceipt,
    actor: User,
    old: str | None,
    requester_ids: list[int],
    **extra: Any,
) -> None:
    record(
        cls(
            actor_id=actor.id,
            resource_id=receipt.id,
            grn_number=receipt.grn_number,
            po_id=receipt.po_id,
            po_number=receipt.purchase_order.po_number,
            status=receipt.status,
            requester_ids=requester_ids,
            old_values={"status": old} if old else None,
            new_values={
                "status": receipt.status,
                "delivery_note_number": receipt.delivery_note_number,
                "receipt_date": receipt.receipt_date.isoformat() if receipt.receipt_date else None,
                "lines": [
                    {
                        "po_line_id": line.po_line_id,
                        "quantity": str(line.quantity),
                        "rejected_quantity": str(quantity(line.rejected_quantity or 0)),
                        "status": line.status,
                    }
                    for line in receipt.lines
                ],
            },
            **extra,
        )
    )


def receive(*, actor: User, data: dict[str, Any]) -> GoodsReceipt:
    """Record goods delivered against a Sent or Partially Received PO (GRN-…): stock goes to
    Pending Acceptance (requisitioned goods) or Available, and the PO status follows."""
    if not actor.can("goods", "receive"):
        raise Forbidden("You do not have permission to do this")
    po = purchasing.get(po_id=data["po_id"], actor=actor, lock=True)
    # A received order still takes the replacement of goods returned and not credited.
    replacing = po.status == POStatus.RECEIVED and any(
        line.quantity_replaceable > 0 for line in po.lines
    )
    if po.status not in RECEIVABLE and not replacing:
        raise InvalidTransition(
            f"Goods are received against a Sent or Partially Received order (or replacements "
            f"of returned goods), not a {po.status} one",
            details={"status": po.status, "action": "receive"},
        )
    po_lines = receiving.lock_lines(po.id)
    receiving.check_lines(po_lines, data["lines"])
    received_at = data.get("received_at") or utcnow()
    note = (data.get("delivery_note_number") or "").strip() or None
    receipt = GoodsReceipt(
        grn_number=next_number("GRN"),
        po_id=po.id,
        status=ReceiptStatus.PENDING,
        received_at=received_at,
        delivery_note_number=note,
        receipt_date=data.get("receipt_date") or received_at.date(),
        received_by_id=actor.id,
        notes=data.get("notes"),
        lines=receiving.build_lines(po_lines, data["lines"]),
    )
    receipt.purchase_order = po
    receipt.refresh_status()
    db.session.add(receipt)
    db.session.flush()
    moves = [
        Move(
            receiving.stock_key(line),
            line.location_id,
            _stock_status(line),
            line.quantity,
            line.po_line_id,
        )
        for line in receipt.lines
    ]
    ledger.post(
        moves,
        entry_type=EntryType.RECEIPT,
        actor_id=actor.id,
        reference=receipt.grn_number,
        receipt_id=receipt.id,
    )
    transitions.apply_receipt(po.id, actor)
    _event(ev.GoodsReceived, receipt, actor, None, receipt.requester_ids(), comment=receipt.notes)
    db.session.commit()
    return receipt


def _stock_status(line: GoodsReceiptLine) -> str:
    return StockStatus.PENDING if line.status == LineStatus.PENDING else StockStatus.AVAILABLE


def _my_pending(actor: User, receipt_id: int, verb: str) -> tuple[GoodsReceipt, list[Any]]:
    if not actor.can("goods", "accept"):
        raise Forbidden("You do not have permission to do this")
    receipt = get_receipt(receipt_id=receipt_id, actor=actor, lock=True)
    mine = [
        line
        for line in receipt.lines
        if line.requester_id == actor.id and line.status == LineStatus.PENDING
    ]
    if not mine:
        raise InvalidTransition(
            f"Nothing on {receipt.grn_number} waits for you to {verb}",
            details={"status": receipt.status, "action": verb},
        )
    return receipt, mine


def _checked(
    mine: list[GoodsReceiptLine], decisions: list[dict[str, Any]]
) -> dict[int, tuple[Decimal, str | None]]:
    """line id → (rejected quantity, reason) for each of my pending lines; 422 per bad line."""
    by_id = {line.id: line for line in mine}
    errors: dict[int, dict[str, list[str]]] = {}
    chosen: dict[int, tuple[Decimal, str | None]] = {i: (Decimal("0"), None) for i in by_id}
    for index, data in enumerate(decisions):
        line = by_id.get(data["line_id"])
        rejected = quantity(data["rejected_quantity"])
        reason = (data.get("reason") or "").strip() or None
        if line is None:
            errors[index] = {"line_id": ["Not a line of this receipt waiting for you."]}
        elif rejected > line.quantity:
            errors[index] = {"rejected_quantity": [f"At most {quantity(line.quantity)}."]}
        elif rejected > 0 and reason is None:
            errors[index] = {"reason": ["Say why the goods are rejected."]}
        else:
            chosen[line.id] = (rejected, reason)
    if errors:
        raise ValidationFailed("Validation failed", details={"lines": errors})
    return chosen


def _line_status(line: GoodsReceiptLine, rejected: Decimal) -> str:
    if rejected == 0:
        return LineStatus.ACCEPTED
    return LineStatus.RETURNED if rejected == line.quantity else LineStatus.PARTIALLY_RETURNED


def _post_decision(
    receipt: GoodsReceipt, lines: list[tuple[GoodsReceiptLine, Decimal]], actor: User, note: Any
) -> None:
    """Pending stock leaves for Available (accepted part) and back to the supplier (rest)."""
    accept_moves, return_moves = [], []
    pending, available = StockStatus.PENDING, StockStatus.AVAILABLE
    for line, rejected in lines:
        key, accepted = receiving.stock_key(line), line.quantity - rejected
        accept_moves += [
            Move(key, line.location_id, pending, -accepted, line.po_line_id),
            Move(key, line.location_id, available, accepted, line.po_line_id),
        ]
        return_moves.append(Move(key, line.location_id, pending, -rejected, line.po_line_id))
    for entry_type, moves in ((EntryType.ACCEPT, accept_moves), (EntryType.RETURN, return_moves)):
        if any(move.quantity for move in moves):
            ledger.post(
                moves,
                entry_type=entry_type,
                actor_id=actor.id,
                reference=receipt.grn_number,
                receipt_id=receipt.id,
                note=note,
            )


def decide(
    *, actor: User, receipt_id: int, lines: list[dict[str, Any]], comment: str | None = None
) -> GoodsReceipt:
    """The requester decides their pending goods line by line: the accepted part becomes
    Available, the rejected part (with a reason per line) goes back to the supplier on a
    return (RTV-…) and no longer counts as received on the PO."""
    receipt, mine = _my_pending(actor, receipt_id, "accept")
    chosen = _checked(mine, lines)
    receiving.lock_lines(receipt.po_id)
    now, rejected_lines = utcnow(), []
    for line in mine:
        rejected, reason = chosen[line.id]
        line.status = _line_status(line, rejected)
        line.decided_by_id, line.decided_at = actor.id, now
        line.rejected_quantity, line.reject_reason = rejected, reason
        if rejected > 0:
            rejected_lines.append((line, rejected, reason or ""))
    _post_decision(receipt, [(x, chosen[x.id][0]) for x in mine], actor, comment)
    if rejected_lines:
        returns.raise_return(receipt, rejected_lines, actor)
    old, _ = receipt.refresh_status()
    cls = ev.GoodsRejected if rejected_lines else ev.GoodsAccepted
    reasons = "; ".join(sorted({r for _, _, r in rejected_lines}))
    _event(cls, receipt, actor, old, [actor.id], comment=comment or reasons or None)
    db.session.commit()
    return receipt


def accept(*, actor: User, receipt_id: int, comment: str | None = None) -> GoodsReceipt:
    """The requester accepts all their goods on this receipt: Pending Acceptance → Available."""
    return decide(actor=actor, receipt_id=receipt_id, lines=[], comment=comment)


def reject(*, actor: User, receipt_id: int, reason: str) -> GoodsReceipt:
    """The requester rejects all their pending goods with one reason: a return to the
    supplier takes them out of stock, and the PO lines' net received drops by as much."""
    _, mine = _my_pending(actor, receipt_id, "reject")
    lines = [{"line_id": x.id, "rejected_quantity": x.quantity, "reason": reason} for x in mine]
    return decide(actor=actor, receipt_id=receipt_id, lines=lines)


def returned_quantities(po_line_ids: list[int] | set[int]) -> dict[int, Decimal]:
    """PO line id → quantity returned to the supplier (0 for lines without returns)."""
    rows = db.session.execute(
        select(PurchaseOrderLine.id, PurchaseOrderLine.quantity_returned).where(
            PurchaseOrderLine.id.in_(set(po_line_ids))
        )
    ).all()
    return {i: quantity(returned) for i, returned in rows}


def net_received(po_line_ids: list[int] | set[int]) -> dict[int, Decimal]:
    """PO line id → received minus returned."""
    rows = db.session.execute(
        select(
            PurchaseOrderLine.id,
            PurchaseOrderLine.quantity_received - PurchaseOrderLine.quantity_returned,
        ).where(PurchaseOrderLine.id.in_(set(po_line_ids)))
    ).all()
    return {i: quantity(net) for i, net in rows}
