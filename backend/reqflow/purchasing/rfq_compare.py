"""The side-by-side comparison of an RFQ: per line, every invited supplier's quote, with the
cheapest and fastest marked (all tied quotes are marked)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from reqflow.catalog.models import Supplier
from reqflow.core.money import money
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.purchasing.models import PurchaseOrder
from reqflow.purchasing.rfq_models import Rfq, RfqLine, RfqQuote, RfqStatus
from reqflow.requisitions.models import Requisition, RequisitionItem


def _cell(line: RfqLine, supplier: Supplier, quote: RfqQuote | None) -> dict[str, Any]:
    if quote is None:
        return {
            "supplier_id": supplier.id,
            "supplier_name": supplier.name,
            "quoted": False,
            "unit_price": None,
            "line_total": None,
            "lead_time_days": None,
            "valid_until": None,
            "notes": None,
            "expired": False,
            "cheapest": False,
            "fastest": False,
            "awarded": False,
        }
    return {
        "supplier_id": supplier.id,
        "supplier_name": supplier.name,
        "quoted": True,
        "unit_price": quote.unit_price,
        "line_total": money(Decimal(line.quantity) * Decimal(quote.unit_price)),
        "lead_time_days": quote.lead_time_days,
        "valid_until": quote.valid_until,
        "notes": quote.notes,
        "expired": quote.valid_until is not None and quote.valid_until < date.today(),
        "cheapest": False,
        "fastest": False,
        "awarded": line.awarded_supplier_id == supplier.id,
    }


def _mark(cells: list[dict[str, Any]]) -> None:
    quoted = [c for c in cells if c["quoted"]]
    if not quoted:
        return
    low = min(c["unit_price"] for c in quoted)
    quick = min(c["lead_time_days"] for c in quoted)
    for cell in quoted:
        cell["cheapest"] = cell["unit_price"] == low
        cell["fastest"] = cell["lead_time_days"] == quick


def _req_numbers(item_ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(RequisitionItem.id, Requisition.req_number)
        .join(Requisition, Requisition.id == RequisitionItem.requisition_id)
        .where(RequisitionItem.id.in_(item_ids))
    ).all()
    return {item_id: number for item_id, number in rows}


def _orders(rfq: Rfq) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(PurchaseOrder).where(PurchaseOrder.rfq_id == rfq.id).order_by(PurchaseOrder.id)
    )
    return [
        {
            "id": po.id,
            "po_number": po.po_number,
            "supplier_id": po.supplier_id,
            "status": po.status,
            "total_amount": po.total_amount,
        }
        for po in rows
    ]


def _totals(suppliers: list[Supplier], lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    totals = []
    for index, supplier in enumerate(suppliers):
        cells = [line["quotes"][index] for line in lines if line["quotes"][index]["quoted"]]
        totals.append(
            {
                "supplier_id": supplier.id,
                "supplier_name": supplier.name,
                "quoted_lines": len(cells),
                "total": money(sum((c["line_total"] for c in cells), Decimal("0"))),
                "max_lead_time_days": max((c["lead_time_days"] for c in cells), default=None),
            }
        )
    return totals


def comparison(rfq: Rfq, actor: User) -> dict[str, Any]:
    """The RFQ with its comparison grid, supplier totals and resulting POs."""
    suppliers = [s.supplier for s in rfq.suppliers]
    quotes = {(q.rfq_line_id, q.supplier_id): q for q in rfq.quotes}
    numbers = _req_numbers([line.requisition_item_id for line in rfq.lines])
    lines = []
    for line in rfq.lines:
        cells = [_cell(line, s, quotes.get((line.id, s.id))) for s in suppliers]
        _mark(cells)
        lines.append(
            {
                "id": line.id,
                "line_no": line.line_no,
                "requisition_item_id": line.requisition_item_id,
                "req_number": numbers.get(line.requisition_item_id),
                "description": line.description,
                "quantity": line.quantity,
                "uom": line.uom,
                "awarded_supplier_id": line.awarded_supplier_id,
                "quotes": cells,
            }
        )
    actions = {
        RfqStatus.DRAFT: ["send", "cancel"],
        RfqStatus.SENT: ["quote", "close", "award", "cancel"],
        RfqStatus.CLOSED: ["award", "cancel"],
    }.get(RfqStatus(rfq.status), [])
    return {
        "id": rfq.id,
        "rfq_number": rfq.rfq_number,
        "status": rfq.status,
        "title": rfq.title,
        "due_date": rfq.due_date,
        "notes": rfq.notes,
        "created_by": rfq.created_by,
        "created_at": rfq.created_at,
        "updated_at": rfq.updated_at,
        "version": rfq.version,
        "line_count": len(rfq.lines),
        "supplier_count": len(suppliers),
        "suppliers": suppliers,
        "lines": lines,
        "supplier_totals": _totals(suppliers, lines),
        "purchase_orders": _orders(rfq),
        "allowed_actions": actions if actor.can("rfq", "manage") else [],
    }
