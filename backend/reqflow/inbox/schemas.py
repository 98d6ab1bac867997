"""Inbox schemas."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates

from reqflow.core.money import Money
from reqflow.core.schemas import BaseSchema, QuerySchema, UTCDateTimeField
from reqflow.inbox.sources import SOURCES

TYPES = list(SOURCES)
# What bulk approval can take: every type but acceptances, which the requester decides
# line by line after looking at the goods.
APPROVABLE = ["requisition", "purchase_order", "invoice"]


class InboxQuery(QuerySchema):
    type = fields.String(validate=validate.Length(max=200))

    @validates("type")
    def known(self, value: str, **_: object) -> None:
        unknown = [t for t in value.split(",") if t and t not in TYPES]
        if unknown:
            raise ValidationError(f"Unknown type {unknown[0]!r}; one of {', '.join(TYPES)}.")


class PreviewLine(Schema):
    class Meta:
        openapi_partial = True  # line_id only where the line can be picked (goods receipts)

    line_id = fields.Integer(allow_none=True)
    description = fields.String()
    quantity = fields.Function(lambda x: str(x["quantity"]))
    uom = fields.String()
    unit_price = Money(allow_none=True)


class InboxItemRead(Schema):
    key = fields.String()
    type = fields.String()
    document_id = fields.Integer()
    document_number = fields.String()
    title = fields.String()
    status = fields.String()
    amount = Money(allow_none=True)
    party = fields.String(allow_none=True)
    waiting_since = UTCDateTimeField(allow_none=True)
    due_at = UTCDateTimeField(allow_none=True)
    overdue = fields.Boolean()
    due_soon = fields.Boolean()
    link = fields.String()
    actions = fields.List(fields.String())
    lines = fields.List(fields.Nested(PreviewLine))


class BulkItemIn(Schema):
    class Meta:
        unknown = "raise"

    type = fields.String(required=True, validate=validate.OneOf(APPROVABLE))
    document_id = fields.Integer(strict=True, required=True)


class BulkApproveIn(BaseSchema):
    comment = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))
    items = fields.List(
        fields.Nested(BulkItemIn),
        required=True,
        validate=validate.Length(min=1, max=100, error="Give between 1 and 100 items."),
    )


class BulkError(Schema):
    code = fields.String()
    message = fields.String()
    http_status = fields.Integer()


class BulkResult(Schema):
    type = fields.String()
    document_id = fields.Integer()
    ok = fields.Boolean()
    status = fields.String(allow_none=True)
    error = fields.Nested(BulkError, allow_none=True)
