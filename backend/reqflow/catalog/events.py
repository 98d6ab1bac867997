"""Catalog events: every supplier and item change is audited through these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from reqflow.events import DomainEvent, event_type


@dataclass(frozen=True, kw_only=True)
class _SupplierEvent(DomainEvent):
    resource_type: ClassVar[str] = "supplier"


@dataclass(frozen=True, kw_only=True)
class _ItemEvent(DomainEvent):
    resource_type: ClassVar[str] = "item"


@event_type
@dataclass(frozen=True, kw_only=True)
class SupplierCreated(_SupplierEvent):
    action: ClassVar[str] = "supplier.create"


@event_type
@dataclass(frozen=True, kw_only=True)
class SupplierUpdated(_SupplierEvent):
    action: ClassVar[str] = "supplier.update"


@event_type
@dataclass(frozen=True, kw_only=True)
class SupplierDeactivated(_SupplierEvent):
    action: ClassVar[str] = "supplier.deactivate"


@event_type
@dataclass(frozen=True, kw_only=True)
class SupplierActivated(_SupplierEvent):
    action: ClassVar[str] = "supplier.activate"


@event_type
@dataclass(frozen=True, kw_only=True)
class ItemCreated(_ItemEvent):
    action: ClassVar[str] = "item.create"


@event_type
@dataclass(frozen=True, kw_only=True)
class ItemUpdated(_ItemEvent):
    action: ClassVar[str] = "item.update"


@event_type
@dataclass(frozen=True, kw_only=True)
class ItemDeactivated(_ItemEvent):
    action: ClassVar[str] = "item.deactivate"


@event_type
@dataclass(frozen=True, kw_only=True)
class ItemActivated(_ItemEvent):
    action: ClassVar[str] = "item.activate"
