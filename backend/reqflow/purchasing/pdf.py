"""The purchase order as a PDF, for the browser and the supplier e-mail (layout: core.printing)."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from reqflow.core import printing as p
from reqflow.errors import NotFound
from reqflow.extensions import db
from reqflow.purchasing.models import PurchaseOrder


def _parties(po: PurchaseOrder) -> Table:
    supplier = po.supplier
    contact = " · ".join(x for x in (supplier.contact_email, supplier.contact_phone) if x)
    parties = Table(
        [
            [p.para("<b>Supplier</b>"), p.para("<b>Deliver to</b>")],
            [
                p.para(
                    f"{p.text(supplier.name)} ({p.text(supplier.code)})<br/>"
                    f"{p.text(supplier.address)}<br/>{p.text(contact)}"
                ),
                p.para(
                    f"{p.text(po.delivery_address or p.company())}<br/>"
                    f"Expected: {p.text(po.expected_delivery_date or 'to be confirmed')}"
                ),
            ],
        ],
        colWidths=[85 * mm, 85 * mm],
    )
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return parties


def _lines(po: PurchaseOrder) -> Table:
    currency = p.currency()
    rows: list[list[Any]] = [
        ["#", "Description", "Qty", "UoM", f"Unit price ({currency})", "Total"]
    ]
    for line in po.lines:
        rows.append(
            [
                str(line.line_no),
                p.para(p.text(line.description)),
                p.qty(line.quantity),
                line.uom,
                p.amount(line.unit_price),
                p.amount(line.line_total),
            ]
        )
    rows += [
        ["", "", "", "", "Subtotal", p.amount(po.subtotal)],
        ["", "", "", "", f"Tax ({po.tax_rate * 100:.2f} %)", p.amount(po.tax_amount)],
        ["", "", "", "", "Total", f"{currency} {p.amount(po.total_amount)}"],
    ]
    widths = [8 * mm, 72 * mm, 18 * mm, 14 * mm, 30 * mm, 28 * mm]
    return p.table(rows, widths, right_from=2, totals=3)


def render_po_pdf(po_id: int) -> bytes:
    """The PO as PDF bytes (no visibility check: callers decide who may have it)."""
    po = db.session.scalar(
        select(PurchaseOrder)
        .where(PurchaseOrder.id == po_id)
        .options(selectinload(PurchaseOrder.lines), selectinload(PurchaseOrder.supplier))
    )
    if po is None:
        raise NotFound("Purchase order not found")
    issued = po.sent_at or po.approved_at or po.created_at
    facts = [
        f"Date: {issued:%Y-%m-%d}",
        f"Status: {po.status}",
        f"Payment terms: {po.supplier.payment_terms_days} days",
    ]
    story: list[Flowable] = p.heading(f"Purchase order {po.po_number}", facts)
    story += [_parties(po), Spacer(1, 6 * mm), _lines(po)]
    if po.notes:
        story += [Spacer(1, 6 * mm), p.para(f"Notes: {p.text(po.notes)}")]
    return p.render(story, title=f"Purchase order {po.po_number}", subject=po.po_number)


def filename(po_number: str) -> str:
    return f"{po_number}.pdf"
