"""Low stock: a draft requisition to replenish an item, and the daily check that tells
Procurement (job ``inventory.low_stock_check``, once per item per day)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from reqflow.catalog.models import Item, Supplier
from reqflow.core.jobs import BULK, job
from reqflow.core.models import utcnow
from reqflow.core.money import quantity as to_quantity
from reqflow.errors import Conflict, Forbidden, NotFound
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.inventory import events as ev
from reqflow.inventory.models import LowStockAlert
from reqflow.inventory.search import available_of, low_stock_query
from reqflow.requisitions import service as requisitions
from reqflow.requisitions.models import Purpose, Requisition


def _active_supplier(supplier_id: int | None) -> int | None:
    if supplier_id is None:
        return None
    supplier = db.session.get(Supplier, supplier_id)
    return supplier_id if supplier is not None and supplier.is_active else None


def requisition_for(
    *,
    actor: User,
    item_id: int,
    quantity: Decimal | None = None,
    needed_by: date | None = None,
) -> Requisition:
    """A Draft requisition for the caller replenishing a low-stock item: by default up to twice
    its reorder level, from its preferred supplier at its last price."""
    if not actor.can("requisition", "create"):
        raise Forbidden("You do not have permission to do this")
    item = db.session.get(Item, item_id)
    if item is None or not item.is_active:
        raise NotFound("Item not found")
    available = available_of(item.id)
    if item.reorder_level <= 0 or available >= item.reorder_level:
        raise Conflict(
            f"{item.sku} is not below its reorder level",
            details={"available": str(available), "reorder_level": str(item.reorder_level)},
        )
    wanted = to_quantity(quantity or item.reorder_level * 2 - available)
    data: dict[str, Any] = {
        "purpose": Purpose.DAILY.value,
        "project_id": None,
        "needed_by": needed_by,
        "justification": (
            f"Replenish {item.sku} {item.name}: {available} {item.uom} available, "
            f"reorder level {to_quantity(item.reorder_level)}"
        ),
        "items": [
            {
                "description": f"{item.sku} {item.name}"[:500],
                "item_id": item.id,
                "quantity": wanted,
                "uom": item.uom,
                "estimated_unit_price": item.last_price or Decimal("0.00"),
                "suggested_supplier_id": _active_supplier(item.preferred_supplier_id),
            }
        ],
    }
    return requisitions.create(actor=actor, data=data)


def _claim_alert(item_id: int, day: date, available: Decimal) -> bool:
    """Insert today's alert row for the item; False when it was already there."""
    table = LowStockAlert.__table__
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = (
        dialect.insert(table)
        .values(item_id=item_id, alert_date=day, available=available, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["item_id", "alert_date"])
        .returning(table.c.id)
    )
    return db.session.execute(stmt).scalar_one_or_none() is not None


@job("inventory.low_stock_check", queue=BULK)
def low_stock_check() -> int:
    """Record LowStockDetected (→ a "low_stock" notification to Procurement) for each item
    below its reorder level, at most once per item per day; returns how many were new."""
    today = utcnow().date()
    found = 0
    for item, available in db.session.execute(low_stock_query()).all():
        available = to_quantity(available or 0)
        if not _claim_alert(item.id, today, available):
            continue
        record(
            ev.LowStockDetected(
                resource_id=item.id,
                sku=item.sku,
                item_name=item.name,
                available=str(available),
                reorder_level=str(to_quantity(item.reorder_level)),
            )
        )
        found += 1
    db.session.commit()
    return found
