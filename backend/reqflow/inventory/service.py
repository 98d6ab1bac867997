"""Goods receipt use cases: receive against a PO, accept, reject (a return to the supplier).

Each public function is one transaction. A receipt locks the PO and its lines (``FOR
UPDATE``) before it adds to ``quantity_received``, so two receipts posted at the same moment
are checked one after the other against everything received so far.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import selectinload

from reqflow.core.models import utcnow
from reqflow.core.money import quantity
from reqflow.core.numbering import next_number
from reqflow.errors import Forbidden, InvalidTransition, NotFound
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.inventory import events as ev
from reqflow.inventory import ledger, receiving
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
                "lines": [
                    {
                        "po_line_id": line.po_line_id,
                        "quantity": str(line.quantity),
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
    if po.status not in RECEIVABLE:
        raise InvalidTransition(
            f"Goods are received against a Sent or Partially Received order, not a {po.status} one",
            details={"status": po.status, "action": "receive"},
        )
    po_lines = receiving.lock_lines(po.id)
    receiving.check_lines(po_lines, data["lines"])
    receipt = GoodsReceipt(
        grn_number=next_number("GRN"),
        po_id=po.id,
        status=ReceiptStatus.PENDING,
        received_at=data.get("received_at") or utcnow(),
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


def _decide(lines: list[GoodsReceiptLine], actor: User, status: str, reason: str | None) -> None:
    now = utcnow()
    for line in lines:
        line.status = status
        line.decided_by_id = actor.id
        line.decided_at = now
        line.reject_reason = reason


def accept(*, actor: User, receipt_id: int, comment: str | None = None) -> GoodsReceipt:
    """The requester accepts their goods on this receipt: Pending Acceptance → Available."""
    receipt, mine = _my_pending(actor, receipt_id, "accept")
    moves = []
    for line in mine:
        key = receiving.stock_key(line)
        pending, available = StockStatus.PENDING, StockStatus.AVAILABLE
        moves.append(Move(key, line.location_id, pending, -line.quantity, line.po_line_id))
        moves.append(Move(key, line.location_id, available, line.quantity, line.po_line_id))
    ledger.post(
        moves,
        entry_type=EntryType.ACCEPT,
        actor_id=actor.id,
        reference=receipt.grn_number,
        receipt_id=receipt.id,
        note=comment,
    )
    _decide(mine, actor, LineStatus.ACCEPTED, None)
    old, _ = receipt.refresh_status()
    _event(ev.GoodsAccepted, receipt, actor, old, [actor.id], comment=comment)
    db.session.commit()
    return receipt


def reject(*, actor: User, receipt_id: int, reason: str) -> GoodsReceipt:
    """The requester rejects their pending goods with a reason: a return to the supplier takes
    them out of stock, and the PO line's net received quantity drops by as much."""
    receipt, mine = _my_pending(actor, receipt_id, "reject")
    pending = StockStatus.PENDING
    moves = [
        Move(receiving.stock_key(line), line.location_id, pending, -line.quantity, line.po_line_id)
        for line in mine
    ]
    ledger.post(
        moves,
        entry_type=EntryType.RETURN,
        actor_id=actor.id,
        reference=receipt.grn_number,
        receipt_id=receipt.id,
        note=reason,
    )
    _decide(mine, actor, LineStatus.RETURNED, reason)
    old, _ = receipt.refresh_status()
    _event(ev.GoodsRejected, receipt, actor, old, [actor.id], comment=reason)
    db.session.commit()
    return receipt


def returned_quantities(po_line_ids: list[int] | set[int]) -> dict[int, Decimal]:
    """PO line id → quantity returned to the supplier (0 for lines without returns)."""
    ids = set(po_line_ids)
    result = {i: Decimal("0.000") for i in ids}
    if not ids:
        return result
    rows = db.session.execute(
        select(GoodsReceiptLine.po_line_id, func.sum(GoodsReceiptLine.quantity))
        .where(
            GoodsReceiptLine.po_line_id.in_(ids),
            GoodsReceiptLine.status == LineStatus.RETURNED,
        )
        .group_by(GoodsReceiptLine.po_line_id)
    ).all()
    for po_line_id, total in rows:
        result[po_line_id] = quantity(total)
    return result


def net_received(po_line_ids: list[int] | set[int]) -> dict[int, Decimal]:
    """PO line id → received minus returned."""
    returned = returned_quantities(po_line_ids)
    rows = db.session.execute(
        select(PurchaseOrderLine.id, PurchaseOrderLine.quantity_received).where(
            PurchaseOrderLine.id.in_(set(po_line_ids))
        )
    ).all()
    return {i: quantity(received - returned[i]) for i, received in rows}
