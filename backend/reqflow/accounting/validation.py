"""Checks of a new invoice: its purchase order, supplier, number and lines."""

from __future__ import annotations

from typing import Any

from reqflow.accounting.models import InvoiceLine
from reqflow.core.money import money
from reqflow.errors import InvalidTransition, NotFound, ValidationFailed
from reqflow.identity.models import User
from reqflow.purchasing import service as purchasing
from reqflow.purchasing.models import POStatus, PurchaseOrder

# Orders an invoice can be recorded against: sent to the supplier, not cancelled.
INVOICEABLE = (POStatus.SENT, POStatus.PARTIALLY_RECEIVED, POStatus.RECEIVED, POStatus.CLOSED)


def order(actor: User, data: dict[str, Any]) -> PurchaseOrder:
    """The PO the invoice is for: one the actor sees (else 422), sent (else 409), and of the
    supplier named, when one is."""
    try:
        po = purchasing.get(po_id=data["po_id"], actor=actor)
    except NotFound:
        raise ValidationFailed(
            "Validation failed", details={"po_id": ["No such purchase order."]}
        ) from None
    if po.status not in INVOICEABLE:
        raise InvalidTransition(
            f"Invoices are recorded against sent purchase orders, not a {po.status} one",
            details={"status": po.status, "action": "invoice"},
        )
    supplier_id = data.get("supplier_id")
    if supplier_id is not None and supplier_id != po.supplier_id:
        raise ValidationFailed(
            "Validation failed", details={"supplier_id": ["Not the supplier of this order."]}
        )
    return po


def duplicate(supplier_id: int, invoice_number: str) -> ValidationFailed:
    return ValidationFailed(
        "Validation failed",
        details={"invoice_number": [f"{invoice_number} is already recorded for this supplier."]},
    )


def build_lines(po: PurchaseOrder, lines: list[dict[str, Any]]) -> list[InvoiceLine]:
    """Invoice lines for lines of this PO, each PO line at most once (422 per line)."""
    by_id = {line.id: line for line in po.lines}
    errors: dict[int, dict[str, list[str]]] = {}
    seen: set[int] = set()
    for index, data in enumerate(lines):
        if data["po_line_id"] not in by_id:
            errors[index] = {"po_line_id": ["Not a line of this purchase order."]}
        elif data["po_line_id"] in seen:
            errors[index] = {"po_line_id": ["This PO line appears twice."]}
        seen.add(data["po_line_id"])
    if errors:
        raise ValidationFailed("Validation failed", details={"lines": errors})
    built = []
    for line_no, data in enumerate(lines, start=1):
        po_line = by_id[data["po_line_id"]]
        built.append(
            InvoiceLine(
                line_no=line_no,
                po_line_id=po_line.id,
                po_line=po_line,
                description=po_line.description,
                quantity=data["quantity"],
                unit_price=data["unit_price"],
                line_total=money(data["quantity"] * data["unit_price"]),
                match_reasons=[],
            )
        )
    return built
