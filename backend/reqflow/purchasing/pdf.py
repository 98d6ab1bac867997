"""The purchase order as a PDF (reportlab): for the browser and for the supplier e-mail."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from flask import current_app
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from reqflow.core.money import CENT, MILLI
from reqflow.errors import NotFound
from reqflow.extensions import db
from reqflow.purchasing.models import PurchaseOrder

DEFAULT_COMPANY = "ReqFlow Manufacturing"


def _text(value: Any) -> str:
    """Escaped for reportlab's mini-markup, line breaks kept."""
    return escape(str(value or "")).replace("\n", "<br/>")


def _amount(value: Any) -> str:
    return f"{value.quantize(CENT):,.2f}"


def _qty(value: Any) -> str:
    return f"{value.quantize(MILLI).normalize():f}"


def _header(po: PurchaseOrder, styles: Any) -> list[Any]:
    company = current_app.config.get("COMPANY_NAME") or DEFAULT_COMPANY
    issued = po.sent_at or po.approved_at or po.created_at
    supplier = po.supplier
    contact = " · ".join(x for x in (supplier.contact_email, supplier.contact_phone) if x)
    parties = Table(
        [
            [
                Paragraph("<b>Supplier</b>", styles["Normal"]),
                Paragraph("<b>Deliver to</b>", styles["Normal"]),
            ],
            [
                Paragraph(
                    f"{_text(supplier.name)} ({_text(supplier.code)})<br/>"
                    f"{_text(supplier.address)}<br/>{_text(contact)}",
                    styles["Normal"],
                ),
                Paragraph(
                    f"{_text(po.delivery_address or company)}<br/>"
                    f"Expected: {_text(po.expected_delivery_date or 'to be confirmed')}",
                    styles["Normal"],
                ),
            ],
        ],
        colWidths=[85 * mm, 85 * mm],
    )
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [
        Paragraph(_text(company), styles["Title"]),
        Paragraph(f"Purchase order {_text(po.po_number)}", styles["Heading2"]),
        Paragraph(
            f"Date: {issued:%Y-%m-%d} · Status: {_text(po.status)} · "
            f"Payment terms: {supplier.payment_terms_days} days",
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
        parties,
        Spacer(1, 6 * mm),
    ]


def _lines(po: PurchaseOrder, styles: Any) -> Table:
    currency = current_app.config.get("BASE_CURRENCY", "USD")
    rows: list[list[Any]] = [
        ["#", "Description", "Qty", "UoM", f"Unit price ({currency})", "Total"]
    ]
    for line in po.lines:
        rows.append(
            [
                str(line.line_no),
                Paragraph(_text(line.description), styles["Normal"]),
                _qty(line.quantity),
                line.uom,
                _amount(line.unit_price),
                _amount(line.line_total),
            ]
        )
    n = len(rows)
    rows += [
        ["", "", "", "", "Subtotal", _amount(po.subtotal)],
        ["", "", "", "", f"Tax ({po.tax_rate * 100:.2f} %)", _amount(po.tax_amount)],
        ["", "", "", "", "Total", f"{currency} {_amount(po.total_amount)}"],
    ]
    table = Table(rows, colWidths=[8 * mm, 72 * mm, 18 * mm, 14 * mm, 30 * mm, 28 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("GRID", (0, 0), (-1, n - 1), 0.25, colors.grey),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (4, -1), (-1, -1), "Helvetica-Bold"),
                ("LINEABOVE", (4, n), (-1, n), 0.5, colors.black),
            ]
        )
    )
    return table


def render_po_pdf(po_id: int) -> bytes:
    """The PO as PDF bytes (no visibility check: callers decide who may have it)."""
    po = db.session.scalar(
        select(PurchaseOrder)
        .where(PurchaseOrder.id == po_id)
        .options(selectinload(PurchaseOrder.lines), selectinload(PurchaseOrder.supplier))
    )
    if po is None:
        raise NotFound("Purchase order not found")
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    company = current_app.config.get("COMPANY_NAME") or DEFAULT_COMPANY
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Purchase order {po.po_number}",
        author=company,
        subject=po.po_number,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    story = _header(po, styles) + [_lines(po, styles)]
    if po.notes:
        story += [Spacer(1, 6 * mm), Paragraph(f"Notes: {_text(po.notes)}", styles["Normal"])]
    doc.build(story)
    return buffer.getvalue()


def filename(po_number: str) -> str:
    return f"{po_number}.pdf"
