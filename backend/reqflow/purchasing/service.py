"""Purchase order use cases: read, create, edit a Draft; each public function is one transaction.

Status changes live in ``transitions``; queue claims in ``claims``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import selectinload

from reqflow.catalog.models import Item, Supplier
from reqflow.core.money import money
from reqflow.core.numbering import next_number
from reqflow.core.versioning import expect_version
from reqflow.errors import Conflict, Forbidden, NotFound, ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.identity.permissions import Role
from reqflow.projects import service as projects
from reqflow.purchasing import claims
from reqflow.purchasing import events as ev
from reqflow.purchasing.models import (
    COMMITTED,
    DEFAULT_TAX_RATE,
    WAREHOUSE_VISIBLE,
    POStatus,
    PurchaseOrder,
    PurchaseOrderLine,
)
from reqflow.requisitions.models import Requisition, RequisitionItem

PO_PERMISSIONS = ("view", "create", "manage", "approve")


def require(actor: User, action: str) -> None:
    if not actor.can("po", action):
        raise Forbidden("You do not have permission to do this")


def can_view_any(user: User) -> bool:
    return any(user.can("po", action) for action in PO_PERMISSIONS)


def visible_query(user: User) -> Select[Any]:
    """POs the user may see: all for buyers, managers and accounts; Warehouse sees approved
    and later ones; nothing for anyone else (resources answer 403 before asking)."""
    query = select(PurchaseOrder)
    if not can_view_any(user):
        return query.where(false())
    if user.role == Role.WAREHOUSE:
        return query.where(PurchaseOrder.status.in_([s.value for s in WAREHOUSE_VISIBLE]))
    return query


def get(*, po_id: int, actor: User, lock: bool = False) -> PurchaseOrder:
    """One PO the actor may see (404 otherwise, whether absent or hidden)."""
    query = visible_query(actor).where(PurchaseOrder.id == po_id)
    if lock:
        query = query.with_for_update(of=PurchaseOrder).execution_options(populate_existing=True)
    po = db.session.scalar(
        query.options(selectinload(PurchaseOrder.lines), selectinload(PurchaseOrder.supplier))
    )
    if po is None:
        raise NotFound("Purchase order not found")
    return po


def event(
    cls: type[ev._PurchaseOrderEvent],
    po: PurchaseOrder,
    actor_id: int | None,
    old: str | None = None,
    **extra: Any,
) -> None:
    """Record a PO event (outbox + audit row) in the current transaction; the requisition
    lines on the order follow its status."""
    claims.follow_order(po.id, po.status)
    extra.setdefault("old_values", {"status": old} if old else None)
    extra.setdefault("new_values", {"status": po.status, "total_amount": str(po.total_amount)})
    record(
        cls(
            actor_id=actor_id,
            resource_id=po.id,
            po_number=po.po_number,
            supplier_id=po.supplier_id,
            status=po.status,
            total_amount=str(po.total_amount),
            created_by_id=po.created_by_id,
            submitted_by_id=po.submitted_by_id,
            **extra,
        )
    )


def default_tax_rate() -> Decimal:
    return Decimal(str(current_app.config.get("PO_DEFAULT_TAX_RATE", DEFAULT_TAX_RATE)))


def check_references(supplier_id: int | None, item_ids: set[int]) -> None:
    """422 for an unknown or inactive supplier or catalog item."""
    errors: dict[str, list[str]] = {}
    if supplier_id is not None:
        supplier = db.session.get(Supplier, supplier_id)
        if supplier is None or not supplier.is_active:
            errors["supplier_id"] = ["No such active supplier."]
    if item_ids:
        known = set(db.session.scalars(select(Item.id).where(Item.id.in_(item_ids))))
        if item_ids - known:
            errors["item_id"] = [f"{i}: no such catalog item." for i in sorted(item_ids - known)]
    if errors:
        raise ValidationFailed("Validation failed", details=errors)


def new_order(
    *,
    supplier_id: int,
    created_by_id: int | None,
    lines: list[dict[str, Any]],
    actor_id: int | None = None,
    **header: Any,
) -> PurchaseOrder:
    """A Draft PO with these lines; each line dict may carry its locked ``requisition_item``.
    Claims the requisition items and records PurchaseOrderCreated (no commit)."""
    header = {k: v for k, v in header.items() if v is not None}
    header.setdefault("tax_rate", default_tax_rate())
    po = PurchaseOrder(
        po_number=next_number("PO"),
        supplier_id=supplier_id,
        status=POStatus.DRAFT,
        created_by_id=created_by_id,
        **header,
    )
    db.session.add(po)
    _set_lines(po, lines)
    db.session.flush()
    # The audit names who caused it: the creator, or the approval that drafted it.
    event(ev.PurchaseOrderCreated, po, actor_id or created_by_id, new_values=po.audit_view())
    return po


def _line(data: dict[str, Any]) -> PurchaseOrderLine:
    """A PO line from explicit values, defaulting to its requisition item's."""
    item: RequisitionItem | None = data.get("requisition_item")
    quantity: Any = data.get("quantity") or (item.quantity if item else None)
    unit_price: Any = data.get("unit_price")
    if unit_price is None and item is not None:
        unit_price = item.estimated_unit_price
    return PurchaseOrderLine(
        requisition_item_id=item.id if item else None,
        item_id=data.get("item_id") or (item.item_id if item else None),
        description=data.get("description") or (item.description if item else ""),
        quantity=quantity,
        uom=data.get("uom") or (item.uom if item else "EA"),
        unit_price=unit_price,
        line_total=money(Decimal(quantity) * Decimal(unit_price)),
    )


