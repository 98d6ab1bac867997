"""Accounting events, named in the past tense; each one is also an audit row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from reqflow.events import DomainEvent, event_type


@dataclass(frozen=True, kw_only=True)
class _InvoiceEvent(DomainEvent):
    resource_type: ClassVar[str] = "invoice"
    inv_number: str = ""
    invoice_number: str = ""
    supplier_id: int = 0
    po_id: int = 0
    status: str = ""
    total_amount: str = "0.00"
    recorded_by_id: int | None = None
    comment: str | None = None


@event_type
@dataclass(frozen=True, kw_only=True)
class InvoiceRecorded(_InvoiceEvent):
    action: ClassVar[str] = "invoice.record"


@event_type
@dataclass(frozen=True, kw_only=True)
class InvoiceMatched(_InvoiceEvent):
    action: ClassVar[str] = "invoice.match"


@event_type
@dataclass(frozen=True, kw_only=True)
class InvoiceException(_InvoiceEvent):
    """The three-way match found differences; the reasons are in ``new_values``."""

    action: ClassVar[str] = "invoice.exception"


@event_type
@dataclass(frozen=True, kw_only=True)
class InvoiceApproved(_InvoiceEvent):
    action: ClassVar[str] = "invoice.approve"


@event_type
@dataclass(frozen=True, kw_only=True)
class InvoiceVoided(_InvoiceEvent):
    action: ClassVar[str] = "invoice.void"


@event_type
@dataclass(frozen=True, kw_only=True)
class InvoicePartiallyPaid(_InvoiceEvent):
    action: ClassVar[str] = "invoice.pay_partial"


@event_type
@dataclass(frozen=True, kw_only=True)
class InvoicePaid(_InvoiceEvent):
    action: ClassVar[str] = "invoice.pay"


@event_type
@dataclass(frozen=True, kw_only=True)
class InvoiceDue(_InvoiceEvent):
    """An unpaid invoice falls due within days (the ``accounting.invoices_due`` job)."""

    action: ClassVar[str] = "invoice.due"
    due_date: str = ""


@event_type
@dataclass(frozen=True, kw_only=True)
class PaymentRecorded(DomainEvent):
    resource_type: ClassVar[str] = "payment"
    action: ClassVar[str] = "payment.record"
    payment_number: str = ""
    invoice_id: int = 0
    inv_number: str = ""
    supplier_id: int = 0
    amount: str = "0.00"
    invoice_status: str = ""


@event_type
@dataclass(frozen=True, kw_only=True)
class InvoiceCredited(_InvoiceEvent):
    """A supplier credit note (on a return to the supplier) reduced what is left to pay."""

    action: ClassVar[str] = "invoice.credit"
    credit_note_number: str = ""
    credit_amount: str = "0.00"
