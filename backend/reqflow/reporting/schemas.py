"""Query and response schemas of the reports (exact, for the OpenAPI document)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from reqflow.core.money import Money
from reqflow.core.schemas import QuerySchema
from reqflow.purchasing.models import POStatus
from reqflow.reporting.spend import COMMITTED, GROUPS

FORMATS = ("json", "csv", "xlsx")


class ReportQuery(QuerySchema):
    since = fields.Date(data_key="from", metadata={"description": "first day (UTC), inclusive"})
    until = fields.Date(data_key="to", metadata={"description": "last day (UTC), inclusive"})
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError("must not be before from", "to")


class StatusList(fields.String):
    """A comma-separated list of committed PO statuses."""

    def _deserialize(  # type: ignore[override]
        self, value: Any, attr: Any, data: Any, **kwargs: Any
    ) -> list[str]:
        text = super()._deserialize(value, attr, data, **kwargs)
        statuses = [s.strip() for s in text.split(",") if s.strip()]
        allowed = [s.value for s in COMMITTED]
        bad = [s for s in statuses if s not in allowed]
        if bad or not statuses:
            raise ValidationError(f"must be a comma-separated list of: {', '.join(allowed)}")
        return statuses


class SpendQuery(ReportQuery):
    group_by = fields.String(load_default="supplier", validate=validate.OneOf(GROUPS))
    department_id = fields.Integer(strict=False, validate=validate.Range(min=1))
    project_id = fields.Integer(strict=False, validate=validate.Range(min=1))
    supplier_id = fields.Integer(strict=False, validate=validate.Range(min=1))
    status = StatusList(metadata={"enum": [s.value for s in POStatus]})


class CycleTimeQuery(ReportQuery):
    document_type = fields.String(validate=validate.OneOf(("requisition", "purchase_order")))


class PerformanceQuery(ReportQuery):
    supplier_id = fields.Integer(strict=False, validate=validate.Range(min=1))


class Amounts(Schema):
    committed = Money()
    received = Money()
    invoiced = Money()
    paid = Money()


class SpendGroup(Amounts):
    group_id = fields.Integer(allow_none=True)
    label = fields.String()
    po_count = fields.Integer()
    share = fields.Decimal(as_string=True, places=4)
    budget = Money(allow_none=True)
    budget_remaining = Money(allow_none=True)


class SpendMonth(Amounts):
    month = fields.String()
    group_id = fields.Integer(allow_none=True)
    label = fields.String()


class SpendRead(Schema):
    group_by = fields.String()
    since = fields.Date(data_key="from", allow_none=True)
    until = fields.Date(data_key="to", allow_none=True)
    groups = fields.List(fields.Nested(SpendGroup))
    by_month = fields.List(fields.Nested(SpendMonth))
    totals = fields.Nested(Amounts)


class CycleRow(Schema):
    key_id = fields.Integer(metadata={"description": "approver user id (0: none); 0 for steps"})
    label = fields.String()
    count = fields.Integer()
    median_hours = fields.Float(allow_none=True)
    p90_hours = fields.Float(allow_none=True)
    overdue = fields.Integer()
    escalations = fields.Integer()
    delegations = fields.Integer()


class OpenStep(Schema):
    document_id = fields.Integer()
    label = fields.String()
    waiting_hours = fields.Float()
    overdue = fields.Boolean()
    escalated = fields.Boolean()


class CycleTimeRead(Schema):
    since = fields.Date(data_key="from", allow_none=True)
    until = fields.Date(data_key="to", allow_none=True)
    steps = fields.List(fields.Nested(CycleRow))
    approvers = fields.List(fields.Nested(CycleRow))
    slowest_open = fields.List(fields.Nested(OpenStep))


def Rate() -> fields.Decimal:  # noqa: N802 - reads as a field type
    return fields.Decimal(as_string=True, places=4, allow_none=True)


class SupplierRow(Schema):
    supplier_id = fields.Integer()
    code = fields.String()
    name = fields.String()
    po_count = fields.Integer()
    spend = Money()
    receipts_rated = fields.Integer()
    on_time_rate = Rate()
    lead_time_median_days = fields.Float(allow_none=True)
    quantity_accuracy = Rate()
    return_rate = Rate()
    price_variance_po = Rate()
    price_variance_last = Rate()
    invoice_count = fields.Integer()
    invoice_exception_rate = Rate()


class PerformanceRead(Schema):
    since = fields.Date(data_key="from", allow_none=True)
    until = fields.Date(data_key="to", allow_none=True)
    suppliers = fields.List(fields.Nested(SupplierRow))


class ScheduleRead(Schema):
    day_of_month = fields.Integer()
    hour = fields.Integer()
    recipient_ids = fields.List(fields.Integer())
    last_period = fields.String(allow_none=True)


class ScheduleIn(Schema):
    day_of_month = fields.Integer(strict=True, required=True, validate=validate.Range(1, 28))
    hour = fields.Integer(strict=True, required=True, validate=validate.Range(0, 23))
    recipient_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1)),
        load_default=list,
        validate=validate.Length(max=100),
        metadata={"description": "users to mail; empty: every active ProcurementMgr"},
    )
