"""Supplier credit notes: the supplier credits goods returned to it (RTV-…) instead of
replacing them.

A credit note is recorded on the return itself (its number and amount) rather than as an
invoice of negative amount: an invoice is matched against receipts and paid, a credit note
is neither, and negative quantities or totals would weaken every check that keeps invoices
honest. What a credit note changes:
- the PO lines' ``quantity_credited``: the three-way match takes it off what was invoiced,
  and no replacement is expected for it any more;
- the payable: it is applied to an open invoice of the same PO (``credited_amount``, which
  ``balance_due``, payments and AP aging subtract); when no invoice can take it yet, the next
  invoice recorded for that PO takes it.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from reqflow.accounting import events as ev
from reqflow.accounting import matching
from reqflow.accounting.models import Invoice, InvoiceStatus
from reqflow.core.money import money
from reqflow.errors import ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.inventory import returns
from reqflow.inventory.return_models import ReturnStatus, SupplierReturn

OPEN_INVOICE = (
    InvoiceStatus.RECEIVED,
    InvoiceStatus.MATCHED,
    InvoiceStatus.EXCEPTION,
    InvoiceStatus.APPROVED,
    InvoiceStatus.PARTIALLY_PAID,
)


def default_amount(rtv: SupplierReturn) -> Decimal:
    """The returned quantities at the PO prices, with the PO's tax."""
    subtotal = money(sum((x.quantity * x.po_line.unit_price for x in rtv.lines), Decimal("0")))
    return money(subtotal + money(subtotal * Decimal(rtv.purchase_order.tax_rate)))


def _apply(rtv: SupplierReturn, invoice: Invoice, actor_id: int | None) -> None:
    amount = Decimal(rtv.credit_amount or 0)
    invoice.credited_amount = money(invoice.credited_amount + amount)
    rtv.credited_invoice_id = invoice.id
    old = None
    payable = invoice.status in (InvoiceStatus.APPROVED, InvoiceStatus.PARTIALLY_PAID)
    if payable and money(invoice.balance_due) == 0:  # settled by the credit note alone
        old, _ = invoice.apply("pay_full")
    record(
        ev.InvoiceCredited(
            actor_id=actor_id,
            resource_id=invoice.id,
            inv_number=invoice.inv_number,
            invoice_number=invoice.invoice_number,
            supplier_id=invoice.supplier_id,
            po_id=invoice.po_id,
            status=invoice.status,
            total_amount=str(invoice.total_amount),
            recorded_by_id=invoice.recorded_by_id,
            comment=f"Credit note {rtv.credit_note_number} on {rtv.rtv_number}",
            credit_note_number=rtv.credit_note_number or "",
            credit_amount=str(money(amount)),
            old_values={"status": old} if old else None,
            new_values={
                "status": invoice.status,
                "credited_amount": str(invoice.credited_amount),
                "rtv_number": rtv.rtv_number,
            },
        )
    )


def _open_invoice(po_id: int, amount: Decimal) -> Invoice | None:
    """The oldest open invoice of the PO whose balance can take the whole credit."""
    candidates = db.session.scalars(
        select(Invoice)
        .where(Invoice.po_id == po_id, Invoice.status.in_([s.value for s in OPEN_INVOICE]))
        .order_by(Invoice.id)
        .with_for_update()
    )
    return next((inv for inv in candidates if money(inv.balance_due) >= amount), None)


def credit(
    *,
    actor: User,
    return_id: int,
    credit_note_number: str,
    amount: Decimal | None = None,
    version: int | None = None,
    comment: str | None = None,
) -> SupplierReturn:
    """Record the supplier's credit note on a shipped-back return: Credited; the payable of
    the PO's open invoice drops by its amount."""

    def settle(rtv: SupplierReturn) -> None:
        value = default_amount(rtv) if amount is None else money(amount)
        if value <= 0:
            raise ValidationFailed(
                "Validation failed", details={"amount": ["Must be greater than 0."]}
            )
        rtv.credit_note_number, rtv.credit_amount = credit_note_number.strip(), value
        matching.lock_po_lines({x.po_line_id for x in rtv.lines})
        for line in rtv.lines:
            line.po_line.quantity_credited = line.po_line.quantity_credited + line.quantity
        invoice = _open_invoice(rtv.po_id, value)
        if invoice is not None:
            _apply(rtv, invoice, actor.id)

    return returns.transition(
        actor=actor,
        return_id=return_id,
        action="credit",
        version=version,
        comment=comment,
        settle=settle,
    )


def apply_waiting_credits(invoice: Invoice, actor_id: int | None) -> None:
    """A new invoice takes the credit notes of its PO that no invoice could take yet."""
    waiting = db.session.scalars(
        select(SupplierReturn)
        .where(
            SupplierReturn.po_id == invoice.po_id,
            SupplierReturn.status == ReturnStatus.CREDITED,
            SupplierReturn.credited_invoice_id.is_(None),
        )
        .order_by(SupplierReturn.id)
        .with_for_update()
    )
    for rtv in waiting:
        if money(invoice.balance_due) >= Decimal(rtv.credit_amount or 0):
            _apply(rtv, invoice, actor_id)
