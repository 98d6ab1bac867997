"""Spend: committed, received, invoiced and paid amounts per supplier, department, project,
item category or month, in one statement.

The unit is the purchase-order line of an approved (or later, not cancelled) PO; its month is
the PO's approval month (UTC). All amounts are net of tax:

- committed — the line total;
- received — quantity received and not returned × the PO unit price;
- invoiced — the line totals of the non-void invoices on the line;
- paid — each invoiced line total × the share of its invoice paid (amount paid / total).

The per-line measures (the committed and received amounts included) are read from
``po_line_measures`` (kept by ``reporting.measures`` as lines, receipts, invoices and payments
change), joined to their PO (and, for a line-level grouping or filter, to the line) and grouped
in SQL by the group key and month in one statement; the per-group totals (and their shares of
the whole) are the roll-up of those few aggregated rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal, null, select
from sqlalchemy.sql.elements import Null

from reqflow.catalog.models import Item, Supplier
from reqflow.core.money import money
from reqflow.extensions import db
from reqflow.identity.models import Department
from reqflow.projects.models import Project
from reqflow.purchasing.models import POStatus, PurchaseOrder, PurchaseOrderLine
from reqflow.reporting.models import PoLineMeasure
from reqflow.reporting.sql import day_after, day_start, month_of
from reqflow.requisitions.models import Requisition, RequisitionItem

GROUPS = ("supplier", "department", "project", "category", "month")
COMMITTED = (
    POStatus.APPROVED,
    POStatus.SENT,
    POStatus.PARTIALLY_RECEIVED,
    POStatus.RECEIVED,
    POStatus.CLOSED,
)
MEASURES = ("committed", "received", "invoiced", "paid")
ZERO = Decimal("0")


def _group_key(group_by: str, month: Any) -> tuple[Any, Any, Any]:
    """(id, label, budget) of the group, for the select list."""
    if group_by == "supplier":
        return Supplier.id, Supplier.name, null()
    if group_by == "department":
        return Department.id, Department.name, null()
    if group_by == "project":
        return Project.id, Project.code + literal(" ") + Project.name, Project.budget_amount
    if group_by == "category":
        return null(), Item.category, null()
    return null(), month, null()


def _filtered(query: Any, filters: dict[str, Any]) -> Any:
    statuses = filters.get("status") or [s.value for s in COMMITTED]
    query = query.where(PurchaseOrder.status.in_(statuses))
    if filters.get("since"):
        query = query.where(PurchaseOrder.approved_at >= day_start(filters["since"]))
    if filters.get("until"):
        query = query.where(PurchaseOrder.approved_at < day_after(filters["until"]))
    for name, column in (
        ("supplier_id", PurchaseOrder.supplier_id),
        ("department_id", Requisition.department_id),
        ("project_id", Requisition.project_id),
    ):
        if filters.get(name) is not None:
            query = query.where(column == filters[name])
    return query


LINE_GROUPS = ("department", "project", "category")


def spend_query(group_by: str, filters: dict[str, Any]) -> Any:
    """One statement over the measure rows of the committed PO lines; the PO lines (and the
    requisitions and items behind them) are joined only when the grouping or a filter needs
    them — by supplier or month the measure row carries the amounts itself."""
    m = PoLineMeasure
    month = month_of(PurchaseOrder.approved_at).label("month")
    gid, label, budget = _group_key(group_by, month)
    query = (
        select(
            gid.label("group_id"),
            label.label("label"),
            budget.label("budget"),
            month,
            func.count(func.distinct(PurchaseOrder.id)).label("po_count"),
            func.sum(m.committed).label("committed"),
            func.sum(m.received_amount).label("received"),
            func.sum(m.invoiced_amount).label("invoiced"),
            func.sum(m.paid_amount).label("paid"),
        )
        .select_from(m)
        .join(PurchaseOrder, PurchaseOrder.id == m.po_id)
        .join(Supplier, Supplier.id == PurchaseOrder.supplier_id)
    )
    by_line = group_by in LINE_GROUPS or any(
        filters.get(name) is not None for name in ("department_id", "project_id")
    )
    if by_line:
        query = (
            query.join(PurchaseOrderLine, PurchaseOrderLine.id == m.po_line_id)
            .outerjoin(RequisitionItem, RequisitionItem.id == PurchaseOrderLine.requisition_item_id)
            .outerjoin(Requisition, Requisition.id == RequisitionItem.requisition_id)
            .outerjoin(Department, Department.id == Requisition.department_id)
            .outerjoin(Project, Project.id == Requisition.project_id)
            .outerjoin(Item, Item.id == PurchaseOrderLine.item_id)
        )
    keys = [k for k in (gid, label, budget, month) if k is not None and not isinstance(k, Null)]
    return _filtered(query, filters).group_by(*keys)


def _amounts(row: Any) -> dict[str, Decimal]:
    return {m: Decimal(str(getattr(row, m) or 0)) for m in MEASURES}


def _rollup(rows: Sequence[Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    groups: dict[tuple[Any, Any], dict[str, Any]] = {}
    months = []
    for row in rows:
        amounts = _amounts(row)
        months.append(
            {"month": row.month, "group_id": row.group_id, "label": row.label or "(none)"}
            | {m: money(v) for m, v in amounts.items()}
        )
        entry = groups.setdefault(
            (row.group_id, row.label),
            {"group_id": row.group_id, "label": row.label or "(none)", "po_count": 0}
            | dict.fromkeys(MEASURES, ZERO)
            | {"budget": None if row.budget is None else money(row.budget)},
        )
        entry["po_count"] += int(row.po_count)
        for m in MEASURES:
            entry[m] += amounts[m]
    return list(groups.values()), months


def spend(*, group_by: str, filters: dict[str, Any]) -> dict[str, Any]:
    """Spend per group (with shares and, per project, budget vs committed) and per month."""
    rows = db.session.execute(spend_query(group_by, filters)).all()
    groups, months = _rollup(rows)
    totals = {m: money(sum((g[m] for g in groups), ZERO)) for m in MEASURES}
    for g in groups:
        for m in MEASURES:
            g[m] = money(g[m])
        g["share"] = (
            (g["committed"] / totals["committed"]).quantize(Decimal("0.0001"))
            if totals["committed"]
            else Decimal("0")
        )
        g["budget_remaining"] = None if g["budget"] is None else money(g["budget"] - g["committed"])
    groups.sort(key=lambda g: (-g["committed"], g["label"]))
    months.sort(key=lambda r: (r["month"] or "", r["label"]))
    return {
        "group_by": group_by,
        "since": filters.get("since"),
        "until": filters.get("until"),
        "groups": groups,
        "by_month": months,
        "totals": totals,
    }
