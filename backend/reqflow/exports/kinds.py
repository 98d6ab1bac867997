"""The exports registry: one entry per list, its columns and the list's own query.

Each ``query`` is the function the list resource itself calls: it reads this request's
filters and sort and the caller's visibility (403 where the list would refuse), so an
export holds exactly the rows the list shows, in the same order."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import joinedload

from reqflow.accounting.models import Invoice, Payment
from reqflow.accounting.resources import invoice_list_query, payment_list_query
from reqflow.audit.resources import list_query as audit_list_query
from reqflow.core.tabular import Column
from reqflow.identity.models import User
from reqflow.identity.resources import user_list_query
from reqflow.inventory.models import GoodsReceipt
from reqflow.inventory.resources import inventory_list_query, receipt_list_query
from reqflow.inventory.search import inventory_row
from reqflow.purchasing.models import PurchaseOrder
from reqflow.purchasing.resources import list_query as po_list_query
from reqflow.requisitions.models import Requisition
from reqflow.requisitions.resources import list_query as requisition_list_query


class Attrs(Mapping[str, Any]):
    """A row object read by dotted attribute paths: ``supplier.name``."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any):
        self.obj = obj

    def __getitem__(self, key: str) -> Any:
        value = self.obj
        for part in key.split("."):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


@dataclass(frozen=True)
class ExportKind:
    name: str
    title: str
    columns: tuple[Column, ...]
    query: Callable[[], Any]
    options: tuple[Any, ...] = ()  # loaders for what the columns name (many-to-one only)
    entities: bool = True  # rows are one entity each (else multi-column rows)
    row: Callable[[Any], Mapping[str, Any]] = field(default=Attrs)


KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    KINDS[kind.name] = kind
    return kind


C = Column
register(
    ExportKind(
        "requisitions",
        "Requisitions",
        (
            C("req_number", "Number"),
            C("status", "Status"),
            C("requester.full_name", "Requester"),
            C("department.name", "Department"),
            C("project.code", "Project"),
            C("purpose", "Purpose"),
            C("justification", "Justification", width=40),
            C("needed_by", "Needed by", "date"),
            C("total_amount", "Total", "money"),
            C("submitted_at", "Submitted", "datetime"),
            C("approved_at", "Approved", "datetime"),
            C("created_at", "Created", "datetime"),
        ),
        requisition_list_query,
        (
            joinedload(Requisition.requester),
            joinedload(Requisition.department),
            joinedload(Requisition.project),
        ),
    )
)
register(
    ExportKind(
        "purchase_orders",
        "Purchase orders",
        (
            C("po_number", "Number"),
            C("status", "Status"),
            C("supplier.name", "Supplier"),
            C("subtotal", "Subtotal", "money"),
            C("tax_amount", "Tax", "money"),
            C("total_amount", "Total", "money"),
            C("expected_delivery_date", "Expected", "date"),
            C("created_by.full_name", "Created by"),
            C("approved_at", "Approved", "datetime"),
            C("sent_at", "Sent", "datetime"),
            C("created_at", "Created", "datetime"),
        ),
        po_list_query,
        (joinedload(PurchaseOrder.supplier), joinedload(PurchaseOrder.created_by)),
    )
)
register(
    ExportKind(
        "goods_receipts",
        "Goods receipts",
        (
            C("grn_number", "Number"),
            C("status", "Status"),
            C("purchase_order.po_number", "Purchase order"),
            C("received_by.full_name", "Received by"),
            C("received_at", "Received", "datetime"),
            C("notes", "Notes", width=40),
        ),
        receipt_list_query,
        (joinedload(GoodsReceipt.purchase_order), joinedload(GoodsReceipt.received_by)),
    )
)
register(
    ExportKind(
        "inventory",
        "Stock",
        (
            C("id", "Id", "int"),
            C("sku", "SKU"),
            C("name", "Item"),
            C("location", "Location"),
            C("status", "Status"),
            C("quantity", "Quantity", "decimal"),
            C("uom", "UoM"),
            C("reorder_level", "Reorder level", "decimal"),
            C("available_total", "Available (all locations)", "decimal"),
            C("low_stock", "Low stock"),
            C("updated_at", "Updated", "datetime"),
        ),
        inventory_list_query,
        entities=False,
        row=inventory_row,
    )
)
register(
    ExportKind(
        "invoices",
        "Invoices",
        (
            C("inv_number", "Number"),
            C("invoice_number", "Supplier invoice"),
            C("status", "Status"),
            C("supplier.name", "Supplier"),
            C("purchase_order.po_number", "Purchase order"),
            C("invoice_date", "Invoice date", "date"),
            C("due_date", "Due", "date"),
            C("subtotal", "Subtotal", "money"),
            C("tax_amount", "Tax", "money"),
            C("total_amount", "Total", "money"),
            C("amount_paid", "Paid", "money"),
        ),
        invoice_list_query,
        (joinedload(Invoice.supplier), joinedload(Invoice.purchase_order)),
    )
)
register(
    ExportKind(
        "payments",
        "Payments",
        (
            C("payment_number", "Number"),
            C("invoice.inv_number", "Invoice"),
            C("supplier.name", "Supplier"),
            C("amount", "Amount", "money"),
            C("paid_on", "Paid on", "date"),
            C("method", "Method"),
            C("reference", "Reference"),
            C("recorded_by.full_name", "Recorded by"),
        ),
        payment_list_query,
        (
            joinedload(Payment.invoice),
            joinedload(Payment.supplier),
            joinedload(Payment.recorded_by),
        ),
    )
)
register(
    ExportKind(
        "audit_logs",
        "Audit log",
        (
            C("id", "Id", "int"),
            C("created_at", "When", "datetime"),
            C("actor_name", "Actor"),
            C("action", "Action"),
            C("resource_type", "Resource"),
            C("resource_id", "Resource id", "int"),
            C("ip_address", "IP address"),
            C("request_id", "Request id"),
        ),
        audit_list_query,
    )
)
register(
    ExportKind(
        "users",
        "Users",
        (
            C("username", "Username"),
            C("full_name", "Name"),
            C("email", "E-mail"),
            C("role", "Role"),
            C("department.name", "Department"),
            C("manager.full_name", "Manager"),
            C("is_active", "Active"),
            C("last_login_at", "Last login", "datetime"),
        ),
        user_list_query,
        (joinedload(User.department), joinedload(User.manager)),
    )
)
