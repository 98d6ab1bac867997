"""What an audit row is about, for people: the document's number and a link to its page.

One query per resource type on the page (never one per row): the rows are grouped by type and
each group's labels are read with ``WHERE id IN (...)``. Models are imported lazily because
audit sits below the domains it describes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, String, cast, literal, null, select, union_all

from reqflow.extensions import db


@dataclass(frozen=True)
class Labelled:
    model: Callable[[], Any]  # the ORM class
    label: str  # its column shown to people
    link: str | None  # the SPA path, "{id}" for the row's id, "{ref}" for the ref column
    ref: str | None = None  # a column the link points through (a payment → its invoice)


def _m(module: str, name: str) -> Callable[[], Any]:
    def load() -> Any:
        from importlib import import_module

        return getattr(import_module(module), name)

    return load


TYPES: dict[str, Labelled] = {
    "requisition": Labelled(
        _m("reqflow.requisitions.models", "Requisition"), "req_number", "/requisitions/{id}"
    ),
    "purchase_order": Labelled(
        _m("reqflow.purchasing.models", "PurchaseOrder"), "po_number", "/purchase-orders/{id}"
    ),
    "rfq": Labelled(_m("reqflow.purchasing.rfq_models", "Rfq"), "rfq_number", "/rfqs/{id}"),
    "goods_receipt": Labelled(
        _m("reqflow.inventory.models", "GoodsReceipt"), "grn_number", "/receipts/{id}"
    ),
    "invoice": Labelled(_m("reqflow.accounting.models", "Invoice"), "inv_number", "/invoices/{id}"),
    "payment": Labelled(
        _m("reqflow.accounting.models", "Payment"),
        "payment_number",
        "/invoices/{ref}",
        "invoice_id",
    ),
    "supplier_return": Labelled(
        _m("reqflow.inventory.return_models", "SupplierReturn"),
        "rtv_number",
        "/purchase-orders/{ref}",
        "po_id",
    ),
    "supplier": Labelled(_m("reqflow.catalog.models", "Supplier"), "name", "/suppliers"),
    "item": Labelled(_m("reqflow.catalog.models", "Item"), "sku", "/items"),
    "project": Labelled(_m("reqflow.projects.models", "Project"), "code", "/projects"),
    "department": Labelled(
        _m("reqflow.identity.models", "Department"), "name", "/admin/departments"
    ),
    "user": Labelled(_m("reqflow.identity.models", "User"), "full_name", "/admin/users"),
    "storage_location": Labelled(
        _m("reqflow.inventory.models", "StorageLocation"), "code", "/storage-locations"
    ),
}

ACTOR = "actor"  # the pseudo-type under which the page's actors' names are read
ACTOR_NAME = Labelled(_m("reqflow.identity.models", "User"), "full_name", None)


def _select(resource_type: str, kind: Labelled, ids: set[int]) -> Any:
    model = kind.model()
    ref = getattr(model, kind.ref) if kind.ref else null()
    return select(
        literal(resource_type, String).label("kind"),
        model.id.label("id"),
        cast(getattr(model, kind.label), String).label("label"),
        cast(ref, Integer).label("ref"),
    ).where(model.id.in_(sorted(ids)))


def readable(rows: list[Any], dumped: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The dumped rows with ``document_label``, ``document_link`` and ``actor_full_name``,
    read for the whole page in one statement (a UNION over the types present)."""

    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row.resource_id is not None and row.resource_type in TYPES:
            wanted[row.resource_type].add(row.resource_id)
    actors = {row.actor_id for row in rows if row.actor_id is not None}
    if actors:
        wanted[ACTOR] = actors
    parts = [
        _select(kind, ACTOR_NAME if kind == ACTOR else TYPES[kind], ids)
        for kind, ids in wanted.items()
    ]
    found: dict[tuple[str, int], tuple[str, int | None]] = {}
    if parts:
        statement = parts[0] if len(parts) == 1 else union_all(*parts)
        for kind, doc_id, label, ref in db.session.execute(statement):
            found[(kind, doc_id)] = (label, ref)
    for row, out in zip(rows, dumped, strict=True):
        label, ref = found.get((row.resource_type, row.resource_id), (None, None))
        link = TYPES[row.resource_type].link if label is not None else None
        out["document_label"] = label
        out["document_link"] = link.format(id=row.resource_id, ref=ref) if link else None
        actor = found.get((ACTOR, row.actor_id)) if row.actor_id is not None else None
        out["actor_full_name"] = actor[0] if actor else None
    return dumped