def _set_lines(po: PurchaseOrder, lines: list[dict[str, Any]]) -> None:
    """Replace the lines (kept ones are PurchaseOrderLine objects), number them, claim the
    new requisition items and recompute the totals."""
    built = [data if isinstance(data, PurchaseOrderLine) else _line(data) for data in lines]
    po.lines = built
    for line_no, line in enumerate(built, start=1):
        line.line_no = line_no
    db.session.flush()
    for data, line in zip(lines, built, strict=True):
        if isinstance(data, dict) and data.get("requisition_item") is not None:
            claims.claim(data["requisition_item"], line.id)
    po.recompute_totals()


def _resolve_queue_lines(lines: list[dict[str, Any]], skip: set[int] | None = None) -> None:
    """Lock the requisition items the lines name and attach them (``requisition_item``)."""
    named = [line["requisition_item_id"] for line in lines if line.get("requisition_item_id")]
    if len(named) != len(set(named)):
        raise ValidationFailed(
            "Validation failed",
            details={"lines": ["A requisition line can appear only once."]},
        )
    items = claims.lock_queue_items(i for i in named if i not in (skip or set()))
    for line in lines:
        if line.get("requisition_item_id") in items:
            line["requisition_item"] = items[line["requisition_item_id"]]


def create(*, actor: User, data: dict[str, Any]) -> PurchaseOrder:
    """Build a Draft PO for one supplier from queue lines and/or free lines."""
    require(actor, "create")
    lines = data.pop("lines")
    check_references(data["supplier_id"], {x["item_id"] for x in lines if x.get("item_id")})
    _resolve_queue_lines(lines)
    po = new_order(supplier_id=data.pop("supplier_id"), created_by_id=actor.id, lines=lines, **data)
    db.session.commit()
    return po


