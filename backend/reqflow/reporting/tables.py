"""The CSV/XLSX shape of each report: its columns and rows (the JSON figures, flattened)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reqflow.core.tabular import Column

SPEND = [
    Column("label", "Group"),
    Column("group_id", "Group id", "int"),
    Column("po_count", "POs", "int"),
    Column("committed", "Committed", "money"),
    Column("received", "Received", "money"),
    Column("invoiced", "Invoiced", "money"),
    Column("paid", "Paid", "money"),
    Column("share", "Share of committed", "percent"),
    Column("budget", "Budget", "money"),
    Column("budget_remaining", "Budget remaining", "money"),
]
CYCLE = [
    Column("kind", "By"),
    Column("label", "Step / approver"),
    Column("count", "Decided", "int"),
    Column("median_hours", "Median hours", "decimal"),
    Column("p90_hours", "P90 hours", "decimal"),
    Column("overdue", "Overdue", "int"),
    Column("escalations", "Escalations", "int"),
    Column("delegations", "Delegations", "int"),
]
SUPPLIERS = [
    Column("code", "Code"),
    Column("name", "Supplier"),
    Column("po_count", "POs", "int"),
    Column("spend", "Spend", "money"),
    Column("on_time_rate", "On-time rate", "percent"),
    Column("lead_time_median_days", "Lead time median (days)", "decimal"),
    Column("quantity_accuracy", "Quantity accuracy", "percent"),
    Column("return_rate", "Return rate", "percent"),
    Column("price_variance_po", "Price variance vs PO", "percent"),
    Column("price_variance_last", "Price variance vs last price", "percent"),
    Column("invoice_count", "Invoices", "int"),
    Column("invoice_exception_rate", "Invoice exception rate", "percent"),
]
AGING = [
    Column("code", "Code"),
    Column("name", "Supplier"),
    Column("current", "Current", "money"),
    Column("days_1_30", "1–30 days", "money"),
    Column("days_31_60", "31–60 days", "money"),
    Column("days_61_90", "61–90 days", "money"),
    Column("days_over_90", "Over 90 days", "money"),
    Column("total", "Total", "money"),
    Column("invoice_count", "Invoices", "int"),
]


def spend_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from report["groups"]
    yield {"label": "Total", **report["totals"]}


def cycle_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for kind, key in (("step", "steps"), ("approver", "approvers")):
        for row in report[key]:
            yield {"kind": kind, **row}


def supplier_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from report["suppliers"]


def aging_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from report["suppliers"]
    yield {"code": "", "name": "Total", **report["totals"]}
