"""The three-way match: purchase order × goods receipts (net of returns) × invoice, per line.

A line matches when
- everything invoiced for its PO line (this invoice plus earlier non-void ones), less what
  the supplier credited on returns, is at most what was received minus what was returned to
  the supplier (a replacement received makes up a return), and
- its unit price is within ``INVOICE_PRICE_TOLERANCE_PERCENT`` (default 2) of the PO price,
  either way: the bounds are inclusive (+2.00 % matches, +2.01 % does not).
The invoice as a whole matches when the tax the supplier charged equals, to the cent, the PO's
tax on the invoiced subtotal (subtotal × PO tax rate, half-up): TAX_MISMATCH otherwise.
Each mismatch is stored on the line as ``{"code", "message", "expected", "actual"}``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from reqflow.accounting.models import Invoice, InvoiceLine, InvoiceStatus
from reqflow.core.money import money, quantity
from reqflow.extensions import db
from reqflow.inventory import service as inventory
from reqflow.purchasing.models import PurchaseOrderLine

QTY_OVER_RECEIVED = "QTY_OVER_RECEIVED"
PRICE_OVER_TOLERANCE = "PRICE_OVER_TOLERANCE"
PRICE_UNDER_TOLERANCE = "PRICE_UNDER_TOLERANCE"
TAX_MISMATCH = "TAX_MISMATCH"


def price_tolerance_percent() -> Decimal:
    return Decimal(str(current_app.config.get("INVOICE_PRICE_TOLERANCE_PERCENT", 2)))


def lock_po_lines(po_line_ids: set[int]) -> None:
    """Lock the PO lines being matched (``FOR UPDATE``, in id order), before the invoice gets
    its id: two invoices of the same lines recorded at once are numbered and matched one after
    the other, so the second counts the first. Receipts lock the same rows."""
    db.session.execute(
        select(PurchaseOrderLine.id)
        .where(PurchaseOrderLine.id.in_(po_line_ids))
        .order_by(PurchaseOrderLine.id)
        .with_for_update()
    ).all()


def invoiced_before(po_line_ids: set[int], invoice_id: int) -> dict[int, Decimal]:
    """PO line id → quantity on non-void invoices recorded before this one."""
    rows = db.session.execute(
        select(InvoiceLine.po_line_id, func.sum(InvoiceLine.quantity))
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(
            InvoiceLine.po_line_id.in_(po_line_ids),
            Invoice.id < invoice_id,
            Invoice.status != InvoiceStatus.VOID,
        )
        .group_by(InvoiceLine.po_line_id)
    ).all()
    found = {i: Decimal("0") for i in po_line_ids}
    found.update({i: Decimal(total) for i, total in rows})
    return found


def _quantity_reason(line: InvoiceLine, net: Decimal, earlier: Decimal) -> dict[str, Any] | None:
    # A supplier credit note for returned goods takes its quantity off what is billed.
    credited = Decimal(line.po_line.quantity_credited or 0)
    invoiced = earlier + line.quantity
    if invoiced - credited <= net:
        return None
    room = max(net + credited - earlier, Decimal("0"))
    credit_note = f", credited {quantity(credited)}" if credited else ""
    return {
        "code": QTY_OVER_RECEIVED,
        "message": (
            f"Invoiced {quantity(invoiced)} in all (earlier invoices {quantity(earlier)}"
            f"{credit_note}) but {quantity(net)} received net of returns"
        ),
        "expected": str(quantity(room)),
        "actual": str(quantity(line.quantity)),
    }


def _price_reason(line: InvoiceLine, po_price: Decimal, pct: Decimal) -> dict[str, Any] | None:
    allowed = po_price * pct / 100
    difference = Decimal(line.unit_price) - po_price
    if abs(difference) <= allowed:
        return None
    over = difference > 0
    return {
        "code": PRICE_OVER_TOLERANCE if over else PRICE_UNDER_TOLERANCE,
        "message": (
            f"Unit price {money(line.unit_price)} is {'above' if over else 'below'} the PO price "
            f"{money(po_price)} by more than {pct.normalize():f} %"
        ),
        "expected": str(money(po_price)),
        "actual": str(money(line.unit_price)),
    }


def expected_tax(invoice: Invoice) -> Decimal:
    """The PO's tax on what this invoice bills: subtotal × the PO's rate, half-up to the cent."""
    return money(Decimal(invoice.subtotal) * Decimal(invoice.purchase_order.tax_rate))


def _tax_reason(invoice: Invoice) -> dict[str, Any] | None:
    expected = expected_tax(invoice)
    invoice.expected_tax_amount = expected
    charged = money(invoice.tax_amount)
    if charged == expected:
        return None
    rate = (Decimal(invoice.purchase_order.tax_rate) * 100).normalize()
    return {
        "code": TAX_MISMATCH,
        "message": (
            f"Tax charged {charged} differs from the PO's tax {expected} "
            f"({rate:f} % of the subtotal {money(invoice.subtotal)})"
        ),
        "expected": str(expected),
        "actual": str(charged),
    }


def match(invoice: Invoice) -> bool:
    """Compute and store each line's mismatch reasons; True when every line matches.
    The invoice must be flushed (its id orders it among the PO line's invoices)."""
    po_line_ids = {line.po_line_id for line in invoice.lines}
    net = inventory.net_received(po_line_ids)
    earlier = invoiced_before(po_line_ids, invoice.id)
    pct = price_tolerance_percent()
    for line in invoice.lines:
        received = net.get(line.po_line_id, Decimal("0"))
        reasons = (
            _quantity_reason(line, received, earlier[line.po_line_id]),
            _price_reason(line, Decimal(line.po_line.unit_price), pct),
        )
        line.match_reasons = [reason for reason in reasons if reason is not None]
    tax = _tax_reason(invoice)
    invoice.match_reasons = [tax] if tax else []
    return not invoice.match_reasons and all(not line.match_reasons for line in invoice.lines)


def reasons_by_line(invoice: Invoice) -> list[dict[str, Any]]:
    """For the audit row and the exception notification: line number → reason codes."""
    found = [
        {"line_no": line.line_no, "codes": [r["code"] for r in line.match_reasons]}
        for line in invoice.lines
        if line.match_reasons
    ]
    if invoice.match_reasons:  # the invoice as a whole (tax): no line number
        found.append({"line_no": None, "codes": [r["code"] for r in invoice.match_reasons]})
    return found
