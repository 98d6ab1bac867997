"""Purchasing events, named in the past tense; each one is also an audit row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from reqflow.events import DomainEvent, event_type


@dataclass(frozen=True, kw_only=True)
class _PurchaseOrderEvent(DomainEvent):
    resource_type: ClassVar[str] = "purchase_order"
    po_number: str = ""
    supplier_id: int = 0
    status: str = ""
    total_amount: str = "0.00"
    created_by_id: int | None = None
    submitted_by_id: int | None = None
    comment: str | None = None


@event_type
@dataclass(frozen=True, kw_only=True)
class PurchaseOrderCreated(_PurchaseOrderEvent):
    action: ClassVar[str] = "purchase_order.create"


@event_type
@dataclass(frozen=True, kw_only=True)
class PurchaseOrderUpdated(_PurchaseOrderEvent):
    action: ClassVar[str] = "purchase_order.update"


@event_type
@dataclass(frozen=True, kw_only=True)
class PurchaseOrderSubmitted(_PurchaseOrderEvent):
    """Submitted: status is Pending Approval, or Approved when under the threshold."""

    action: ClassVar[str] = "purchase_order.submit"


@event_type
@dataclass(frozen=True, kw_only=True)
class PurchaseOrderApproved(_PurchaseOrderEvent):
    action: ClassVar[str] = "purchase_order.approve"


@event_type
@dataclass(frozen=True, kw_only=True)
class PurchaseOrderReturned(_PurchaseOrderEvent):
    """Sent back to the buyer from Pending Approval with a reason (``comment``): a Draft."""

    action: ClassVar[str] = "purchase_order.return"


@event_type
@dataclass(frozen=True, kw_only=True)
class PurchaseOrderSent(_PurchaseOrderEvent):
    action: ClassVar[str] = "purchase_order.send"


@event_type
@dataclass(frozen=True, kw_only=True)
class PurchaseOrderCancelled(_PurchaseOrderEvent):
    action: ClassVar[str] = "purchase_order.cancel"


@event_type
@dataclass(frozen=True, kw_only=True)
class PurchaseOrderPartiallyReceived(_PurchaseOrderEvent):
    action: ClassVar[str] = "purchase_order.receive_partial"


@event_type
@dataclass(frozen=True, kw_only=True)
class PurchaseOrderReceived(_PurchaseOrderEvent):
    action: ClassVar[str] = "purchase_order.receive"


@event_type
@dataclass(frozen=True, kw_only=True)
class PurchaseOrderClosed(_PurchaseOrderEvent):
    action: ClassVar[str] = "purchase_order.close"


@event_type
@dataclass(frozen=True, kw_only=True)
class RequisitionSourced(DomainEvent):
    """An approved requisition was sourced: Draft POs per supplier, the rest queued."""

    resource_type: ClassVar[str] = "requisition"
    action: ClassVar[str] = "requisition.source"
    req_number: str = ""
    requester_id: int | None = None
    status: str = ""
    po_ids: list[int] = field(default_factory=list)
    unsourced_count: int = 0


@dataclass(frozen=True, kw_only=True)
class _RfqEvent(DomainEvent):
    resource_type: ClassVar[str] = "rfq"
    rfq_number: str = ""
    status: str = ""


@event_type
@dataclass(frozen=True, kw_only=True)
class RfqCreated(_RfqEvent):
    action: ClassVar[str] = "rfq.create"


@event_type
@dataclass(frozen=True, kw_only=True)
class RfqSent(_RfqEvent):
    action: ClassVar[str] = "rfq.send"


@event_type
@dataclass(frozen=True, kw_only=True)
class RfqQuoteRecorded(_RfqEvent):
    action: ClassVar[str] = "rfq.quote"
    supplier_id: int = 0


@event_type
@dataclass(frozen=True, kw_only=True)
class RfqClosed(_RfqEvent):
    action: ClassVar[str] = "rfq.close"


@event_type
@dataclass(frozen=True, kw_only=True)
class RfqAwarded(_RfqEvent):
    action: ClassVar[str] = "rfq.award"
    po_ids: list[int] = field(default_factory=list)


@event_type
@dataclass(frozen=True, kw_only=True)
class RfqCancelled(_RfqEvent):
    action: ClassVar[str] = "rfq.cancel"
