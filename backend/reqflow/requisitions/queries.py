"""List filters for requisitions: status, people, project, dates and text search."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, or_, select

from reqflow.requisitions.models import Requisition, RequisitionItem

SORTABLE = {
    "created_at": Requisition.created_at,
    "submitted_at": Requisition.submitted_at,
    "needed_by": Requisition.needed_by,
    "total_amount": Requisition.total_amount,
    "req_number": Requisition.req_number,
    "status": Requisition.status,
    "id": Requisition.id,
}


def _text(query: Select[Any], q: str) -> Select[Any]:
    like = f"%{q.strip()}%"
    in_items = exists(
        select(RequisitionItem.id).where(
            RequisitionItem.requisition_id == Requisition.id,
            RequisitionItem.description.ilike(like),
        )
    )
    return query.where(
        or_(Requisition.req_number.ilike(like), Requisition.justification.ilike(like), in_items)
    )


def apply_filters(query: Select[Any], args: dict[str, Any], user_id: int) -> Select[Any]:
    if args.get("status"):
        query = query.where(Requisition.status.in_(args["status"].split(",")))
    for field in ("requester_id", "department_id", "project_id", "purpose"):
        if args.get(field) is not None:
            query = query.where(getattr(Requisition, field) == args[field])
    if args.get("mine"):
        query = query.where(Requisition.requester_id == user_id)
    if args.get("since") is not None:
        query = query.where(Requisition.created_at >= args["since"])
    if args.get("until") is not None:
        query = query.where(Requisition.created_at <= args["until"])
    if args.get("q"):
        query = _text(query, args["q"])
    return query
