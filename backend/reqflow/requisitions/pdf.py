"""A requisition as a PDF, with its lines and its approval history (layout: core.printing)."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from reqflow.approvals.models import ApprovalStep
from reqflow.core import printing as p
from reqflow.requisitions.models import Requisition


def _lines(requisition: Requisition) -> Any:
    rows: list[list[Any]] = [["#", "Description", "Qty", "UoM", "Est. unit price", "Total"]]
    for item in requisition.items:
        rows.append(
            [
                str(item.line_no),
                p.para(p.text(item.description)),
                p.qty(item.quantity),
                item.uom,
                p.amount(item.estimated_unit_price),
                p.amount(item.line_total),
            ]
        )
    rows.append(["", "", "", "", "Total", f"{p.currency()} {p.amount(requisition.total_amount)}"])
    widths = [8 * mm, 72 * mm, 18 * mm, 14 * mm, 30 * mm, 28 * mm]
    return p.table(rows, widths, right_from=2, totals=1)


def _person(user: Any) -> str:
    return user.full_name if user is not None else ""


def _history(steps: list[ApprovalStep]) -> Any:
    rows: list[list[Any]] = [["Round", "Step", "Approver", "Status", "Decided", "Comment"]]
    for step in steps:
        approver = _person(step.approver) or (step.role or "")
        decided = _person(step.decided_by)
        if step.on_behalf_of is not None:
            decided += f" for {_person(step.on_behalf_of)}"
        rows.append(
            [
                str(step.round),
                p.para(p.text(step.label)),
                p.para(p.text(approver)),
                step.status,
                p.para(p.text(decided) + f"<br/>{p.when(step.decided_at)}" * bool(step.decided_at)),
                p.para(p.text(step.comment or "")),
            ]
        )
    widths = [12 * mm, 36 * mm, 32 * mm, 22 * mm, 32 * mm, 40 * mm]
    return p.table(rows, widths)


def render(requisition: Requisition, steps: list[ApprovalStep]) -> bytes:
    """The requisition (loaded with its lines, as its detail is) and its approval steps."""
    facts = [
        f"Status: {requisition.status}",
        f"Requester: {_person(requisition.requester)}",
        f"Department: {requisition.department.name if requisition.department else '—'}",
        f"Needed by: {p.when(requisition.needed_by) or '—'}",
    ]
    story: list[Flowable] = p.heading(f"Purchase requisition {requisition.req_number}", facts)
    story.append(p.para(f"<b>Purpose:</b> {p.text(requisition.purpose)}"))
    if requisition.project is not None:
        story.append(p.para(f"<b>Project:</b> {p.text(requisition.project.code)}"))
    story.append(p.para(f"<b>Justification:</b> {p.text(requisition.justification)}"))
    story += p.section("Lines") + [_lines(requisition)]
    story += p.section("Approval history")
    story.append(_history(steps) if steps else p.para("Not submitted for approval yet."))
    number = requisition.req_number
    return p.render(story, title=f"Requisition {number}", subject=number)
