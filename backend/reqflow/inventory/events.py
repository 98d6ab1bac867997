"""Inventory events, named in the past tense; each one is also an audit row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from reqflow.events import DomainEvent, event_type


@dataclass(frozen=True, kw_only=True)
class _GoodsReceiptEvent(DomainEvent):
    resource_type: ClassVar[str] = "goods_receipt"
    grn_number: str = ""
    po_id: int = 0
    po_number: str = ""
    status: str = ""
    # The requesters concerned (GoodsReceived: all of the receipt's; accept/reject: the actor).
    requester_ids: list[int] = field(default_factory=list)
    comment: str | None = None


@event_type
@dataclass(frozen=True, kw_only=True)
class GoodsReceived(_GoodsReceiptEvent):
    action: ClassVar[str] = "goods_receipt.receive"


@event_type
@dataclass(frozen=True, kw_only=True)
class GoodsAccepted(_GoodsReceiptEvent):
    action: ClassVar[str] = "goods_receipt.accept"


@event_type
@dataclass(frozen=True, kw_only=True)
class GoodsRejected(_GoodsReceiptEvent):
    """Rejected with a reason: the pending goods go back to the supplier (a return)."""

    action: ClassVar[str] = "goods_receipt.reject"


@dataclass(frozen=True, kw_only=True)
class _StockEvent(DomainEvent):
    resource_type: ClassVar[str] = "stock"
    stock_key: str = ""
    item_id: int | None = None
    operation_id: str = ""
    comment: str | None = None


@event_type
@dataclass(frozen=True, kw_only=True)
class StockTransferred(_StockEvent):
    action: ClassVar[str] = "stock.transfer"


@event_type
@dataclass(frozen=True, kw_only=True)
class StockAdjusted(_StockEvent):
    action: ClassVar[str] = "stock.adjust"


@event_type
@dataclass(frozen=True, kw_only=True)
class StockIssued(_StockEvent):
    action: ClassVar[str] = "stock.issue"


@dataclass(frozen=True, kw_only=True)
class _LocationEvent(DomainEvent):
    resource_type: ClassVar[str] = "storage_location"


@event_type
@dataclass(frozen=True, kw_only=True)
class StorageLocationCreated(_LocationEvent):
    action: ClassVar[str] = "storage_location.create"


@event_type
@dataclass(frozen=True, kw_only=True)
class StorageLocationUpdated(_LocationEvent):
    action: ClassVar[str] = "storage_location.update"


@event_type
@dataclass(frozen=True, kw_only=True)
class LowStockDetected(DomainEvent):
    """The daily check found an item's available stock below its reorder level."""

    resource_type: ClassVar[str] = "item"
    action: ClassVar[str] = "item.low_stock"
    sku: str = ""
    item_name: str = ""
    available: str = "0.000"
    reorder_level: str = "0.000"


@dataclass(frozen=True, kw_only=True)
class _SupplierReturnEvent(DomainEvent):
    resource_type: ClassVar[str] = "supplier_return"
    rtv_number: str = ""
    po_id: int = 0
    po_number: str = ""
    grn_number: str = ""
    supplier_id: int = 0
    status: str = ""
    comment: str | None = None


@event_type
@dataclass(frozen=True, kw_only=True)
class SupplierReturnRaised(_SupplierReturnEvent):
    """Goods rejected at acceptance: a return to the supplier waits to be shipped back."""

    action: ClassVar[str] = "supplier_return.raise"


@event_type
@dataclass(frozen=True, kw_only=True)
class SupplierReturnShipped(_SupplierReturnEvent):
    action: ClassVar[str] = "supplier_return.ship"


@event_type
@dataclass(frozen=True, kw_only=True)
class SupplierReturnCredited(_SupplierReturnEvent):
    action: ClassVar[str] = "supplier_return.credit"


@event_type
@dataclass(frozen=True, kw_only=True)
class SupplierReturnReplaced(_SupplierReturnEvent):
    action: ClassVar[str] = "supplier_return.replace"
