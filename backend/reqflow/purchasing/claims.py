"""Claiming sourcing-queue lines (approved requisition items without a PO line).

A line is claimed under a row lock (``SELECT … FOR UPDATE``): of two transactions racing for
the same line, the second waits, then sees the first one's PO line and gets a 409.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update

from reqflow.errors import Conflict, ValidationFailed
from reqflow.extensions import db
from reqflow.purchasing.models import PurchaseOrderLine
from reqflow.requisitions.models import Requisition, RequisitionItem
from reqflow.requisitions.models import Status as ReqStatus

UNSOURCED = "Unsourced"
QUOTING = "Quoting"
ORDERED = "Ordered"
# What a requisition line on a purchase order says, by the order's status: "Ordered" only
# once the order went to the supplier.
LINE_STATUS = {
    "Draft": "On Draft PO",
    "Pending Approval": "PO Pending Approval",
    "Approved": "PO Approved",
    "Sent": ORDERED,
    "Partially Received": "Partially Received",
    "Received": "Received",
    "Closed": "Received",
}


def lock_queue_items(item_ids: Iterable[int]) -> dict[int, RequisitionItem]:
    """Lock these queue lines; 422 for ids that are no approved requisition's lines,
    409 for lines already on a purchase order."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    query = (
        select(RequisitionItem)
        .join(Requisition, Requisition.id == RequisitionItem.requisition_id)
        .where(RequisitionItem.id.in_(ids), Requisition.status == ReqStatus.APPROVED)
        .order_by(RequisitionItem.id)
        .with_for_update(of=RequisitionItem)
        .execution_options(populate_existing=True)
    )
    items = {item.id: item for item in db.session.scalars(query)}
    unknown = [i for i in ids if i not in items]
    if unknown:
        raise ValidationFailed(
            "Validation failed",
            details={
                "requisition_item_id": [
                    f"{i}: not a line of an approved requisition." for i in unknown
                ]
            },
        )
    taken = [i for i in ids if items[i].po_line_id is not None]
    if taken:
        raise Conflict(
            "These requisition lines are already on a purchase order",
            details={"requisition_item_ids": taken},
        )
    return items


def claim(item: RequisitionItem, po_line_id: int) -> None:
    """The locked item is now covered by this PO line (it leaves the queue)."""
    item.po_line_id = po_line_id
    item.sourcing_status = LINE_STATUS["Draft"]


def follow_order(po_id: int, po_status: str) -> None:
    """The requisition lines on this order say where it stands now."""
    label = LINE_STATUS.get(po_status)
    if label is None:  # cancelled: the lines were released to the queue
        return
    db.session.execute(
        update(RequisitionItem)
        .where(
            RequisitionItem.po_line_id.in_(
                select(PurchaseOrderLine.id).where(PurchaseOrderLine.po_id == po_id)
            ),
            RequisitionItem.sourcing_status != label,
        )
        .values(sourcing_status=label)
        .execution_options(synchronize_session=False)
    )


def mark_quoting(items: Iterable[RequisitionItem]) -> None:
    for item in items:
        item.sourcing_status = QUOTING


def release(item_ids: Iterable[int | None]) -> None:
    """Put requisition items back into the queue (PO cancelled or line removed)."""
    ids = sorted({i for i in item_ids if i is not None})
    if ids:
        db.session.execute(
            update(RequisitionItem)
            .where(RequisitionItem.id.in_(ids))
            .values(po_line_id=None, sourcing_status=UNSOURCED)
            .execution_options(synchronize_session="fetch")
        )


def unquote(item_ids: Iterable[int]) -> None:
    """Items of a cancelled RFQ, or not awarded, are plainly unsourced again."""
    ids = sorted(set(item_ids))
    if ids:
        db.session.execute(
            update(RequisitionItem)
            .where(
                RequisitionItem.id.in_(ids),
                RequisitionItem.po_line_id.is_(None),
                RequisitionItem.sourcing_status == QUOTING,
            )
            .values(sourcing_status=UNSOURCED)
            .execution_options(synchronize_session="fetch")
        )
