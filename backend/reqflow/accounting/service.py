"""Invoice use cases: record (with the three-way match), rematch, approve, void.

Each public function is one transaction; every status change goes through ``Invoice.apply``
and records an event (hence an audit row). Payments live in ``payments``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, false, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from reqflow.accounting import credits, matching, validation
from reqflow.accounting import events as ev
from reqflow.accounting.models import Invoice, InvoiceLine, InvoiceStatus, can, next_status
from reqflow.core.money import money
from reqflow.core.numbering import next_number
from reqflow.core.versioning import expect_version
from reqflow.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User

VIEW_PERMISSIONS = (
    ("invoice", "create"),
    ("accounting", "manage"),
    ("payment", "process"),
    ("reports", "financial"),
)


def can_view(user: User) -> bool:
    return any(user.can(resource, action) for resource, action in VIEW_PERMISSIONS)


def visible_query(user: User) -> Select[Any]:
    query = select(Invoice)
    return query if can_view(user) else query.where(false())


def get(*, invoice_id: int, actor: User, lock: bool = False) -> Invoice:
    """One invoice the actor may see (404 otherwise)."""
    query = visible_query(actor).where(Invoice.id == invoice_id)
    if lock:
        query = query.with_for_update(of=Invoice).execution_options(populate_existing=True)
    invoice = db.session.scalar(
        query.options(
            selectinload(Invoice.lines).joinedload(InvoiceLine.po_line),
            selectinload(Invoice.payments),
            joinedload(Invoice.supplier),
            joinedload(Invoice.purchase_order),
        )
    )
    if invoice is None:
        raise NotFound("Invoice not found")
    return invoice


def event(
    cls: type[ev._InvoiceEvent],
    invoice: Invoice,
    actor_id: int | None,
    old: str | None = None,
    **extra: Any,
) -> None:
    """Record an invoice event (outbox + audit row) in the current transaction."""
    extra.setdefault("old_values", {"status": old} if old else None)
    extra.setdefault(
        "new_values",
        {"status": invoice.status, "amount_paid": str(money(invoice.amount_paid or 0))},
    )
    record(
        cls(
            actor_id=actor_id,
            resource_id=invoice.id,
            inv_number=invoice.inv_number,
            invoice_number=invoice.invoice_number,
            supplier_id=invoice.supplier_id,
            po_id=invoice.po_id,
            status=invoice.status,
            total_amount=str(invoice.total_amount),
            recorded_by_id=invoice.recorded_by_id,
            **extra,
        )
    )


def _run_match(invoice: Invoice, actor_id: int | None) -> None:
    """Match the lines and move to Matched or Exception, recording the outcome."""
    ok = matching.match(invoice)
    old, _ = invoice.apply("match" if ok else "except")
    reasons = matching.reasons_by_line(invoice)
    cls = ev.InvoiceMatched if ok else ev.InvoiceException
    event(
        cls,
        invoice,
        actor_id,
        old,
        new_values={"status": invoice.status, "mismatches": reasons},
    )


def record_invoice(*, actor: User, data: dict[str, Any]) -> Invoice:
    """Record a supplier invoice against a PO (INV-…) and three-way match it at once:
    Matched, or Exception with the reasons per line (Accountants are told)."""
    if not actor.can("invoice", "create"):
        raise Forbidden("You do not have permission to do this")
    po = validation.order(actor, data)
    number = data["invoice_number"].strip()
    matching.lock_po_lines({line["po_line_id"] for line in data["lines"]})
    taken = db.session.scalar(
        select(Invoice.id).where(
            Invoice.supplier_id == po.supplier_id, Invoice.invoice_number == number
        )
    )
    if taken is not None:
        raise validation.duplicate(po.supplier_id, number)
    lines = validation.build_lines(po, data["lines"])
    subtotal = money(sum((line.line_total for line in lines), Decimal("0")))
    tax = data.get("tax_amount")
    tax = money(subtotal * Decimal(po.tax_rate)) if tax is None else money(tax)
    invoice_date = data["invoice_date"]
    due_date = data.get("due_date") or invoice_date + timedelta(days=po.supplier.payment_terms_days)
    if due_date < invoice_date:
        raise ValidationFailed(
            "Validation failed", details={"due_date": ["Cannot be before the invoice date."]}
        )
    invoice = Invoice(
        inv_number=next_number("INV"),
        invoice_number=number,
        supplier_id=po.supplier_id,
        po_id=po.id,
        status=InvoiceStatus.RECEIVED,
        invoice_date=invoice_date,
        due_date=due_date,
        subtotal=subtotal,
        tax_amount=tax,
        total_amount=money(subtotal + tax),
        amount_paid=Decimal("0.00"),
        notes=data.get("notes"),
        recorded_by_id=actor.id,
        lines=lines,
    )
    db.session.add(invoice)
    try:
        db.session.flush()
    except IntegrityError as exc:  # a concurrent recording of the same number won the race
        db.session.rollback()
        raise validation.duplicate(po.supplier_id, number) from exc
    event(ev.InvoiceRecorded, invoice, actor.id, new_values=invoice.audit_view())
    _run_match(invoice, actor.id)
    credits.apply_waiting_credits(invoice, actor.id)
    db.session.commit()
    return invoice


def _locked(actor: User, invoice_id: int, version: int | None) -> Invoice:
    invoice = get(invoice_id=invoice_id, actor=actor, lock=True)
    expect_version(invoice, version, "invoice")
    return invoice


def rematch(*, actor: User, invoice_id: int, version: int | None = None) -> Invoice:
    """Match a Matched or Exception invoice again (after more receipts or a return)."""
    if not actor.can("invoice", "create"):
        raise Forbidden("You do not have permission to do this")
    invoice = _locked(actor, invoice_id, version)
    if invoice.status not in (InvoiceStatus.MATCHED, InvoiceStatus.EXCEPTION):
        raise InvalidTransition(
            f"Cannot match an invoice that is {invoice.status}",
            details={"status": invoice.status, "action": "match"},
        )
    matching.lock_po_lines({line.po_line_id for line in invoice.lines})
    _run_match(invoice, actor.id)
    db.session.commit()
    return invoice


def approve(
    *,
    actor: User,
    invoice_id: int,
    override_reason: str | None = None,
    comment: str | None = None,
    version: int | None = None,
) -> Invoice:
    """An Accountant other than the recorder approves a Matched invoice, or an Exception
    with an ``override_reason``."""
    if not actor.can("accounting", "manage"):
        raise Forbidden("You do not have permission to do this")
    invoice = _locked(actor, invoice_id, version)
    action = "approve_override" if invoice.status == InvoiceStatus.EXCEPTION else "approve"
    next_status(invoice.status, action)
    if invoice.recorded_by_id == actor.id:
        raise Forbidden("Nobody approves an invoice they recorded")
    if action == "approve_override" and not (override_reason or "").strip():
        raise ValidationFailed(
            "Validation failed",
            details={"override_reason": ["Required to approve an invoice with exceptions."]},
        )
    old, _ = invoice.apply(action)
    invoice.approved_by_id = actor.id
    invoice.override_reason = override_reason if action == "approve_override" else None
    event(
        ev.InvoiceApproved,
        invoice,
        actor.id,
        old,
        comment=override_reason or comment,
        new_values={"status": invoice.status, "override_reason": invoice.override_reason},
    )
    db.session.commit()
    return invoice


def void(*, actor: User, invoice_id: int, reason: str, version: int | None = None) -> Invoice:
    """Void an invoice before any payment (409 once something was paid)."""
    if not actor.can("accounting", "manage"):
        raise Forbidden("You do not have permission to do this")
    invoice = _locked(actor, invoice_id, version)
    if invoice.amount_paid and invoice.amount_paid > 0:
        raise InvalidTransition(
            "An invoice with payments cannot be voided",
            details={"status": invoice.status, "action": "void"},
        )
    old, _ = invoice.apply("void")
    invoice.voided_by_id = actor.id
    invoice.void_reason = reason
    event(ev.InvoiceVoided, invoice, actor.id, old, comment=reason)
    db.session.commit()
    return invoice


def allowed_actions(invoice: Invoice, actor: User) -> list[str]:
    """What the UI may offer this user now."""
    actions: list[str] = []
    manage = actor.can("accounting", "manage")
    approvable = can(invoice.status, "approve") or can(invoice.status, "approve_override")
    if manage and actor.id != invoice.recorded_by_id and approvable:
        actions.append("approve")
    if actor.can("invoice", "create") and invoice.status in ("Matched", "Exception"):
        actions.append("rematch")
    if manage and can(invoice.status, "void"):
        actions.append("void")
    if (
        actor.can("payment", "process")
        and invoice.status in ("Approved", "Partially Paid")
        and actor.id != invoice.approved_by_id
    ):
        actions.append("pay")
    return actions