def _merge_lines(po: PurchaseOrder, lines: list[dict[str, Any]]) -> list[Any]:
    """Edited lines: existing ones (by ``id`` or by their requisition item) are updated in
    place, the others are new; lines left out release their requisition items."""
    by_id = {line.id: line for line in po.lines}
    by_item = {line.requisition_item_id: line for line in po.lines if line.requisition_item_id}
    unknown = [x["id"] for x in lines if x.get("id") and x["id"] not in by_id]
    if unknown:
        raise ValidationFailed(
            "Validation failed",
            details={"lines": [f"{i}: not a line of this order." for i in unknown]},
        )
    merged: list[Any] = []
    for data in lines:
        line = by_id.get(data.get("id") or 0) or by_item.get(data.get("requisition_item_id") or 0)
        if line is None:
            merged.append(data)
            continue
        if any(line is other for other in merged):
            raise ValidationFailed(
                "Validation failed", details={"lines": [f"{line.id}: the line appears twice."]}
            )
        for field in ("description", "quantity", "uom", "unit_price", "item_id"):
            if data.get(field) is not None:
                setattr(line, field, data[field])
        line.line_total = money(Decimal(line.quantity) * Decimal(line.unit_price))
        merged.append(line)
    kept = {id(line) for line in merged}
    claims.release(line.requisition_item_id for line in po.lines if id(line) not in kept)
    return merged


def update(*, actor: User, po_id: int, data: dict[str, Any]) -> PurchaseOrder:
    """Edit a Draft: lines, prices, tax rate, delivery address and date (optimistic locking)."""
    require(actor, "manage")
    po = get(po_id=po_id, actor=actor, lock=True)
    expect_version(po, data.pop("version"), "purchase order")
    if po.status != POStatus.DRAFT:
        raise Conflict(
            f"A {po.status} purchase order cannot be edited", details={"status": po.status}
        )
    before = po.audit_view()
    lines = data.pop("lines", None)
    for field, value in data.items():
        setattr(po, field, value)
    if lines is not None:
        check_references(None, {x["item_id"] for x in lines if x.get("item_id")})
        mine = {line.requisition_item_id for line in po.lines if line.requisition_item_id}
        _resolve_queue_lines(lines, skip=mine)
        _set_lines(po, _merge_lines(po, lines))
    po.recompute_totals()
    db.session.flush()
    after = po.audit_view()
    changed = [k for k in after if after[k] != before[k]]
    event(
        ev.PurchaseOrderUpdated,
        po,
        actor.id,
        old_values={k: before[k] for k in changed},
        new_values={k: after[k] for k in changed},
    )
    db.session.commit()
    return po


def linked_requisitions(po_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """For each PO, the requisitions its lines come from: ``[{id, req_number}]``."""
    rows = db.session.execute(
        select(PurchaseOrderLine.po_id, Requisition.id, Requisition.req_number)
        .join(RequisitionItem, RequisitionItem.id == PurchaseOrderLine.requisition_item_id)
        .join(Requisition, Requisition.id == RequisitionItem.requisition_id)
        .where(PurchaseOrderLine.po_id.in_(po_ids))
        .distinct()
        .order_by(Requisition.id)
    ).all()
    linked: dict[int, list[dict[str, Any]]] = {po_id: [] for po_id in po_ids}
    for po_id, req_id, number in rows:
        linked[po_id].append({"id": req_id, "req_number": number})
    return linked


def expected_from(needed_by: date | None) -> date | None:
    return needed_by if needed_by and needed_by >= date.today() else None


def committed_po_amounts(project_ids: list[int]) -> dict[int, Decimal]:
    """Committed spend source: lines of non-cancelled POs ordered for project requisitions."""
    rows = db.session.execute(
        select(Requisition.project_id, func.coalesce(func.sum(PurchaseOrderLine.line_total), 0))
        .join(RequisitionItem, RequisitionItem.requisition_id == Requisition.id)
        .join(PurchaseOrderLine, PurchaseOrderLine.requisition_item_id == RequisitionItem.id)
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.po_id)
        .where(
            Requisition.project_id.in_(project_ids),
            PurchaseOrder.status.in_([s.value for s in COMMITTED]),
        )
        .group_by(Requisition.project_id)
    ).all()
    return {pid: Decimal(total) for pid, total in rows}


projects.register_commitment_source(committed_po_amounts)
