"""List filters for purchase orders: status, supplier, creator, project (a line bought for a
requisition of that project), dates and text search."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select

from reqflow.catalog.models import Supplier
from reqflow.catalog.service import like_pattern
from reqflow.purchasing.models import PurchaseOrder, PurchaseOrderLine
from reqflow.requisitions.models import Requisition, RequisitionItem

SORTABLE = {
    "created_at": PurchaseOrder.created_at,
    "updated_at": PurchaseOrder.updated_at,
    "submitted_at": PurchaseOrder.submitted_at,
    "approved_at": PurchaseOrder.approved_at,
    "sent_at": PurchaseOrder.sent_at,
    "expected_delivery_date": PurchaseOrder.expected_delivery_date,
    "total_amount": PurchaseOrder.total_amount,
    "po_number": PurchaseOrder.po_number,
    "status": PurchaseOrder.status,
    "id": PurchaseOrder.id,
}


def apply_filters(query: Select[Any], args: dict[str, Any]) -> Select[Any]:
    if args.get("status"):
        query = query.where(PurchaseOrder.status.in_(args["status"].split(",")))
    for field in ("supplier_id", "created_by_id"):
        if args.get(field) is not None:
            query = query.where(getattr(PurchaseOrder, field) == args[field])
    if args.get("project_id") is not None:
        query = query.where(PurchaseOrder.id.in_(_project_pos(args["project_id"])))
    if args.get("since") is not None:
        query = query.where(PurchaseOrder.created_at >= args["since"])
    if args.get("until") is not None:
        query = query.where(PurchaseOrder.created_at <= args["until"])
    if args.get("q"):
        pattern = like_pattern(args["q"].strip())
        suppliers = select(Supplier.id).where(Supplier.name.ilike(pattern, escape="\\"))
        query = query.where(
            or_(
                PurchaseOrder.po_number.ilike(pattern, escape="\\"),
                PurchaseOrder.supplier_id.in_(suppliers),
            )
        )
    return query


def _project_pos(project_id: int) -> Select[Any]:
    """The POs with a line bought for a requisition of the project (the spend report's
    project grouping)."""
    return (
        select(PurchaseOrderLine.po_id)
        .join(RequisitionItem, RequisitionItem.id == PurchaseOrderLine.requisition_item_id)
        .join(Requisition, Requisition.id == RequisitionItem.requisition_id)
        .where(Requisition.project_id == project_id)
    )
