"""A requisition's detail read from Core rows (issue 17), as the list page is (list_rows): the
record with the names it shows from one prebuilt statement, its lines with their supplier and
catalog item from a second, each shaped exactly as ``RequisitionDetail`` dumps them (the same
keys, order and formats; ``tests/integration/test_request_cost.py`` holds the two side by
side), without loading ORM objects or walking marshmallow fields."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import bindparam, select

from reqflow.catalog.models import Item, Supplier
from reqflow.core.money import MILLI
from reqflow.extensions import db
from reqflow.requisitions import list_rows
from reqflow.requisitions.models import Requisition, RequisitionItem

_R = Requisition.__table__
_LINES = RequisitionItem.__table__
_SUPPLIER = Supplier.__table__
_ITEM = Item.__table__

RECORD_ROW = list_rows.named(select(*list_rows.RECORD_COLUMNS)).where(
    _R.c.id == bindparam("requisition_id")
)

LINE_ROWS = (
    select(
        _LINES.c.id,
        _LINES.c.line_no,
        _LINES.c.description,
        _LINES.c.item_id,
        _LINES.c.quantity,
        _LINES.c.uom,
        _LINES.c.estimated_unit_price,
        _LINES.c.line_total,
        _LINES.c.suggested_supplier_id,
        _SUPPLIER.c.code.label("supplier_code"),
        _SUPPLIER.c.name.label("supplier_name"),
        _ITEM.c.sku.label("item_sku"),
        _ITEM.c.name.label("item_name"),
        _LINES.c.po_line_id,
        _LINES.c.sourcing_status,
    )
    .select_from(_LINES)
    .outerjoin(_SUPPLIER, _SUPPLIER.c.id == _LINES.c.suggested_supplier_id)
    .outerjoin(_ITEM, _ITEM.c.id == _LINES.c.item_id)
    .where(_LINES.c.requisition_id == bindparam("requisition_id"))
    .order_by(_LINES.c.line_no, _LINES.c.id)
)


def record_row(requisition_id: int, visible: Any) -> Any | None:
    """The requisition's record if ``visible`` (a where clause, or None for all) lets it be
    seen; None when it is hidden or absent."""
    query = RECORD_ROW if visible is None else RECORD_ROW.where(visible)
    params = {"requisition_id": requisition_id}
    return db.session.connection().execute(query, params).first()


def line_rows(requisition_id: int) -> list[Any]:
    """The requisition's lines in order."""
    params = {"requisition_id": requisition_id}
    return list(db.session.connection().execute(LINE_ROWS, params))


def _quantity(value: Any) -> str | None:
    """As ``Quantity()`` writes it."""
    if value is None:
        return None
    return str(Decimal(value).quantize(MILLI, rounding=ROUND_HALF_UP))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def line_dict(r: Any) -> dict[str, Any]:
    """One line, in ``RequisitionItemRead``'s field order and formats."""
    money = list_rows.money_text
    return {
        "id": r.id,
        "line_no": r.line_no,
        "description": _text(r.description),
        "item_id": r.item_id,
        "quantity": _quantity(r.quantity),
        "uom": _text(r.uom),
        "estimated_unit_price": money(r.estimated_unit_price),
        "line_total": money(r.line_total),
        "suggested_supplier_id": r.suggested_supplier_id,
        "suggested_supplier": None
        if r.suggested_supplier_id is None
        else {"id": r.suggested_supplier_id, "code": r.supplier_code, "name": r.supplier_name},
        "catalog_item": None
        if r.item_id is None
        else {"id": r.item_id, "sku": r.item_sku, "name": r.item_name},
        "po_line_id": r.po_line_id,
        "sourcing_status": _text(r.sourcing_status),
    }


def record_dict(record: Any, lines: list[Any]) -> dict[str, Any]:
    """The record and its lines as ``RequisitionDetail`` dumps them, up to ``items``."""
    body = list_rows.record_dict(record, len(lines))
    body["items"] = [line_dict(line) for line in lines]
    return body
