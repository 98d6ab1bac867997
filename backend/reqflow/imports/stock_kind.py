"""Opening stock balances: the Available quantity of an item at a location, set to the
file's figure by one adjustment in the stock ledger (re-importing the same file is a no-op)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from marshmallow import Schema, fields
from sqlalchemy import select, tuple_

from reqflow.catalog.models import Item
from reqflow.core.money import Money, Quantity
from reqflow.events import audit_only
from reqflow.extensions import db
from reqflow.imports.columns import Column, coerce
from reqflow.imports.kinds import Errors, Kind, Plan, Ref, load_row
from reqflow.inventory import events as inventory_events
from reqflow.inventory import ledger
from reqflow.inventory.ledger import EntryType, Move, StockBalance, StockKey
from reqflow.inventory.models import StockStatus, StorageLocation

ZERO = Decimal("0")
AVAILABLE = StockStatus.AVAILABLE


class StockRow(Schema):
    item_sku = fields.String(required=True)
    location_code = fields.String(required=True)
    quantity = Quantity(required=True, minimum=ZERO)
    unit_cost = Money(minimum=ZERO, allow_none=True, load_default=None)


class StockKind(Kind):
    name, title = "stock", "Opening stock balances"
    refs = (
        Ref("item_sku", Item, "sku", "item_id", "item with SKU"),
        Ref("location_code", StorageLocation, "code", "location_id", "location"),
    )
    columns = (
        Column("item_sku", True, "SKU of an existing item", "BRG-6204"),
        Column("location_code", True, "Code of an existing storage location", "A-01-03"),
        Column("quantity", True, "Available quantity on hand (≥ 0)", "120", kind="decimal"),
        Column("unit_cost", False, "Unit cost, recorded with the balance", "4.20", kind="decimal"),
    )

    def key_label(self) -> str:
        return "item_sku + location_code"

    def key_of(self, values: dict[str, Any]) -> Any:
        sku = coerce(self.columns[0], values.get("item_sku"))
        code = coerce(self.columns[1], values.get("location_code"))
        if sku is None or code is None:
            return None
        return (str(sku).upper(), str(code).upper())

    def existing(self, keys: list[Any]) -> dict[Any, Any]:
        """Current Available balances by (item id, location id), after the refs are known."""
        pairs = []
        for key in keys:
            if key is None:
                continue
            item_id = self._refs["item_sku"].get(key[0])
            location_id = self._refs["location_code"].get(key[1])
            if item_id and location_id:
                pairs.append((f"item:{item_id}", location_id))
        if not pairs:
            return {}
        table = StockBalance.__table__
        rows = db.session.execute(
            select(table.c.stock_key, table.c.location_id, table.c.quantity).where(
                tuple_(table.c.stock_key, table.c.location_id).in_(pairs),
                table.c.status == AVAILABLE,
            )
        )
        return {(k, loc): qty for k, loc, qty in rows}

    def plan(self, values: dict[str, Any]) -> tuple[Plan | None, Errors]:
        data, errors = load_row(StockRow(), self.columns, values)
        item_id = self._refs["item_sku"].get(str(values.get("item_sku") or "").strip().upper())
        location_id = self._refs["location_code"].get(
            str(values.get("location_code") or "").strip().upper()
        )
        if values.get("item_sku") and item_id is None:
            errors.append(("item_sku", f"No item with SKU {str(values['item_sku']).strip()!r}."))
        if values.get("location_code") and location_id is None:
            errors.append(
                ("location_code", f"No location {str(values['location_code']).strip()!r}.")
            )
        if data is None or errors:
            return None, errors
        key = (f"item:{item_id}", location_id)
        current = self._existing.get(key)
        target = {"item_id": item_id, "location_id": location_id, **data}
        if current is None:
            action = "create" if data["quantity"] > 0 else "skip"
            return Plan(action, key, target, ZERO), []
        if Decimal(current) == data["quantity"]:
            return Plan("skip", key, target, current), []
        return Plan("update", key, target, current, {"quantity": data["quantity"]}), []

    def apply(self, plans: list[Plan], actor_id: int) -> None:
        for plan in plans:
            if plan.action in ("create", "update"):
                _set_balance(plan, actor_id)


def _set_balance(plan: Plan, actor_id: int) -> None:
    item = db.session.get(Item, plan.fields["item_id"])
    assert item is not None
    key = StockKey.for_item(item.id, item.name, item.uom)
    old = Decimal(plan.target or 0)
    new = plan.fields["quantity"]
    cost = plan.fields.get("unit_cost")
    note = "Opening balance" + (f" at unit cost {cost}" if cost is not None else "")
    operation = ledger.post(
        [Move(key, plan.fields["location_id"], AVAILABLE, new - old)],
        entry_type=EntryType.ADJUSTMENT,
        actor_id=actor_id,
        reference="IMPORT",
        note=note,
    )
    audit_only(
        inventory_events.StockAdjusted(
            actor_id=actor_id,
            stock_key=key.key,
            item_id=item.id,
            operation_id=operation,
            comment=note,
            old_values={"quantity": str(old)},
            new_values={"quantity": str(new), "location_id": plan.fields["location_id"]},
        )
    )
