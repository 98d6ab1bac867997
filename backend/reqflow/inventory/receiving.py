"""Receiving helpers: lock a PO's lines, check the incoming quantities against everything
received so far (plus the tolerance), and build the receipt lines."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import select

from reqflow.core.money import quantity
from reqflow.errors import ValidationFailed
from reqflow.extensions import db
from reqflow.inventory import locations
from reqflow.inventory.ledger import StockKey
from reqflow.inventory.models import GoodsReceiptLine, LineStatus
from reqflow.purchasing.models import PurchaseOrderLine
from reqflow.requisitions.models import Requisition, RequisitionItem


def tolerance_percent() -> Decimal:
    """How far over the ordered quantity a line may be received, in percent (default 0)."""
    return Decimal(str(current_app.config.get("RECEIPT_TOLERANCE_PERCENT", 0)))


def lock_lines(po_id: int) -> dict[int, PurchaseOrderLine]:
    rows = db.session.scalars(
        select(PurchaseOrderLine)
        .where(PurchaseOrderLine.po_id == po_id)
        .order_by(PurchaseOrderLine.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {line.id: line for line in rows}


def room_of(po_line: PurchaseOrderLine, factor: Decimal) -> Decimal:
    """What may still arrive: the ordered quantity (plus tolerance) less what was received,
    plus what went back to the supplier and is to be replaced (returned, not credited)."""
    room = po_line.quantity * factor - po_line.quantity_received + po_line.quantity_replaceable
    return max(quantity(room), Decimal("0.000"))


def check_lines(po_lines: dict[int, PurchaseOrderLine], lines: list[dict[str, Any]]) -> None:
    """422 per line: unknown PO line, unknown or inactive location, or over the ordered
    quantity (plus tolerance) counting every earlier receipt of that line."""
    errors: dict[int, dict[str, list[str]]] = defaultdict(dict)
    good_locations = locations.active_ids({x["location_id"] for x in lines})
    incoming: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        incoming[line["po_line_id"]] += line["quantity"]
    factor = 1 + tolerance_percent() / 100
    for index, line in enumerate(lines):
        po_line = po_lines.get(line["po_line_id"])
        if po_line is None:
            errors[index]["po_line_id"] = ["Not a line of this purchase order."]
        elif incoming[po_line.id] > room_of(po_line, factor):
            replace = po_line.quantity_replaceable
            to_replace = f", {quantity(replace)} returned to be replaced" if replace else ""
            errors[index]["quantity"] = [
                f"Over the ordered quantity: ordered {quantity(po_line.quantity)}, already "
                f"received {quantity(po_line.quantity_received)}{to_replace}, at most "
                f"{room_of(po_line, factor)} more."
            ]
        if line["location_id"] not in good_locations:
            errors[index]["location_id"] = ["No such active storage location."]
    if errors:
        raise ValidationFailed("Validation failed", details={"lines": dict(errors)})


def requesters_of(po_lines: list[PurchaseOrderLine]) -> dict[int, int]:
    """requisition item id → requester id, for the requisitioned lines."""
    ids = {line.requisition_item_id for line in po_lines if line.requisition_item_id}
    if not ids:
        return {}
    rows = db.session.execute(
        select(RequisitionItem.id, Requisition.requester_id)
        .join(Requisition, Requisition.id == RequisitionItem.requisition_id)
        .where(RequisitionItem.id.in_(ids))
    ).all()
    return {item_id: requester_id for item_id, requester_id in rows}


def stock_key(line: GoodsReceiptLine) -> StockKey:
    return StockKey.for_po_line(line.po_line_id, line.item_id, line.description, line.uom)


def build_lines(
    po_lines: dict[int, PurchaseOrderLine], lines: list[dict[str, Any]]
) -> list[GoodsReceiptLine]:
    requesters = requesters_of([po_lines[x["po_line_id"]] for x in lines])
    built = []
    for data in lines:
        po_line = po_lines[data["po_line_id"]]
        po_line.quantity_received = quantity(po_line.quantity_received + data["quantity"])
        requester = requesters.get(po_line.requisition_item_id or 0)
        key = StockKey.for_po_line(po_line.id, po_line.item_id, po_line.description, po_line.uom)
        built.append(
            GoodsReceiptLine(
                po_line_id=po_line.id,
                item_id=po_line.item_id,
                stock_key=key.key,
                description=po_line.description,
                uom=po_line.uom,
                quantity=data["quantity"],
                condition=data["condition"],
                location_id=data["location_id"],
                status=LineStatus.PENDING if po_line.requisition_item_id else LineStatus.STOCKED,
                requester_id=requester,
            )
        )
    return built
