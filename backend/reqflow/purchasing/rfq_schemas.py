"""RFQ schemas: create from queue lines, record quotes, award; the comparison view."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from reqflow.catalog.schemas import SupplierRef
from reqflow.core.money import Money, Quantity
from reqflow.core.schemas import BaseSchema, QuerySchema
from reqflow.documents.counts import count_field
from reqflow.purchasing.rfq_models import RfqStatus
from reqflow.requisitions.schemas import PersonRef

STATUSES = [s.value for s in RfqStatus]


class _Strict(Schema):
    class Meta:
        unknown = "raise"


class RfqLineIn(_Strict):
    requisition_item_id = fields.Integer(strict=True, required=True)


class RfqCreate(BaseSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    due_date = fields.Date(allow_none=True, load_default=None)
    notes = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=4000))
    supplier_ids = fields.List(
        fields.Integer(strict=True),
        required=True,
        validate=validate.Length(min=1, max=20, error="Invite between 1 and 20 suppliers."),
    )
    lines = fields.List(
        fields.Nested(RfqLineIn),
        required=True,
        validate=validate.Length(min=1, max=100, error="Give between 1 and 100 lines."),
    )
    send = fields.Boolean(load_default=True)


class QuoteIn(_Strict):
    rfq_line_id = fields.Integer(strict=True, required=True)
    unit_price = Money(required=True, minimum=Decimal("0"))
    lead_time_days = fields.Integer(
        strict=True, required=True, validate=validate.Range(min=0, max=3650)
    )
    valid_until = fields.Date(allow_none=True, load_default=None)
    notes = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class QuotesIn(BaseSchema):
    supplier_id = fields.Integer(strict=True, required=True)
    quotes = fields.List(
        fields.Nested(QuoteIn), required=True, validate=validate.Length(min=1, max=100)
    )
    version = fields.Integer(strict=True, allow_none=True, load_default=None)


class AwardLineIn(_Strict):
    rfq_line_id = fields.Integer(strict=True, required=True)
    supplier_id = fields.Integer(strict=True, required=True)


class AwardIn(BaseSchema):
    awards = fields.List(
        fields.Nested(AwardLineIn), required=True, validate=validate.Length(min=1, max=100)
    )
    version = fields.Integer(strict=True, allow_none=True, load_default=None)


class RfqTransitionIn(BaseSchema):
    version = fields.Integer(strict=True, allow_none=True, load_default=None)


class RfqQuery(QuerySchema):
    status = fields.String(validate=validate.Length(max=100))
    q = fields.String(validate=validate.Length(max=200))

    @validates_schema
    def known_statuses(self, data: dict, **_: object) -> None:
        for status in (data.get("status") or "").split(","):
            if status and status not in STATUSES:
                raise ValidationError(f"Unknown status {status!r}.", "status")


class _RfqFields(BaseSchema):
    id = fields.Integer()
    rfq_number = fields.String()
    status = fields.String()
    title = fields.String()
    due_date = fields.Date(allow_none=True)
    notes = fields.String(allow_none=True)
    created_by = fields.Nested(PersonRef, allow_none=True)
    version = fields.Integer()


class RfqRead(_RfqFields):
    line_count = fields.Function(lambda r: len(r.lines))
    supplier_count = fields.Function(lambda r: len(r.suppliers))
    attachment_count = count_field()


class QuoteCell(Schema):
    supplier_id = fields.Integer()
    supplier_name = fields.String()
    quoted = fields.Boolean()
    unit_price = Money(allow_none=True)
    line_total = Money(allow_none=True)
    lead_time_days = fields.Integer(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    notes = fields.String(allow_none=True)
    expired = fields.Boolean()
    cheapest = fields.Boolean()
    fastest = fields.Boolean()
    awarded = fields.Boolean()


class ComparisonLine(Schema):
    id = fields.Integer()
    line_no = fields.Integer()
    requisition_item_id = fields.Integer()
    req_number = fields.String(allow_none=True)
    description = fields.String()
    quantity = Quantity()
    uom = fields.String()
    awarded_supplier_id = fields.Integer(allow_none=True)
    quotes = fields.List(fields.Nested(QuoteCell))


class SupplierTotal(Schema):
    supplier_id = fields.Integer()
    supplier_name = fields.String()
    quoted_lines = fields.Integer()
    total = Money()
    max_lead_time_days = fields.Integer(allow_none=True)


class POBrief(Schema):
    id = fields.Integer()
    po_number = fields.String()
    supplier_id = fields.Integer()
    status = fields.String()
    total_amount = Money()


class RfqDetail(_RfqFields):
    """Built from ``rfq_compare.comparison`` (a dict), hence plain counts."""

    line_count = fields.Integer()
    supplier_count = fields.Integer()
    suppliers = fields.List(fields.Nested(SupplierRef))
    lines = fields.List(fields.Nested(ComparisonLine))
    supplier_totals = fields.List(fields.Nested(SupplierTotal))
    purchase_orders = fields.List(fields.Nested(POBrief))
    allowed_actions = fields.List(fields.String())
