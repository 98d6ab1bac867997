"""PO status use cases: submit, approve, send, cancel, close, and receipt from goods receipt.

Every change goes through ``PurchaseOrder.apply`` (the TRANSITIONS table) and records an event,
hence an audit row. Each public function except ``apply_receipt`` is one transaction.
"""

from __future__ import annotations

from decimal import Decimal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from reqflow.core.models import utcnow
from reqflow.core.versioning import expect_version
from reqflow.errors import Forbidden, InvalidTransition, NotFound
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.purchasing import claims, service
from reqflow.purchasing import events as ev
from reqflow.purchasing.models import POStatus, PurchaseOrder, can, next_status

DEFAULT_THRESHOLD = Decimal("10000.00")


def approval_threshold() -> Decimal:
    """POs totalling at least this need a ProcurementMgr's approval."""
    return Decimal(str(current_app.config.get("PO_APPROVAL_THRESHOLD", DEFAULT_THRESHOLD)))


def authors(po: PurchaseOrder) -> set[int]:
    """Who may not approve it: its creator; for a system-made Draft, whoever submitted it."""
    author = po.created_by_id if po.created_by_id is not None else po.submitted_by_id
    return {author} if author is not None else set()


def _locked(actor: User, po_id: int, version: int | None) -> PurchaseOrder:
    po = service.get(po_id=po_id, actor=actor, lock=True)
    expect_version(po, version, "purchase order")
    return po


def submit(
    *, actor: User, po_id: int, version: int | None = None, comment: str | None = None
) -> PurchaseOrder:
    """Submit a Draft: Pending Approval from the threshold up, otherwise Approved at once."""
    service.require(actor, "manage")
    po = _locked(actor, po_id, version)
    needs_approval = po.total_amount >= approval_threshold()
    old, _ = po.apply("submit" if needs_approval else "submit_below_threshold")
    po.submitted_at = utcnow()
    po.submitted_by_id = actor.id
    po.approved_by_id = None
    if not needs_approval:
        comment = comment or f"Approved on submit: total below {approval_threshold()}"
    service.event(ev.PurchaseOrderSubmitted, po, actor.id, old, comment=comment)
    db.session.commit()
    return po


def approve(
    *, actor: User, po_id: int, version: int | None = None, comment: str | None = None
) -> PurchaseOrder:
    """A ProcurementMgr approves a PO pending approval, never one they created."""
    service.require(actor, "approve")
    po = _locked(actor, po_id, version)
    next_status(po.status, "approve")
    if actor.id in authors(po):
        raise Forbidden("Nobody approves a purchase order they created")
    old, _ = po.apply("approve")
    po.approved_by_id = actor.id
    service.event(ev.PurchaseOrderApproved, po, actor.id, old, comment=comment)
    db.session.commit()
    return po


def return_to_buyer(
    *, actor: User, po_id: int, reason: str, version: int | None = None
) -> PurchaseOrder:
    """A ProcurementMgr sends a PO pending approval back to its buyer with a reason: it is a
    Draft again, to edit and resubmit."""
    service.require(actor, "approve")
    po = _locked(actor, po_id, version)
    next_status(po.status, "return")
    if actor.id in authors(po):
        raise Forbidden("Nobody decides on a purchase order they created")
    old, _ = po.apply("return")
    service.event(ev.PurchaseOrderReturned, po, actor.id, old, comment=reason)
    db.session.commit()
    return po


def send(
    *, actor: User, po_id: int, version: int | None = None, comment: str | None = None
) -> PurchaseOrder:
    """Send an Approved PO to its supplier (the e-mail with the PDF follows the event)."""
    service.require(actor, "manage")
    po = _locked(actor, po_id, version)
    old, _ = po.apply("send")
    service.event(ev.PurchaseOrderSent, po, actor.id, old, comment=comment)
    db.session.commit()
    return po


def cancel(*, actor: User, po_id: int, reason: str, version: int | None = None) -> PurchaseOrder:
    """Cancel before sending; the requisition lines go back to the sourcing queue."""
    service.require(actor, "manage")
    po = _locked(actor, po_id, version)
    old, _ = po.apply("cancel")
    po.cancel_reason = reason
    claims.release(line.requisition_item_id for line in po.lines)
    service.event(ev.PurchaseOrderCancelled, po, actor.id, old, comment=reason)
    db.session.commit()
    return po


def close(
    *, actor: User, po_id: int, version: int | None = None, comment: str | None = None
) -> PurchaseOrder:
    """Close a fully received PO."""
    service.require(actor, "manage")
    po = _locked(actor, po_id, version)
    old, _ = po.apply("close")
    service.event(ev.PurchaseOrderClosed, po, actor.id, old, comment=comment)
    db.session.commit()
    return po


def change_status(
    *,
    actor: User,
    po_id: int,
    status: str,
    reason: str | None = None,
    comment: str | None = None,
    version: int | None = None,
) -> PurchaseOrder:
    """``PUT /purchase-orders/{id}/status``: the target status names the transition."""
    if status in (POStatus.PENDING_APPROVAL, POStatus.APPROVED):
        current = service.get(po_id=po_id, actor=actor).status
        if current == POStatus.PENDING_APPROVAL and status == POStatus.APPROVED:
            return approve(actor=actor, po_id=po_id, version=version, comment=comment)
        return submit(actor=actor, po_id=po_id, version=version, comment=comment)
    if status == POStatus.SENT:
        return send(actor=actor, po_id=po_id, version=version, comment=comment)
    if status == POStatus.CANCELLED:
        return cancel(actor=actor, po_id=po_id, version=version, reason=reason or "")
    if status == POStatus.CLOSED:
        return close(actor=actor, po_id=po_id, version=version, comment=comment)
    current = service.get(po_id=po_id, actor=actor).status
    raise InvalidTransition(
        f"A purchase order cannot be moved to {status} by hand"
        + (" (goods receipt sets it)" if "Received" in status else ""),
        details={"status": current, "requested": status},
    )


def apply_receipt(po_id: int, actor: User | None) -> PurchaseOrder:
    """Goods receipt changed lines' ``quantity_received``: move the PO to Partially Received
    or Received. Runs inside the caller's transaction (flushes, never commits)."""
    po = db.session.scalar(
        select(PurchaseOrder)
        .where(PurchaseOrder.id == po_id)
        .with_for_update(of=PurchaseOrder)
        .options(selectinload(PurchaseOrder.lines))
        .execution_options(populate_existing=True)
    )
    if po is None:
        raise NotFound("Purchase order not found")
    if po.status == POStatus.RECEIVED:  # a replacement of returned goods: still Received
        return po
    received = [line.quantity_received >= line.quantity for line in po.lines]
    cls: type[ev._PurchaseOrderEvent]
    if all(received):
        action, cls = "receive_all", ev.PurchaseOrderReceived
    elif any(line.quantity_received > 0 for line in po.lines):
        action, cls = "receive_partial", ev.PurchaseOrderPartiallyReceived
    else:
        return po
    if next_status(po.status, action) == po.status:
        return po
    old, _ = po.apply(action)
    db.session.flush()
    service.event(cls, po, actor.id if actor else None, old)
    return po


def allowed_actions(po: PurchaseOrder, actor: User) -> list[str]:
    """What the UI may offer this user now."""
    actions: list[str] = []
    if actor.can("po", "manage"):
        if po.status == POStatus.DRAFT:
            actions += ["edit", "submit"]
        actions += [a for a in ("send", "close", "cancel") if can(po.status, a)]
    if actor.can("po", "approve") and can(po.status, "approve") and actor.id not in authors(po):
        actions[:0] = ["approve", "return"]
    return actions
