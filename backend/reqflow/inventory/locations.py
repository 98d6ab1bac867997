"""Storage location use cases; locations are deactivated, never deleted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from reqflow.catalog.service import search
from reqflow.core.versioning import expect_version
from reqflow.errors import Forbidden, NotFound, ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.inventory import events as ev
from reqflow.inventory.models import StorageLocation


def can_read(user: User) -> bool:
    """Anyone who searches or views inventory may read the locations (search filters on them)."""
    return any(user.can("inventory", a) for a in ("view", "search")) or user.can(
        "storage", "manage"
    )


def query(*, actor: User, q: str | None = None, is_active: bool | None = None) -> Select[Any]:
    """Locations with a code/name search; inactive ones only when asked for."""
    if not can_read(actor):
        raise Forbidden("You do not have permission to do this")
    stmt = select(StorageLocation)
    condition = search(q, StorageLocation.code, StorageLocation.name)
    if condition is not None:
        stmt = stmt.where(condition)
    if is_active is not None:
        stmt = stmt.where(StorageLocation.is_active.is_(is_active))
    return stmt


def get(location_id: int, *, lock: bool = False) -> StorageLocation:
    stmt = select(StorageLocation).where(StorageLocation.id == location_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    location = db.session.scalar(stmt)
    if location is None:
        raise NotFound("Storage location not found")
    return location


def _flush() -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise ValidationFailed("Validation failed", details={"code": ["Already in use."]}) from exc


def _taken(code: str, own_id: int | None = None) -> None:
    other = db.session.scalar(select(StorageLocation.id).where(StorageLocation.code == code))
    if other is not None and other != own_id:
        raise ValidationFailed("Validation failed", details={"code": ["Already in use."]})


def create(*, actor: User, data: dict[str, Any]) -> StorageLocation:
    """Create a storage location (code zone-aisle-bin, e.g. A-01-03)."""
    _taken(data["code"])
    location = StorageLocation(**data)
    db.session.add(location)
    _flush()
    record(
        ev.StorageLocationCreated(
            actor_id=actor.id, resource_id=location.id, new_values=location.audit_view()
        )
    )
    db.session.commit()
    return location


def update(*, actor: User, location_id: int, data: dict[str, Any]) -> StorageLocation:
    """Rename, resize, (de)activate a location (optimistic locking with ``version``)."""
    location = get(location_id, lock=True)
    expect_version(location, data.pop("version"), "location")
    if "code" in data:
        _taken(data["code"], location.id)
    before = location.audit_view()
    for field, value in data.items():
        setattr(location, field, value)
    _flush()
    after = location.audit_view()
    changed = [k for k in after if after[k] != before[k]]
    record(
        ev.StorageLocationUpdated(
            actor_id=actor.id,
            resource_id=location.id,
            old_values={k: before[k] for k in changed},
            new_values={k: after[k] for k in changed},
        )
    )
    db.session.commit()
    return location


def active_ids(ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(StorageLocation.id).where(
                StorageLocation.id.in_(ids), StorageLocation.is_active.is_(True)
            )
        )
    )
