"""Returns to the supplier (RTV-…): raised by a rejection at acceptance, then shipped back and
settled by a credit note or a replacement.

``transition`` is the one way a return changes state: it checks who may act, moves along
``TRANSITIONS``, runs the settlement of that step (the credit note lives in accounting) and
records the event, hence the audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, false, select
from sqlalchemy.orm import selectinload

from reqflow.core.numbering import next_number
from reqflow.core.versioning import expect_version
from reqflow.errors import Forbidden, NotFound
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.inventory import events as ev
from reqflow.inventory.models import GoodsReceipt, GoodsReceiptLine
from reqflow.inventory.return_models import ReturnStatus, SupplierReturn, SupplierReturnLine, can

# Who may take each step: the buyer or the Warehouse ship back and confirm a replacement;
# accounts payable records the supplier's credit note.
ACTORS: dict[str, tuple[tuple[str, str], ...]] = {
    "ship": (("po", "manage"), ("goods", "receive")),
    "replace": (("po", "manage"), ("goods", "receive")),
    "credit": (("invoice", "create"),),
}
EVENTS: dict[str, type[ev._SupplierReturnEvent]] = {
    "ship": ev.SupplierReturnShipped,
    "replace": ev.SupplierReturnReplaced,
    "credit": ev.SupplierReturnCredited,
}
VIEWERS = (("po", "view"), ("po", "manage"), ("goods", "receive"), ("goods", "view"))


def can_view(user: User) -> bool:
    return any(user.can(resource, action) for resource, action in VIEWERS)


def visible_query(user: User) -> Select[Any]:
    query = select(SupplierReturn)
    return query if can_view(user) else query.where(false())


def get(*, return_id: int, actor: User, lock: bool = False) -> SupplierReturn:
    """One return the actor may see (404 otherwise)."""
    query = visible_query(actor).where(SupplierReturn.id == return_id)
    if lock:
        query = query.with_for_update(of=SupplierReturn).execution_options(populate_existing=True)
    found = db.session.scalar(
        query.options(
            selectinload(SupplierReturn.lines).selectinload(SupplierReturnLine.po_line),
            selectinload(SupplierReturn.purchase_order),
            selectinload(SupplierReturn.receipt),
        )
    )
    if found is None:
        raise NotFound("Return to supplier not found")
    return found


def event(
    cls: type[ev._SupplierReturnEvent],
    rtv: SupplierReturn,
    actor_id: int,
    old: str | None,
    comment: str | None = None,
) -> None:
    record(
        cls(
            actor_id=actor_id,
            resource_id=rtv.id,
            rtv_number=rtv.rtv_number,
            po_id=rtv.po_id,
            po_number=rtv.purchase_order.po_number,
            grn_number=rtv.receipt.grn_number,
            supplier_id=rtv.supplier_id,
            status=rtv.status,
            comment=comment,
            old_values={"status": old} if old else None,
            new_values={
                **rtv.audit_view(),
                "credit_note_number": rtv.credit_note_number,
                "credit_amount": None if rtv.credit_amount is None else str(rtv.credit_amount),
            },
        )
    )


def raise_return(
    receipt: GoodsReceipt,
    rejected: list[tuple[GoodsReceiptLine, Decimal, str]],
    actor: User,
) -> SupplierReturn:
    """A Pending return of the rejected quantities (no commit); the PO lines' returned
    quantity grows by as much (the caller holds their locks)."""
    rtv = SupplierReturn(
        rtv_number=next_number("RTV"),
        po_id=receipt.po_id,
        receipt_id=receipt.id,
        supplier_id=receipt.purchase_order.supplier_id,
        created_by_id=actor.id,
        status=ReturnStatus.PENDING,
    )
    rtv.purchase_order, rtv.receipt = receipt.purchase_order, receipt
    for line, quantity, reason in rejected:
        rtv.lines.append(
            SupplierReturnLine(
                receipt_line_id=line.id,
                po_line_id=line.po_line_id,
                description=line.description,
                uom=line.uom,
                quantity=quantity,
                reason=reason,
            )
        )
        line.po_line.quantity_returned = line.po_line.quantity_returned + quantity
    db.session.add(rtv)
    db.session.flush()
    event(ev.SupplierReturnRaised, rtv, actor.id, None)
    return rtv


def transition(
    *,
    actor: User,
    return_id: int,
    action: str,
    version: int | None = None,
    comment: str | None = None,
    settle: Callable[[SupplierReturn], None] | None = None,
) -> SupplierReturn:
    """Move a return along its state machine (ship, credit, replace) and commit; ``settle``
    does what the step changes elsewhere (a credit note) before the event is recorded."""
    if not any(actor.can(resource, verb) for resource, verb in ACTORS[action]):
        raise Forbidden("You do not have permission to do this")
    rtv = get(return_id=return_id, actor=actor, lock=True)
    expect_version(rtv, version, "return")
    old, _ = rtv.apply(action)
    if action != "ship":
        rtv.settled_by_id = actor.id
    rtv.comment = comment or rtv.comment
    if settle is not None:
        settle(rtv)
    db.session.flush()
    event(EVENTS[action], rtv, actor.id, old, comment)
    db.session.commit()
    return rtv


def allowed_actions(rtv: SupplierReturn, actor: User) -> list[str]:
    return [
        action
        for action, needs in ACTORS.items()
        if can(rtv.status, action) and any(actor.can(r, v) for r, v in needs)
    ]
