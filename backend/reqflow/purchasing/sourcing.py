"""Sourcing: approved requisitions become Draft POs per supplier; the rest wait in the queue."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from reqflow.catalog.models import Supplier
from reqflow.catalog.service import like_pattern
from reqflow.events import record
from reqflow.extensions import db
from reqflow.projects.models import Project
from reqflow.purchasing import events as ev
from reqflow.purchasing import service
from reqflow.purchasing.models import PurchaseOrder, SourcingRun
from reqflow.purchasing.rfq_models import OPEN, Rfq, RfqLine
from reqflow.requisitions.models import Requisition, RequisitionItem
from reqflow.requisitions.models import Status as ReqStatus

QUEUE_SORT = {
    "needed_by": Requisition.needed_by,
    "approved_at": Requisition.approved_at,
    "req_number": Requisition.req_number,
    "line_total": RequisitionItem.line_total,
    "description": RequisitionItem.description,
    "id": RequisitionItem.id,
}


def source_requisition(
    *, requisition_id: int, actor_id: int | None, event_id: str
) -> list[PurchaseOrder]:
    """Gather an approved requisition's lines that name an active supplier into one Draft PO
    per supplier (never another requisition's Draft); the others stay in the queue.
    Runs once per requisition: a redelivered event finds the SourcingRun and does nothing."""
    requisition = db.session.scalar(
        select(Requisition)
        .where(Requisition.id == requisition_id, Requisition.status == ReqStatus.APPROVED)
        .with_for_update(of=Requisition)
    )
    if requisition is None:
        return []
    done = db.session.scalar(
        select(SourcingRun.id).where(SourcingRun.requisition_id == requisition_id)
    )
    if done is not None:
        db.session.rollback()
        return []
    items = list(
        db.session.scalars(
            select(RequisitionItem)
            .where(
                RequisitionItem.requisition_id == requisition_id,
                RequisitionItem.po_line_id.is_(None),
            )
            .order_by(RequisitionItem.line_no)
            .with_for_update(of=RequisitionItem)
        )
    )
    active = set(
        db.session.scalars(
            select(Supplier.id).where(
                Supplier.id.in_(
                    {i.suggested_supplier_id for i in items if i.suggested_supplier_id}
                ),
                Supplier.is_active,
            )
        )
    )
    by_supplier: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        if item.suggested_supplier_id in active:
            by_supplier[item.suggested_supplier_id].append({"requisition_item": item})
    orders = [
        service.new_order(
            supplier_id=supplier_id,
            # Drafted by the system, not by whoever gave the last approval: otherwise that
            # approver (possibly the only ProcurementMgr) could never approve the PO.
            created_by_id=None,
            actor_id=actor_id,
            lines=lines,
            expected_delivery_date=service.expected_from(requisition.needed_by),
            notes=f"From requisition {requisition.req_number}",
        )
        for supplier_id, lines in sorted(by_supplier.items())
    ]
    unsourced = sum(1 for item in items if item.suggested_supplier_id not in active)
    db.session.add(
        SourcingRun(
            requisition_id=requisition_id,
            event_id=event_id,
            po_count=len(orders),
            unsourced_count=unsourced,
        )
    )
    record(
        ev.RequisitionSourced(
            actor_id=actor_id,
            resource_id=requisition_id,
            req_number=requisition.req_number,
            requester_id=requisition.requester_id,
            status=requisition.status,
            po_ids=[po.id for po in orders],
            unsourced_count=unsourced,
            new_values={"purchase_orders": [po.po_number for po in orders]},
        )
    )
    db.session.commit()
    return orders


def queue_query(args: dict[str, Any]) -> Select[Any]:
    """Approved requisitions' lines without a PO line, with the list filters."""
    query = (
        select(RequisitionItem)
        .join(Requisition, Requisition.id == RequisitionItem.requisition_id)
        .where(Requisition.status == ReqStatus.APPROVED, RequisitionItem.po_line_id.is_(None))
        .options(joinedload(RequisitionItem.requisition).joinedload(Requisition.requester))
    )
    if args.get("q"):
        pattern = like_pattern(args["q"].strip())
        query = query.where(
            or_(
                RequisitionItem.description.ilike(pattern, escape="\\"),
                Requisition.req_number.ilike(pattern, escape="\\"),
            )
        )
    for field, column in (
        ("project_id", Requisition.project_id),
        ("requisition_id", Requisition.id),
        ("supplier_id", RequisitionItem.suggested_supplier_id),
        ("sourcing_status", RequisitionItem.sourcing_status),
    ):
        if args.get(field) is not None:
            query = query.where(column == args[field])
    return query


def _names(model: Any, ids: set[int], *columns: Any) -> dict[int, Any]:
    if not ids:
        return {}
    rows = db.session.execute(select(model.id, *columns).where(model.id.in_(ids))).all()
    return {row[0]: row for row in rows}


def queue_rows(items: list[RequisitionItem]) -> list[dict[str, Any]]:
    """Queue lines with their requisition, requester, project, supplier and open RFQ."""
    reqs = [item.requisition for item in items]
    projects = _names(
        Project, {r.project_id for r in reqs if r.project_id}, Project.code, Project.name
    )
    suppliers = _names(
        Supplier,
        {i.suggested_supplier_id for i in items if i.suggested_supplier_id},
        Supplier.code,
        Supplier.name,
    )
    open_rfqs = db.session.execute(
        select(RfqLine.requisition_item_id, Rfq.rfq_number)
        .join(Rfq, Rfq.id == RfqLine.rfq_id)
        .where(
            RfqLine.requisition_item_id.in_([i.id for i in items]),
            Rfq.status.in_([s.value for s in OPEN]),
        )
    ).all()
    rfqs: dict[int, str] = {item_id: number for item_id, number in open_rfqs}
    rows = []
    for item in items:
        req = item.requisition
        project = projects.get(req.project_id) if req.project_id else None
        supplier = suppliers.get(item.suggested_supplier_id or 0)
        rows.append(
            {
                "requisition_item_id": item.id,
                "requisition_id": req.id,
                "req_number": req.req_number,
                "requester": req.requester,
                "project": {"id": project[0], "code": project[1], "name": project[2]}
                if project
                else None,
                "line_no": item.line_no,
                "description": item.description,
                "item_id": item.item_id,
                "quantity": item.quantity,
                "uom": item.uom,
                "estimated_unit_price": item.estimated_unit_price,
                "line_total": item.line_total,
                "needed_by": req.needed_by,
                "approved_at": req.approved_at,
                "suggested_supplier": {"id": supplier[0], "code": supplier[1], "name": supplier[2]}
                if supplier
                else None,
                "sourcing_status": item.sourcing_status,
                "rfq_number": rfqs.get(item.id),
            }
        )
    return rows
