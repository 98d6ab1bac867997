"""GET /reports/spend, /reports/approval-cycle-time and /reports/supplier-performance, as JSON
or (``format=csv|xlsx``) as a file with the same figures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from flask_restful import Resource

from reqflow.core.envelope import ok
from reqflow.core.rbac import current_user, require_permission
from reqflow.core.schemas import query_args
from reqflow.core.tabular import CSV_MIME, XLSX_MIME, Column, download
from reqflow.errors import Forbidden
from reqflow.reporting import tables
from reqflow.reporting.cycle_time import cycle_time
from reqflow.reporting.schedule_resources import ReportScheduleResource
from reqflow.reporting.schemas import (
    CycleTimeQuery,
    CycleTimeRead,
    PerformanceQuery,
    PerformanceRead,
    SpendQuery,
    SpendRead,
)
from reqflow.reporting.spend import spend
from reqflow.reporting.supplier_performance import supplier_performance

FILES = [CSV_MIME, XLSX_MIME]  # format=csv|xlsx


def require_procurement_reports() -> None:
    """Spend and supplier performance: reports:financial or reports:procurement."""
    user = current_user()
    if not (user.can("reports", "financial") or user.can("reports", "procurement")):
        raise Forbidden("You do not have permission to do this")


def respond(
    report: dict[str, Any],
    fmt: str,
    name: str,
    table: tuple[list[Column], Callable[[dict[str, Any]], Iterator[dict[str, Any]]]],
    message: str,
) -> Any:
    if fmt == "json":
        return ok({name: report}, message)
    columns, rows = table
    filename = f"{name.replace('_', '-')}-{date.today().isoformat()}"
    return download(columns, rows(report), fmt, filename)


class SpendReport(Resource):
    schemas = {"get": {"query": SpendQuery, "response": SpendRead, "key": "spend", "files": FILES}}

    def get(self):
        """Committed, received, invoiced and paid per supplier, department, project, category
        or month, with shares, budget vs committed per project and the monthly split."""
        require_procurement_reports()
        args = query_args(SpendQuery())
        report = SpendRead().dump(spend(group_by=args["group_by"], filters=args))
        return respond(report, args["format"], "spend", (tables.SPEND, tables.spend_rows), "Spend")


class CycleTimeReport(Resource):
    schemas = {
        "get": {
            "query": CycleTimeQuery,
            "response": CycleTimeRead,
            "key": "approval_cycle_time",
            "files": FILES,
        }
    }

    @require_permission("reports", "financial")
    def get(self):
        """Hours from pending to decision per policy step and approver (count, median, p90),
        overdue, escalations, delegations; the slowest steps still pending."""
        args = query_args(CycleTimeQuery())
        report = CycleTimeRead().dump(cycle_time(filters=args))
        table = (tables.CYCLE, tables.cycle_rows)
        return respond(report, args["format"], "approval_cycle_time", table, "Approval cycle time")


class SupplierPerformanceReport(Resource):
    schemas = {
        "get": {
            "query": PerformanceQuery,
            "response": PerformanceRead,
            "key": "supplier_performance",
            "files": FILES,
        }
    }

    def get(self):
        """Per supplier: on-time rate, lead time, quantity accuracy, return rate, price
        variance (vs PO and vs last price), invoice exception rate and spend."""
        require_procurement_reports()
        args = query_args(PerformanceQuery())
        report = PerformanceRead().dump(supplier_performance(filters=args))
        table = (tables.SUPPLIERS, tables.supplier_rows)
        return respond(
            report, args["format"], "supplier_performance", table, "Supplier performance"
        )


def register(api: Any) -> None:
    api.add_resource(SpendReport, "/reports/spend")
    api.add_resource(CycleTimeReport, "/reports/approval-cycle-time")
    api.add_resource(SupplierPerformanceReport, "/reports/supplier-performance")
    api.add_resource(ReportScheduleResource, "/reports/schedule")
