"""The documents that take attachments and comments, and the one visibility rule they share:
a user may see (and add to) a document's files and thread exactly when the document's own
domain lets them see the document. Each entry reuses that domain's detail lookup, which
answers 404 for a document that is absent or hidden from the user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reqflow.errors import NotFound
from reqflow.identity.models import User


@dataclass(frozen=True)
class DocumentType:
    name: str  # stored in attachments/comments.document_type and in the live room name
    path: str  # the collection's URL path: /{path}/{id}/attachments
    load: Callable[[User, int], Any]  # the document if the user may see it; NotFound otherwise
    final: frozenset[str] = frozenset()  # statuses in which the document is no longer editable

    def editable(self, document: Any) -> bool:
        return getattr(document, "status", None) not in self.final


def _requisition(user: User, doc_id: int) -> Any:
    from reqflow.requisitions import service

    return service.get(requisition_id=doc_id, actor=user)


def _purchase_order(user: User, doc_id: int) -> Any:
    from reqflow.purchasing import service

    return service.get(po_id=doc_id, actor=user)


def _rfq_visible(user: User) -> None:
    if not user.can("rfq", "manage"):  # the RFQ pages' own rule
        raise NotFound("RFQ not found")


def _rfq(user: User, doc_id: int) -> Any:
    from reqflow.purchasing import rfq

    _rfq_visible(user)
    return rfq.get(rfq_id=doc_id)


def _rfq_quote(user: User, doc_id: int) -> Any:
    from reqflow.extensions import db
    from reqflow.purchasing.rfq_models import RfqQuote

    _rfq_visible(user)
    quote = db.session.get(RfqQuote, doc_id)
    if quote is None:
        raise NotFound("Quote not found")
    return quote


def _goods_receipt(user: User, doc_id: int) -> Any:
    from reqflow.inventory import service

    return service.get_receipt(receipt_id=doc_id, actor=user)


def _invoice(user: User, doc_id: int) -> Any:
    from reqflow.accounting import service

    return service.get(invoice_id=doc_id, actor=user)


def _payment(user: User, doc_id: int) -> Any:
    from reqflow.accounting import service
    from reqflow.accounting.models import Payment
    from reqflow.extensions import db

    payment = db.session.get(Payment, doc_id) if service.can_view(user) else None
    if payment is None:
        raise NotFound("Payment not found")
    return payment


def _supplier(user: User, doc_id: int) -> Any:
    from reqflow.catalog import service

    return service.get_supplier(doc_id)


def _item(user: User, doc_id: int) -> Any:
    from reqflow.catalog import service

    return service.get_item(doc_id)


TYPES: dict[str, DocumentType] = {
    t.name: t
    for t in (
        DocumentType(
            "requisition",
            "requisitions",
            _requisition,
            frozenset({"Approved", "Rejected", "Cancelled"}),
        ),
        DocumentType(
            "purchase_order", "purchase-orders", _purchase_order, frozenset({"Closed", "Cancelled"})
        ),
        DocumentType("rfq", "rfqs", _rfq, frozenset({"Awarded", "Cancelled"})),
        DocumentType("rfq_quote", "rfq-quotes", _rfq_quote),
        DocumentType("goods_receipt", "inventory/receipts", _goods_receipt),
        DocumentType("invoice", "invoices", _invoice, frozenset({"Paid", "Void"})),
        DocumentType("payment", "payments", _payment),
        DocumentType("supplier", "suppliers", _supplier),
        DocumentType("item", "items", _item),
    )
}
BY_PATH = {t.path: t for t in TYPES.values()}


def document_type(name: str) -> DocumentType:
    if name not in TYPES:
        raise NotFound("No such document type")
    return TYPES[name]


def load(user: User, type_name: str, doc_id: int) -> tuple[DocumentType, Any]:
    """The document if ``user`` may see it (404 otherwise), with its type."""
    doc_type = document_type(type_name)
    return doc_type, doc_type.load(user, doc_id)
