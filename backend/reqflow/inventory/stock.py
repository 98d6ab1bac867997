"""Stock movements by the Warehouse: transfer between locations, adjust, issue.

Each public function is one transaction; each goes through ``ledger.post``, which refuses
(409) any movement that would take a balance below zero and then changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from reqflow.catalog.models import Item
from reqflow.core.money import quantity as to_quantity
from reqflow.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.inventory import events as ev
from reqflow.inventory import ledger, locations
from reqflow.inventory.ledger import EntryType, Move, StockBalance, StockKey
from reqflow.inventory.models import StockStatus

AVAILABLE = StockStatus.AVAILABLE


def _require(actor: User) -> None:
    if not actor.can("inventory", "manage"):
        raise Forbidden("You do not have permission to do this")


def get_balance(balance_id: int) -> StockBalance:
    balance = db.session.scalar(
        select(StockBalance)
        .where(StockBalance.id == balance_id)
        .execution_options(populate_existing=True)
    )
    if balance is None:
        raise NotFound("Stock row not found")
    return balance


def balance_of(key: str, location_id: int, status: str) -> StockBalance | None:
    return db.session.scalar(
        select(StockBalance)
        .where(
            StockBalance.stock_key == key,
            StockBalance.location_id == location_id,
            StockBalance.status == status,
        )
        .execution_options(populate_existing=True)
    )


def _available(balance: StockBalance, verb: str) -> StockKey:
    if balance.status != AVAILABLE:
        raise InvalidTransition(
            f"Only Available stock can be {verb}; {balance.status} stock waits for its requester",
            details={"status": balance.status, "action": verb},
        )
    return StockKey.of_balance(balance)


def _active_location(location_id: int, field: str) -> None:
    if location_id not in locations.active_ids({location_id}):
        raise ValidationFailed(
            "Validation failed", details={field: ["No such active storage location."]}
        )


def _event(cls: type[ev._StockEvent], key: StockKey, balance_id: int, actor: User, **kw) -> None:
    record(
        cls(actor_id=actor.id, resource_id=balance_id, stock_key=key.key, item_id=key.item_id, **kw)
    )


def transfer(
    *,
    actor: User,
    balance_id: int,
    to_location_id: int,
    quantity: Decimal,
    note: str | None = None,
) -> tuple[StockBalance, StockBalance]:
    """Move Available stock from this row's location to another; returns (from, to)."""
    _require(actor)
    source = get_balance(balance_id)
    key = _available(source, "moved")
    if to_location_id == source.location_id:
        raise ValidationFailed(
            "Validation failed", details={"to_location_id": ["Already at this location."]}
        )
    _active_location(to_location_id, "to_location_id")
    from_location = source.location_id
    operation = ledger.post(
        [
            Move(key, from_location, AVAILABLE, -quantity),
            Move(key, to_location_id, AVAILABLE, quantity),
        ],
        entry_type=EntryType.TRANSFER,
        actor_id=actor.id,
        reference="TRANSFER",
        note=note,
    )
    target = balance_of(key.key, to_location_id, AVAILABLE)
    assert target is not None
    _event(
        ev.StockTransferred,
        key,
        source.id,
        actor,
        operation_id=operation,
        comment=note,
        old_values={"location_id": from_location},
        new_values={"location_id": to_location_id, "quantity": str(quantity)},
    )
    db.session.commit()
    return get_balance(source.id), get_balance(target.id)


def adjust(
    *, actor: User, item_id: int, location_id: int, quantity: Decimal, reason: str
) -> StockBalance:
    """Correct the Available stock of a catalog item at a location by a signed quantity
    (a count found more or less); never below zero."""
    _require(actor)
    item = db.session.get(Item, item_id)
    if item is None:
        raise ValidationFailed("Validation failed", details={"item_id": ["No such catalog item."]})
    _active_location(location_id, "location_id")
    key = StockKey.for_item(item.id, item.name, item.uom)
    before = balance_of(key.key, location_id, AVAILABLE)
    old = before.quantity if before is not None else Decimal("0")
    operation = ledger.post(
        [Move(key, location_id, AVAILABLE, quantity)],
        entry_type=EntryType.ADJUSTMENT,
        actor_id=actor.id,
        reference="ADJUSTMENT",
        note=reason,
    )
    balance = balance_of(key.key, location_id, AVAILABLE)
    assert balance is not None
    _event(
        ev.StockAdjusted,
        key,
        balance.id,
        actor,
        operation_id=operation,
        comment=reason,
        old_values={"quantity": str(to_quantity(old))},
        new_values={"quantity": str(to_quantity(balance.quantity)), "change": str(quantity)},
    )
    db.session.commit()
    return get_balance(balance.id)


def issue(
    *, actor: User, balance_id: int, quantity: Decimal, note: str | None = None
) -> StockBalance:
    """Issue Available stock from this row (to production, a project, a work order)."""
    _require(actor)
    balance = get_balance(balance_id)
    key = _available(balance, "issued")
    old = balance.quantity
    operation = ledger.post(
        [Move(key, balance.location_id, AVAILABLE, -quantity)],
        entry_type=EntryType.ISSUE,
        actor_id=actor.id,
        reference="ISSUE",
        note=note,
    )
    after = get_balance(balance_id)
    _event(
        ev.StockIssued,
        key,
        balance.id,
        actor,
        operation_id=operation,
        comment=note,
        old_values={"quantity": str(to_quantity(old))},
        new_values={"quantity": str(to_quantity(after.quantity)), "issued": str(quantity)},
    )
    db.session.commit()
    return get_balance(balance.id)
