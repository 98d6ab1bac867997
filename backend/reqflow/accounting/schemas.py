"""Invoice, payment and AP aging schemas."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from reqflow.accounting.models import InvoiceStatus, PaymentMethod
from reqflow.catalog.schemas import SupplierRef
from reqflow.core.money import Money, Quantity
from reqflow.core.schemas import BaseSchema, QuerySchema, UTCDateTimeField
from reqflow.documents.counts import count_field
from reqflow.requisitions.schemas import PersonRef

STATUSES = [s.value for s in InvoiceStatus]
METHODS = [m.value for m in PaymentMethod]


class InvoiceLineIn(Schema):
    class Meta:
        unknown = "raise"

    po_line_id = fields.Integer(strict=True, required=True)
    quantity = Quantity(required=True, minimum=Decimal("0.001"))
    unit_price = Money(required=True, minimum=Decimal("0"))


class InvoiceCreate(BaseSchema):
    po_id = fields.Integer(strict=True, required=True)
    supplier_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    invoice_number = fields.String(required=True, validate=validate.Length(min=1, max=60))
    invoice_date = fields.Date(required=True)
    due_date = fields.Date(allow_none=True, load_default=None)
    tax_amount = Money(minimum=Decimal("0"), allow_none=True, load_default=None)
    notes = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=4000))
    lines = fields.List(
        fields.Nested(InvoiceLineIn),
        required=True,
        validate=validate.Length(min=1, max=200, error="Give between 1 and 200 lines."),
    )

    @pre_load
    def tax_to_the_cent(self, data: Any, **_: Any) -> Any:
        """The tax the supplier charged is taken as given: a third decimal is refused, not
        rounded away (the match compares it with the PO's tax to the cent)."""
        raw = data.get("tax_amount") if isinstance(data, dict) else None
        if isinstance(raw, str | int | float) and not isinstance(raw, bool):
            try:
                number = Decimal(str(raw).strip())
            except InvalidOperation:
                return data
            if number.is_finite() and number != number.quantize(Decimal("0.01")):
                raise ValidationError("Give the tax in cents: at most 2 decimals.", "tax_amount")
        return data

    @validates("invoice_number")
    def trimmed(self, value: str, **_: Any) -> None:
        if not value.strip():
            raise ValidationError("Must not be blank.")

    @validates_schema
    def due_after_invoice(self, data: dict, **_: Any) -> None:
        due, dated = data.get("due_date"), data.get("invoice_date")
        if due and dated and due < dated:
            raise ValidationError("Cannot be before the invoice date.", "due_date")


class ApproveIn(BaseSchema):
    version = fields.Integer(strict=True, allow_none=True, load_default=None)
    override_reason = fields.String(
        allow_none=True, load_default=None, validate=validate.Length(max=2000)
    )
    comment = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class VoidIn(BaseSchema):
    version = fields.Integer(strict=True, allow_none=True, load_default=None)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class RematchIn(BaseSchema):
    version = fields.Integer(strict=True, allow_none=True, load_default=None)


class MatchReason(Schema):
    code = fields.String()
    message = fields.String()
    expected = fields.String()
    actual = fields.String()


class InvoiceLineRead(Schema):
    id = fields.Integer()
    line_no = fields.Integer()
    po_line_id = fields.Integer()
    description = fields.String()
    quantity = Quantity()
    unit_price = Money()
    line_total = Money()
    po_unit_price = fields.Function(lambda line: str(line.po_line.unit_price))
    matched = fields.Boolean()
    match_reasons = fields.List(fields.Nested(MatchReason))


class PaymentRef(Schema):
    id = fields.Integer()
    payment_number = fields.String()
    amount = Money()
    paid_on = fields.Date()
    method = fields.String()
    reference = fields.String(allow_none=True)


class InvoiceRead(BaseSchema):
    id = fields.Integer()
    inv_number = fields.String()
    invoice_number = fields.String()
    supplier_id = fields.Integer()
    supplier = fields.Nested(SupplierRef)
    po_id = fields.Integer()
    po_number = fields.Function(lambda i: i.purchase_order.po_number)
    status = fields.String()
    invoice_date = fields.Date()
    due_date = fields.Date()
    subtotal = Money()
    tax_amount = Money()
    expected_tax_amount = Money(allow_none=True)
    total_amount = Money()
    amount_paid = Money()
    credited_amount = Money()
    balance_due = Money()
    recorded_by = fields.Nested(PersonRef)
    recorded_by_id = fields.Integer()
    approved_by = fields.Nested(PersonRef, allow_none=True)
    approved_by_id = fields.Integer(allow_none=True)
    approved_at = UTCDateTimeField(allow_none=True)
    matched_at = UTCDateTimeField(allow_none=True)
    override_reason = fields.String(allow_none=True)
    paid_at = UTCDateTimeField(allow_none=True)
    voided_at = UTCDateTimeField(allow_none=True)
    void_reason = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    version = fields.Integer()
    attachment_count = count_field()


class InvoiceDetail(InvoiceRead):
    class Meta(InvoiceRead.Meta):
        exclude = ("attachment_count",)  # the detail shows the files themselves

    lines = fields.List(fields.Nested(InvoiceLineRead))
    match_reasons = fields.List(fields.Nested(MatchReason))
    payments = fields.List(fields.Nested(PaymentRef))
    allowed_actions = fields.List(fields.String(), dump_only=True)


class InvoiceQuery(QuerySchema):
    status = fields.String()
    supplier_id = fields.Integer(strict=False)
    po_id = fields.Integer(strict=False)
    overdue = fields.Boolean()
    q = fields.String(validate=validate.Length(max=200))
    since = fields.Date(data_key="from")
    until = fields.Date(data_key="to")

    @validates_schema
    def known_statuses(self, data: dict, **_: object) -> None:
        for status in (data.get("status") or "").split(","):
            if status and status not in STATUSES:
                raise ValidationError(f"Unknown status {status!r}.", "status")


class PaymentCreate(BaseSchema):
    invoice_id = fields.Integer(strict=True, required=True)
    amount = Money(required=True, minimum=Decimal("0.01"))
    paid_on = fields.Date(load_default=lambda: date.today())
    method = fields.String(required=True, validate=validate.OneOf(METHODS))
    reference = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=100))

    @validates("paid_on")
    def not_in_the_future(self, value: date, **_: Any) -> None:
        if value > date.today():
            raise ValidationError("Cannot be in the future.")


