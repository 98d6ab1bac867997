"""Purchase order and sourcing-queue schemas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from reqflow.catalog.schemas import SupplierRef
from reqflow.core.money import DecimalString, Money, Quantity
from reqflow.core.schemas import BaseSchema, QuerySchema, UTCDateTimeField
from reqflow.documents.counts import count_field
from reqflow.purchasing.models import POStatus
from reqflow.requisitions.schemas import PersonRef

STATUSES = [s.value for s in POStatus]
RATE = Decimal("0.0001")


def Rate(**kwargs: Any) -> DecimalString:  # noqa: N802 - reads as a field type
    return DecimalString(
        places=RATE, minimum=Decimal("0"), validate=validate.Range(max=Decimal("1")), **kwargs
    )


class POLineIn(Schema):
    """A queue line (``requisition_item_id``, optional quantity / unit_price override), a free
    line (description, quantity, unit_price) or, when editing, an existing line (``id``)."""

    class Meta:
        unknown = "raise"

    id = fields.Integer(strict=True, allow_none=True, load_default=None)
    requisition_item_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    description = fields.String(validate=validate.Length(min=1, max=500), load_default=None)
    item_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    quantity = Quantity(minimum=Decimal("0.001"), load_default=None)
    uom = fields.String(validate=validate.Length(min=1, max=20), load_default=None)
    unit_price = Money(minimum=Decimal("0"), load_default=None)

    @validates_schema
    def free_lines_say_everything(self, data: dict, **_: object) -> None:
        if data.get("id") or data.get("requisition_item_id"):
            return
        missing = {
            f: ["Required for a line without requisition_item_id."]
            for f in ("description", "quantity", "unit_price")
            if data.get(f) is None
        }
        if missing:
            raise ValidationError(missing)


LINES = validate.Length(min=1, max=200, error="Give between 1 and 200 lines.")


class PurchaseOrderCreate(BaseSchema):
    supplier_id = fields.Integer(strict=True, required=True)
    lines = fields.List(fields.Nested(POLineIn), required=True, validate=LINES)
    tax_rate = Rate(load_default=None)
    delivery_address = fields.String(
        allow_none=True, load_default=None, validate=validate.Length(max=2000)
    )
    expected_delivery_date = fields.Date(allow_none=True, load_default=None)
    notes = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=4000))

    @validates_schema
    def no_line_ids(self, data: dict, **_: object) -> None:
        if any(line.get("id") for line in data.get("lines") or []):
            raise ValidationError("New orders have no line ids.", "lines")


class PurchaseOrderUpdate(BaseSchema):
    version = fields.Integer(strict=True, required=True)
    lines = fields.List(fields.Nested(POLineIn), validate=LINES)
    tax_rate = Rate()
    delivery_address = fields.String(allow_none=True, validate=validate.Length(max=2000))
    expected_delivery_date = fields.Date(allow_none=True)
    notes = fields.String(allow_none=True, validate=validate.Length(max=4000))


class POTransitionIn(BaseSchema):
    version = fields.Integer(strict=True, allow_none=True, load_default=None)
    comment = fields.String(validate=validate.Length(max=2000), allow_none=True, load_default=None)


class POCancelIn(BaseSchema):
    version = fields.Integer(strict=True, allow_none=True, load_default=None)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class POStatusIn(POTransitionIn):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    reason = fields.String(validate=validate.Length(max=2000), allow_none=True, load_default=None)

    @validates_schema
    def cancelling_needs_a_reason(self, data: dict, **_: object) -> None:
        if data.get("status") == POStatus.CANCELLED and not (data.get("reason") or "").strip():
            raise ValidationError("Required when cancelling.", "reason")


class SupplierSummary(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    contact_email = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    payment_terms_days = fields.Integer()


class POLineRead(Schema):
    id = fields.Integer()
    line_no = fields.Integer()
    requisition_item_id = fields.Integer(allow_none=True)
    item_id = fields.Integer(allow_none=True)
    description = fields.String()
    quantity = Quantity()
    uom = fields.String()
    unit_price = Money()
    line_total = Money()
    quantity_received = Quantity()
    quantity_returned = Quantity()
    quantity_credited = Quantity()
    quantity_net = Quantity()
    quantity_open = Quantity()


class PORequisitionRef(Schema):
    id = fields.Integer()
    req_number = fields.String()


class PurchaseOrderRead(BaseSchema):
    id = fields.Integer()
    po_number = fields.String()
    supplier_id = fields.Integer()
    supplier = fields.Nested(SupplierRef)
    status = fields.String()
    subtotal = Money()
    tax_rate = DecimalString(places=RATE)
    tax_amount = Money()
    total_amount = Money()
    delivery_address = fields.String(allow_none=True)
    expected_delivery_date = fields.Date(allow_none=True)
    notes = fields.String(allow_none=True)
    created_by = fields.Nested(PersonRef, allow_none=True)
    created_by_id = fields.Integer(allow_none=True)
    submitted_at = UTCDateTimeField(allow_none=True)
    approved_by = fields.Nested(PersonRef, allow_none=True)
    approved_at = UTCDateTimeField(allow_none=True)
    sent_at = UTCDateTimeField(allow_none=True)
    received_at = UTCDateTimeField(allow_none=True)
    closed_at = UTCDateTimeField(allow_none=True)
    cancelled_at = UTCDateTimeField(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    rfq_id = fields.Integer(allow_none=True)
    line_count = fields.Function(lambda po: len(po.lines))
    # Goods may still arrive: ordered not yet received, or returned goods to be replaced.
    awaiting_goods = fields.Function(lambda po: any(x.quantity_open > 0 for x in po.lines))
    version = fields.Integer()
    attachment_count = count_field()


class PurchaseOrderDetail(PurchaseOrderRead):
    class Meta(PurchaseOrderRead.Meta):
        exclude = ("attachment_count",)  # the detail shows the files themselves

    supplier = fields.Nested(SupplierSummary)
    lines = fields.List(fields.Nested(POLineRead))
    requisitions = fields.List(fields.Nested(PORequisitionRef), dump_only=True)
    allowed_actions = fields.List(fields.String(), dump_only=True)


class PurchaseOrderQuery(QuerySchema):
    status = fields.String()
    supplier_id = fields.Integer(strict=False)
    project_id = fields.Integer(
        strict=False, metadata={"description": "POs with a line bought for the project"}
    )
    created_by_id = fields.Integer(strict=False)
    q = fields.String(validate=validate.Length(max=200))
    since = UTCDateTimeField(data_key="from")
    until = UTCDateTimeField(data_key="to")

    @validates_schema
    def known_statuses(self, data: dict, **_: object) -> None:
        for status in (data.get("status") or "").split(","):
            if status and status not in STATUSES:
                raise ValidationError(f"Unknown status {status!r}.", "status")


class QueueQuery(QuerySchema):
    q = fields.String(validate=validate.Length(max=200))
    project_id = fields.Integer(strict=False)
    requisition_id = fields.Integer(strict=False)
    supplier_id = fields.Integer(strict=False)
    sourcing_status = fields.String(validate=validate.OneOf(["Unsourced", "Quoting"]))


class QueueProjectRef(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class QueueLineRead(Schema):
    requisition_item_id = fields.Integer()
    requisition_id = fields.Integer()
    req_number = fields.String()
    requester = fields.Nested(PersonRef)
    project = fields.Nested(QueueProjectRef, allow_none=True)
    line_no = fields.Integer()
    description = fields.String()
    item_id = fields.Integer(allow_none=True)
    quantity = Quantity()
    uom = fields.String()
    estimated_unit_price = Money()
    line_total = Money()
    needed_by = fields.Date(allow_none=True)
    approved_at = UTCDateTimeField(allow_none=True)
    suggested_supplier = fields.Nested(SupplierRef, allow_none=True)
    sourcing_status = fields.String()
    rfq_number = fields.String(allow_none=True)
