"""Storage location, goods receipt, stock movement and inventory search schemas."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates

from reqflow.catalog.schemas import SupplierRef
from reqflow.core.models import utcnow
from reqflow.core.money import Money, Quantity
from reqflow.core.schemas import BaseSchema, QuerySchema, UTCDateTimeField, derived
from reqflow.documents.counts import count_field
from reqflow.inventory.models import LOCATION_CODE, Condition, ReceiptStatus, StockStatus
from reqflow.requisitions.schemas import PersonRef

MIN_QTY = Decimal("0.001")
# A balance and a ledger row are NUMERIC(12, 3): a larger movement would overflow (500).
MAX_QTY = Decimal("999999999.999")
AT_MOST = validate.Range(max=MAX_QTY, error=f"Must be at most {MAX_QTY}.")
CODE = validate.Regexp(LOCATION_CODE, error="Use zone-aisle-bin, like A-01-03.")


class LocationRef(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class LocationRead(BaseSchema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    capacity = Quantity(allow_none=True)
    is_active = fields.Boolean()
    version = fields.Integer()


class _LocationFields(BaseSchema):
    code = fields.String(validate=CODE)
    name = fields.String(validate=validate.Length(min=1, max=200))
    capacity = Quantity(minimum=MIN_QTY, allow_none=True)
    is_active = fields.Boolean()

    @pre_load
    def _upper(self, data: Any, **_: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("code"), str):
            data = {**data, "code": data["code"].strip().upper()}
        return data


class LocationCreate(_LocationFields):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    capacity = Quantity(minimum=MIN_QTY, allow_none=True, load_default=None)
    is_active = fields.Boolean(load_default=True)


class LocationUpdate(_LocationFields):
    version = fields.Integer(strict=True, required=True)


class LocationQuery(QuerySchema):
    q = fields.String(validate=validate.Length(max=100))
    is_active = fields.Boolean()


class ReceiptLineIn(Schema):
    class Meta:
        unknown = "raise"

    po_line_id = fields.Integer(strict=True, required=True)
    quantity = Quantity(required=True, minimum=MIN_QTY)
    condition = fields.String(
        load_default=Condition.GOOD.value, validate=validate.OneOf([c.value for c in Condition])
    )
    location_id = fields.Integer(strict=True, required=True)


class ReceiveIn(BaseSchema):
    po_id = fields.Integer(strict=True, required=True)
    received_at = UTCDateTimeField(allow_none=True, load_default=None)
    delivery_note_number = fields.String(
        allow_none=True, load_default=None, validate=validate.Length(max=60)
    )
    receipt_date = fields.Date(allow_none=True, load_default=None)
    notes = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=4000))
    lines = fields.List(
        fields.Nested(ReceiptLineIn),
        required=True,
        validate=validate.Length(min=1, max=200, error="Give between 1 and 200 lines."),
    )

    @validates("received_at")
    def not_in_the_future(self, value: Any, **_: Any) -> None:
        if value is not None and value > utcnow() + timedelta(minutes=5):
            raise ValidationError("Cannot be in the future.")

    @validates("receipt_date")
    def not_a_future_day(self, value: Any, **_: Any) -> None:
        # A day ahead of UTC is still today somewhere.
        if value is not None and value > (utcnow() + timedelta(days=1)).date():
            raise ValidationError("Cannot be in the future.")


class AcceptIn(BaseSchema):
    comment = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class RejectIn(BaseSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class DecisionLineIn(Schema):
    """One of my pending lines: how much of it I reject (0 accepts it all) and why."""

    class Meta:
        unknown = "raise"

    line_id = fields.Integer(strict=True, required=True)
    rejected_quantity = Quantity(required=True, minimum=Decimal("0"))
    reason = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class DecideIn(BaseSchema):
    """Accept or reject my pending goods line by line; lines left out are accepted whole."""

    comment = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))
    lines = fields.List(
        fields.Nested(DecisionLineIn),
        required=True,
        validate=validate.Length(min=1, max=200, error="Give between 1 and 200 lines."),
    )


class ReceiptLineRead(Schema):
    id = fields.Integer()
    po_line_id = fields.Integer()
    line_no = fields.Function(lambda line: line.po_line.line_no)
    item_id = fields.Integer(allow_none=True)
    stock_key = fields.String()
    description = fields.String()
    uom = fields.String()
    quantity = Quantity()
    condition = fields.String()
    location_id = fields.Integer()
    location = fields.Nested(LocationRef)
    status = fields.String()
    requester_id = fields.Integer(allow_none=True)
    decided_by_id = fields.Integer(allow_none=True)
    decided_at = UTCDateTimeField(allow_none=True)
    reject_reason = fields.String(allow_none=True)
    rejected_quantity = Quantity()
    accepted_quantity = Quantity()


class ReceiptRead(BaseSchema):
    id = fields.Integer()
    grn_number = fields.String()
    po_id = fields.Integer()
    po_number = derived(lambda r: r.purchase_order.po_number, "string")
    supplier_id = derived(lambda r: r.purchase_order.supplier_id, "integer")
    status = fields.String()
    received_at = UTCDateTimeField()
    received_by = fields.Nested(PersonRef)
    notes = fields.String(allow_none=True)
    delivery_note_number = fields.String(allow_none=True)
    receipt_date = fields.Date(allow_none=True)
    line_count = derived(lambda r: len(r.lines), "integer")
    version = fields.Integer()
    attachment_count = count_field()


class ReceiptDetail(ReceiptRead):
    class Meta(ReceiptRead.Meta):
        exclude = ("attachment_count",)  # the detail shows the files themselves

    lines = fields.List(fields.Nested(ReceiptLineRead))
    po_status = derived(lambda r: r.purchase_order.status, "string")
    allowed_actions = fields.List(fields.String(), dump_only=True)


class ReceiptQuery(QuerySchema):
    status = fields.String(validate=validate.OneOf([s.value for s in ReceiptStatus]))
    po_id = fields.Integer(strict=False)
    q = fields.String(validate=validate.Length(max=100))
    mine = fields.Boolean()
    since = UTCDateTimeField(data_key="from")
    until = UTCDateTimeField(data_key="to")


class TransferIn(BaseSchema):
    to_location_id = fields.Integer(strict=True, required=True)
    quantity = Quantity(required=True, minimum=MIN_QTY, validate=AT_MOST)
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class AdjustmentIn(BaseSchema):
    item_id = fields.Integer(strict=True, required=True)
    location_id = fields.Integer(strict=True, required=True)
    quantity = Quantity(
        required=True,
        validate=validate.Range(
            min=-MAX_QTY, max=MAX_QTY, error=f"Must be between -{MAX_QTY} and {MAX_QTY}."
        ),
    )
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))

    @validates("quantity")
    def not_zero(self, value: Decimal, **_: Any) -> None:
        if value == 0:
            raise ValidationError("Must not be zero.")


class IssueIn(BaseSchema):
    inventory_id = fields.Integer(strict=True, required=True)
    quantity = Quantity(required=True, minimum=MIN_QTY, validate=AT_MOST)
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class InventoryRow(Schema):
    id = fields.Integer()
    stock_key = fields.String()
    item_id = fields.Integer(allow_none=True)
    po_line_id = fields.Integer(allow_none=True)
    sku = fields.String(allow_none=True)
    name = fields.String()
    description = fields.String(allow_none=True)
    uom = fields.String()
    location = fields.Nested(LocationRef)
    status = fields.String()
    quantity = Quantity()
    reorder_level = Quantity(allow_none=True)
    available_total = Quantity(allow_none=True)
    low_stock = fields.Boolean()
    updated_at = UTCDateTimeField()


class InventoryQuery(QuerySchema):
    q = fields.String(validate=validate.Length(max=200))
    location = fields.String(validate=validate.Length(max=20))
    location_id = fields.Integer(strict=False)
    item_id = fields.Integer(strict=False)
    status = fields.String(validate=validate.OneOf([s.value for s in StockStatus]))
    low_stock = fields.Boolean()


class LowStockRow(Schema):
    item_id = fields.Integer()
    sku = fields.String()
    name = fields.String()
    uom = fields.String()
    reorder_level = Quantity()
    available = Quantity()
    shortfall = Quantity()
    preferred_supplier = fields.Nested(SupplierRef, allow_none=True)
    last_price = Money(allow_none=True)


class LowStockQuery(QuerySchema):
    q = fields.String(validate=validate.Length(max=200))


class LowStockRequisitionIn(BaseSchema):
    quantity = Quantity(minimum=MIN_QTY, allow_none=True, load_default=None)
    needed_by = fields.Date(allow_none=True, load_default=None)


class TransferRead(Schema):
    """The two stock rows a move touched."""

    from_ = fields.Nested(InventoryRow, data_key="from", attribute="from", required=True)
    to = fields.Nested(InventoryRow, required=True)
