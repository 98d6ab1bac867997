"""A goods receipt note as a PDF: what arrived, where it went, its condition and the
requesters' decisions (layout: core.printing)."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from reqflow.core import printing as p
from reqflow.inventory.models import GoodsReceipt


def _lines(receipt: GoodsReceipt) -> Any:
    rows: list[list[Any]] = [["#", "Description", "Qty", "UoM", "Location", "Condition", "Status"]]
    for n, line in enumerate(receipt.lines, start=1):
        status = line.status
        if line.reject_reason:
            status += f": {line.reject_reason}"
        rows.append(
            [
                str(n),
                p.para(p.text(line.description)),
                p.qty(line.quantity),
                line.uom,
                line.location.code,
                line.condition,
                p.para(p.text(status)),
            ]
        )
    widths = [8 * mm, 62 * mm, 18 * mm, 12 * mm, 24 * mm, 20 * mm, 30 * mm]
    return p.table(rows, widths)


def render(receipt: GoodsReceipt) -> bytes:
    """The receipt (loaded as its detail is: lines with locations, the PO) as PDF bytes."""
    po = receipt.purchase_order
    facts = [
        f"Received: {p.when(receipt.received_at)}",
        f"By: {receipt.received_by.full_name}",
        f"Purchase order: {po.po_number}",
        f"Status: {receipt.status}",
    ]
    if receipt.delivery_note_number:
        facts.append(f"Delivery note: {receipt.delivery_note_number}")
    if receipt.receipt_date:
        facts.append(f"Receipt date: {receipt.receipt_date.isoformat()}")
    story: list[Flowable] = p.heading(f"Goods receipt note {receipt.grn_number}", facts)
    story.append(p.para(f"<b>Supplier:</b> {p.text(po.supplier.name)}"))
    story += p.section("Goods received") + [_lines(receipt)]
    if receipt.notes:
        story += p.section("Notes") + [p.para(p.text(receipt.notes))]
    number = receipt.grn_number
    return p.render(story, title=f"Goods receipt note {number}", subject=number)
