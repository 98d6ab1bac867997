"""Accounting documents as PDF (layout: core.printing): the invoice voucher (lines with
their three-way match result, approval and payments) and the AP aging report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from reqflow.accounting.aging import BUCKETS
from reqflow.accounting.models import Invoice
from reqflow.core import printing as p

BUCKET_TITLES = ("Current", "1–30", "31–60", "61–90", "> 90")


def _match(line: Any) -> str:
    if not line.match_reasons:
        return "Matched"
    return "<br/>".join(p.text(r.get("message") or r.get("code")) for r in line.match_reasons)


def _lines(invoice: Invoice) -> Any:
    rows: list[list[Any]] = [["#", "Description", "Qty", "Unit price", "Total", "Match"]]
    for line in invoice.lines:
        rows.append(
            [
                str(line.line_no),
                p.para(p.text(line.description)),
                p.qty(line.quantity),
                p.amount(line.unit_price),
                p.amount(line.line_total),
                p.para(_match(line)),
            ]
        )
    balance = invoice.total_amount - invoice.amount_paid
    rows += [
        ["", "", "", "Subtotal", p.amount(invoice.subtotal), ""],
        ["", "", "", "Tax", p.amount(invoice.tax_amount), ""],
        ["", "", "", "Total", f"{p.currency()} {p.amount(invoice.total_amount)}", ""],
        ["", "", "", "Paid", p.amount(invoice.amount_paid), ""],
        ["", "", "", "Balance", p.amount(balance), ""],
    ]
    widths = [8 * mm, 58 * mm, 16 * mm, 24 * mm, 28 * mm, 40 * mm]
    return p.table(rows, widths, right_from=2, totals=5)


def _payments(invoice: Invoice) -> Any:
    rows: list[list[Any]] = [["Payment", "Paid on", "Method", "Reference", "Amount"]]
    for pay in sorted(invoice.payments, key=lambda x: (x.paid_on, x.id)):
        rows.append(
            [
                pay.payment_number,
                p.when(pay.paid_on),
                pay.method,
                pay.reference or "",
                p.amount(pay.amount),
            ]
        )
    return p.table(rows, [34 * mm, 26 * mm, 34 * mm, 50 * mm, 30 * mm], right_from=4)


def _approval(invoice: Invoice) -> str:
    if invoice.approved_at is None:
        return "Not approved yet."
    by = invoice.approved_by.full_name if invoice.approved_by else ""
    text = f"Approved by {p.text(by)} on {p.when(invoice.approved_at)}."
    if invoice.override_reason:
        text += f" Exception overridden: {p.text(invoice.override_reason)}"
    return text


def render_invoice(invoice: Invoice) -> bytes:
    """The voucher of an invoice loaded as its detail is (lines, payments, supplier, PO)."""
    facts = [
        f"Supplier invoice: {invoice.invoice_number}",
        f"Dated: {p.when(invoice.invoice_date)}",
        f"Due: {p.when(invoice.due_date)}",
        f"Status: {invoice.status}",
    ]
    story: list[Flowable] = p.heading(f"Invoice voucher {invoice.inv_number}", facts)
    story.append(
        p.para(
            f"<b>Supplier:</b> {p.text(invoice.supplier.name)} ({p.text(invoice.supplier.code)})"
            f" · <b>Purchase order:</b> {p.text(invoice.purchase_order.po_number)}"
        )
    )
    story += p.section("Lines and three-way match") + [_lines(invoice)]
    story += p.section("Approval") + [p.para(_approval(invoice))]
    story += p.section("Payments")
    story.append(_payments(invoice) if invoice.payments else p.para("No payments yet."))
    number = invoice.inv_number
    return p.render(story, title=f"Invoice voucher {number}", subject=number)


def render_aging(report: dict[str, Any]) -> bytes:
    """The AP aging report (``aging.ap_aging``) as a landscape table, totals last."""
    header = ["Supplier", *BUCKET_TITLES, "Total", "Invoices"]

    def cells(label: Any, row: dict[str, Any]) -> list[Any]:
        figures = [p.amount(Decimal(row[b])) for b in BUCKETS]
        return [label, *figures, p.amount(Decimal(row["total"])), str(row["invoice_count"])]

    rows: list[list[Any]] = [header]
    for supplier in report["suppliers"]:
        name = p.para(f"{p.text(supplier['name'])} ({p.text(supplier['code'])})")
        rows.append(cells(name, supplier))
    rows.append(cells("Total", report["totals"]))
    widths = [70 * mm, *([26 * mm] * 6), 20 * mm]
    facts = [f"As of {p.when(report['as_of'])}", f"Amounts in {p.currency()}"]
    story: list[Flowable] = p.heading("Accounts payable aging", facts)
    story.append(p.table(rows, widths, right_from=1, totals=1))
    title = f"AP aging {report['as_of']:%Y-%m-%d}"
    return p.render(story, title=title, subject=title, wide=True)
