"""Return-to-supplier (RTV) schemas."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import Schema, fields, validate

from reqflow.core.money import Money, Quantity
from reqflow.core.schemas import BaseSchema, QuerySchema, UTCDateTimeField
from reqflow.inventory.return_models import ReturnStatus
from reqflow.requisitions.schemas import PersonRef

STATUSES = [s.value for s in ReturnStatus]


class ReturnLineRead(Schema):
    id = fields.Integer()
    receipt_line_id = fields.Integer()
    po_line_id = fields.Integer()
    line_no = fields.Function(lambda x: x.po_line.line_no)
    description = fields.String()
    uom = fields.String()
    quantity = Quantity()
    unit_price = fields.Function(lambda x: str(x.po_line.unit_price))
    reason = fields.String()


class ReturnRead(BaseSchema):
    id = fields.Integer()
    rtv_number = fields.String()
    po_id = fields.Integer()
    po_number = fields.Function(lambda r: r.purchase_order.po_number)
    receipt_id = fields.Integer()
    grn_number = fields.Function(lambda r: r.receipt.grn_number)
    supplier_id = fields.Integer()
    status = fields.String()
    created_by = fields.Nested(PersonRef)
    shipped_at = UTCDateTimeField(allow_none=True)
    settled_at = UTCDateTimeField(allow_none=True)
    credit_note_number = fields.String(allow_none=True)
    credit_amount = Money(allow_none=True)
    credited_invoice_id = fields.Integer(allow_none=True)
    comment = fields.String(allow_none=True)
    lines = fields.List(fields.Nested(ReturnLineRead))
    allowed_actions = fields.List(fields.String(), dump_only=True)
    version = fields.Integer()


class ReturnQuery(QuerySchema):
    po_id = fields.Integer(strict=False)
    receipt_id = fields.Integer(strict=False)
    status = fields.String(validate=validate.OneOf(STATUSES))


class ReturnStepIn(BaseSchema):
    version = fields.Integer(strict=True, allow_none=True, load_default=None)
    comment = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class CreditIn(ReturnStepIn):
    credit_note_number = fields.String(required=True, validate=validate.Length(min=1, max=60))
    amount = Money(minimum=Decimal("0.01"), allow_none=True, load_default=None)
