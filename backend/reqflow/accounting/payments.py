"""Payments (PAY-…) against approved invoices.

The invoice row is locked (``FOR UPDATE``) before the remaining balance is checked, so two
payments posted at the same moment are checked one after the other: together they never
exceed the invoice total (a CHECK constraint on ``amount_paid`` backs this up).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from reqflow.accounting import events as ev
from reqflow.accounting import service
from reqflow.accounting.models import PAYABLE, Payment
from reqflow.core.money import money
from reqflow.core.numbering import next_number
from reqflow.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User


def pay(*, actor: User, data: dict[str, Any]) -> Payment:
    """Record a payment of an Approved or Partially Paid invoice; never more than what remains,
    never by the person who approved the invoice. The invoice becomes Partially Paid or Paid."""
    if not actor.can("payment", "process"):
        raise Forbidden("You do not have permission to do this")
    try:
        invoice = service.get(invoice_id=data["invoice_id"], actor=actor, lock=True)
    except NotFound:
        raise ValidationFailed(
            "Validation failed", details={"invoice_id": ["No such invoice."]}
        ) from None
    if invoice.status not in PAYABLE:
        raise InvalidTransition(
            f"Only approved invoices are paid; this one is {invoice.status}",
            details={"status": invoice.status, "action": "pay"},
        )
    if invoice.approved_by_id == actor.id:
        raise Forbidden("Nobody pays an invoice they approved")
    amount = money(data["amount"])
    remaining = money(invoice.balance_due)
    if amount > remaining:
        raise ValidationFailed(
            "Validation failed",
            details={"amount": [f"At most {remaining} remains to be paid on this invoice."]},
        )
    payment = Payment(
        payment_number=next_number("PAY"),
        invoice_id=invoice.id,
        supplier_id=invoice.supplier_id,
        amount=amount,
        paid_on=data["paid_on"],
        method=data["method"],
        reference=data.get("reference"),
        recorded_by_id=actor.id,
    )
    db.session.add(payment)
    invoice.amount_paid = money(invoice.amount_paid + amount)
    full = money(invoice.balance_due) == 0
    old, _ = invoice.apply("pay_full" if full else "pay_partial")
    db.session.flush()
    record(
        ev.PaymentRecorded(
            actor_id=actor.id,
            resource_id=payment.id,
            payment_number=payment.payment_number,
            invoice_id=invoice.id,
            inv_number=invoice.inv_number,
            supplier_id=invoice.supplier_id,
            amount=str(amount),
            invoice_status=invoice.status,
            new_values={
                "amount": str(amount),
                "paid_on": payment.paid_on.isoformat(),
                "method": payment.method,
                "reference": payment.reference,
            },
        )
    )
    cls = ev.InvoicePaid if full else ev.InvoicePartiallyPaid
    service.event(cls, invoice, actor.id, old, comment=payment.payment_number)
    db.session.commit()
    return payment


def list_query(actor: User, args: dict[str, Any]) -> Select[Any]:
    """Payments the actor may see (those who see invoices), filtered."""
    query = select(Payment)
    if not service.can_view(actor):
        raise Forbidden("You do not have permission to do this")
    for field in ("invoice_id", "supplier_id", "method"):
        if args.get(field) is not None:
            query = query.where(getattr(Payment, field) == args[field])
    if args.get("since") is not None:
        query = query.where(Payment.paid_on >= args["since"])
    if args.get("until") is not None:
        query = query.where(Payment.paid_on <= args["until"])
    return query


SORTABLE = {
    "paid_on": Payment.paid_on,
    "amount": Payment.amount,
    "created_at": Payment.created_at,
    "payment_number": Payment.payment_number,
    "id": Payment.id,
}