class PaymentRead(BaseSchema):
    id = fields.Integer()
    payment_number = fields.String()
    invoice_id = fields.Integer()
    inv_number = fields.Function(lambda p: p.invoice.inv_number)
    invoice_status = fields.Function(lambda p: p.invoice.status)
    supplier_id = fields.Integer()
    supplier = fields.Nested(SupplierRef)
    amount = Money()
    paid_on = fields.Date()
    method = fields.String()
    reference = fields.String(allow_none=True)
    recorded_by = fields.Nested(PersonRef)


class PaymentQuery(QuerySchema):
    invoice_id = fields.Integer(strict=False)
    supplier_id = fields.Integer(strict=False)
    method = fields.String(validate=validate.OneOf(METHODS))
    since = fields.Date(data_key="from")
    until = fields.Date(data_key="to")


class AgingQuery(QuerySchema):
    as_of = fields.Date()
    supplier_id = fields.Integer(strict=False)
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv", "xlsx")))


class AgingRow(Schema):
    supplier_id = fields.Integer()
    code = fields.String()
    name = fields.String()
    current = Money()
    days_1_30 = Money()
    days_31_60 = Money()
    days_61_90 = Money()
    days_over_90 = Money()
    total = Money()
    invoice_count = fields.Integer()


class AgingTotals(AgingRow):
    class Meta:
        exclude = ("supplier_id", "code", "name")


class AgingRead(Schema):
    as_of = fields.Date()
    buckets = fields.List(fields.String())
    suppliers = fields.List(fields.Nested(AgingRow))
    totals = fields.Nested(AgingTotals)
