"""Supplier and item use cases; each function is one transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.exc import IntegrityError

from reqflow.catalog import events
from reqflow.catalog.models import Item, Supplier
from reqflow.core.versioning import expect_version
from reqflow.errors import NotFound, ValidationFailed
from reqflow.events import DomainEvent, record
from reqflow.extensions import db
from reqflow.identity.models import User

Record = Supplier | Item


def like_pattern(q: str) -> str:
    """``%q%`` with the LIKE wildcards in ``q`` taken literally (escape character ``\\``)."""
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(q: str | None, *columns: Any) -> ColumnElement[bool] | None:
    if not q:
        return None
    pattern = like_pattern(q)
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


def visible(
    query: Select[Any],
    is_active_col: Any,
    *,
    can_manage: bool,
    is_active: bool | None,
    include_inactive: bool,
) -> Select[Any]:
    """Lists show active rows; managers may ask for inactive ones too (``is_active=false``
    or ``include_inactive=true``)."""
    if not can_manage:
        return query.where(is_active_col.is_(True) if is_active is not False else false())
    if is_active is not None:
        return query.where(is_active_col.is_(is_active))
    return query if include_inactive else query.where(is_active_col.is_(True))


def _flush(unique_field: str) -> None:
    """Flush; a unique or foreign-key violation (a race past the checks) becomes 422."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        text = str(exc.orig).lower()
        if "preferred_supplier" in text:
            details = {"preferred_supplier_id": ["No such supplier."]}
        else:
            details = {unique_field: ["Already in use."]}
        raise ValidationFailed("Validation failed", details=details) from exc


def _check_version(entity: Record, data: dict[str, Any], label: str) -> None:
    expect_version(entity, data.pop("version"), label)


def _create(actor: User, entity: Record, unique_field: str, event: type[DomainEvent]) -> None:
    db.session.add(entity)
    _flush(unique_field)
    record(event(actor_id=actor.id, resource_id=entity.id, new_values=entity.audit_view()))
    db.session.commit()


def _update(
    actor: User, entity: Record, data: dict[str, Any], unique_field: str, event: type[DomainEvent]
) -> None:
    """Apply ``data``; the event carries only the fields that changed."""
    old = entity.audit_view()
    for field, value in data.items():
        setattr(entity, field, value)
    _flush(unique_field)
    new = entity.audit_view()
    changed = [key for key in new if new[key] != old[key]]
    if changed:
        record(
            event(
                actor_id=actor.id,
                resource_id=entity.id,
                old_values={key: old[key] for key in changed},
                new_values={key: new[key] for key in changed},
            )
        )
    db.session.commit()


def _set_active(actor: User, entity: Record, active: bool, event: type[DomainEvent]) -> None:
    if entity.is_active is active:
        return
    entity.is_active = active
    record(
        event(
            actor_id=actor.id,
            resource_id=entity.id,
            old_values={"is_active": not active},
            new_values={"is_active": active},
        )
    )
    db.session.commit()


# Suppliers


def get_supplier(supplier_id: int) -> Supplier:
    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFound("Supplier not found")
    return supplier


def suppliers_query(
    *,
    actor: User,
    q: str | None = None,
    is_active: bool | None = None,
    include_inactive: bool = False,
) -> Select[Any]:
    """Suppliers matching ``q`` (code, name, e-mail) that the caller may list."""
    query = select(Supplier)
    matches = search(q, Supplier.code, Supplier.name, Supplier.contact_email)
    if matches is not None:
        query = query.where(matches)
    can_manage = actor.can("supplier", "manage")
    return visible(
        query,
        Supplier.is_active,
        can_manage=can_manage,
        is_active=is_active,
        include_inactive=include_inactive,
    )


def create_supplier(*, actor: User, data: dict[str, Any]) -> Supplier:
    """Create a supplier; codes are unique."""
    supplier = Supplier(**data)
    _create(actor, supplier, "code", events.SupplierCreated)
    return supplier


def update_supplier(*, actor: User, supplier_id: int, data: dict[str, Any]) -> Supplier:
    """Change a supplier's details; a stale version is refused."""
    supplier = get_supplier(supplier_id)
    _check_version(supplier, data, "supplier")
    _update(actor, supplier, data, "code", events.SupplierUpdated)
    return supplier


def deactivate_supplier(*, actor: User, supplier_id: int) -> Supplier:
    """Hide a supplier from lists and new documents; its history stays."""
    supplier = get_supplier(supplier_id)
    _set_active(actor, supplier, False, events.SupplierDeactivated)
    return supplier


def activate_supplier(*, actor: User, supplier_id: int) -> Supplier:
    """Bring a deactivated supplier back."""
    supplier = get_supplier(supplier_id)
    _set_active(actor, supplier, True, events.SupplierActivated)
    return supplier


# Items


def get_item(item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    if item is None:
        raise NotFound("Item not found")
    return item


def _check_supplier_ref(supplier_id: int | None, current: int | None = None) -> None:
    """A newly chosen preferred supplier must exist and be active."""
    if supplier_id is None or supplier_id == current:
        return
    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None or not supplier.is_active:
        raise ValidationFailed(
            "Validation failed", details={"preferred_supplier_id": ["No such active supplier."]}
        )


def items_query(
    *,
    actor: User,
    q: str | None = None,
    category: str | None = None,
    preferred_supplier_id: int | None = None,
    is_active: bool | None = None,
    include_inactive: bool = False,
) -> Select[Any]:
    """Items matching ``q`` (SKU, name, description) and the filters that the caller may list."""
    query = select(Item)
    matches = search(q, Item.sku, Item.name, Item.description)
    if matches is not None:
        query = query.where(matches)
    if category:
        query = query.where(Item.category == category)
    if preferred_supplier_id is not None:
        query = query.where(Item.preferred_supplier_id == preferred_supplier_id)
    can_manage = actor.can("item", "manage")
    return visible(
        query,
        Item.is_active,
        can_manage=can_manage,
        is_active=is_active,
        include_inactive=include_inactive,
    )


def create_item(*, actor: User, data: dict[str, Any]) -> Item:
    """Add an item to the catalog; SKUs are unique."""
    _check_supplier_ref(data.get("preferred_supplier_id"))
    item = Item(**data)
    _create(actor, item, "sku", events.ItemCreated)
    return item


def update_item(*, actor: User, item_id: int, data: dict[str, Any]) -> Item:
    """Change an item; a stale version is refused."""
    item = get_item(item_id)
    _check_version(item, data, "item")
    if "preferred_supplier_id" in data:
        _check_supplier_ref(data["preferred_supplier_id"], item.preferred_supplier_id)
    _update(actor, item, data, "sku", events.ItemUpdated)
    return item


def deactivate_item(*, actor: User, item_id: int) -> Item:
    """Hide an item from the catalog lists; its history stays."""
    item = get_item(item_id)
    _set_active(actor, item, False, events.ItemDeactivated)
    return item


def activate_item(*, actor: User, item_id: int) -> Item:
    """Bring a deactivated item back."""
    item = get_item(item_id)
    _set_active(actor, item, True, events.ItemActivated)
    return item
