"""Supplier and item schemas. Codes, SKUs and units are upper-cased; blank optionals are null."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from marshmallow import Schema, fields, pre_load, validate

from reqflow.core.money import Money, Quantity
from reqflow.core.schemas import BaseSchema, QuerySchema

CODE = validate.Regexp(r"^[A-Z0-9_-]{2,20}$", error="2-20 of A-Z 0-9 _ -")
SKU = validate.Regexp(r"^[A-Z0-9][A-Z0-9._/-]{0,49}$", error="1-50 of A-Z 0-9 . _ / -")
UOM = validate.Regexp(r"^[A-Z0-9._/-]{1,20}$", error="1-20 of A-Z 0-9 . _ / -")
PHONE = validate.Regexp(r"^[0-9+()./ x-]{3,40}$", error="3-40 digits, spaces and + ( ) . / - x")
QUANTITY_MAX = Decimal("999999999.999")
ZERO = Decimal("0")


def normalize(data: Any, *, upper: tuple[str, ...], optional: tuple[str, ...]) -> Any:
    """Trim strings, upper-case identifiers, turn blank optional strings into null."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    for key, value in data.items():
        if not isinstance(value, str):
            continue
        value = value.strip()
        if key in upper:
            value = value.upper()
        out[key] = None if key in optional and value == "" else value
    return out


class SupplierRef(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class SupplierRead(BaseSchema):
    id = fields.Integer(dump_only=True)
    code = fields.String()
    name = fields.String()
    contact_email = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    tax_id = fields.String(allow_none=True)
    payment_terms_days = fields.Integer()
    is_active = fields.Boolean()
    version = fields.Integer()


class _SupplierFields(BaseSchema):
    code = fields.String(validate=CODE)
    name = fields.String(validate=validate.Length(min=1, max=200))
    contact_email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    contact_phone = fields.String(allow_none=True, validate=PHONE)
    address = fields.String(allow_none=True, validate=validate.Length(max=2000))
    tax_id = fields.String(allow_none=True, validate=validate.Length(max=50))
    payment_terms_days = fields.Integer(strict=True, validate=validate.Range(min=0, max=365))

    @pre_load
    def _clean(self, data: Any, **_: Any) -> Any:
        optional = ("contact_email", "contact_phone", "address", "tax_id")
        return normalize(data, upper=("code",), optional=optional)


class SupplierCreate(_SupplierFields):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    payment_terms_days = fields.Integer(
        strict=True, load_default=30, validate=validate.Range(min=0, max=365)
    )


class SupplierUpdate(_SupplierFields):
    version = fields.Integer(strict=True, required=True)


class SupplierQuery(QuerySchema):
    q = fields.String(validate=validate.Length(max=100))
    is_active = fields.Boolean()
    include_inactive = fields.Boolean()


class ItemRead(BaseSchema):
    id = fields.Integer(dump_only=True)
    sku = fields.String()
    name = fields.String()
    description = fields.String(allow_none=True)
    uom = fields.String()
    category = fields.String(allow_none=True)
    reorder_level = Quantity()
    preferred_supplier_id = fields.Integer(allow_none=True)
    preferred_supplier = fields.Nested(SupplierRef, allow_none=True)
    last_price = Money(allow_none=True)
    is_active = fields.Boolean()
    version = fields.Integer()


class _ItemFields(BaseSchema):
    sku = fields.String(validate=SKU)
    name = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(allow_none=True, validate=validate.Length(max=5000))
    uom = fields.String(validate=UOM)
    category = fields.String(allow_none=True, validate=validate.Length(max=100))
    reorder_level = Quantity(minimum=ZERO, validate=validate.Range(max=QUANTITY_MAX))
    preferred_supplier_id = fields.Integer(strict=True, allow_none=True)
    last_price = Money(minimum=ZERO, allow_none=True)

    @pre_load
    def _clean(self, data: Any, **_: Any) -> Any:
        return normalize(data, upper=("sku", "uom"), optional=("description", "category"))


class ItemCreate(_ItemFields):
    sku = fields.String(required=True, validate=SKU)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    uom = fields.String(load_default="EA", validate=UOM)
    reorder_level = Quantity(
        minimum=ZERO, load_default=ZERO, validate=validate.Range(max=QUANTITY_MAX)
    )
    preferred_supplier_id = fields.Integer(strict=True, allow_none=True, load_default=None)


class ItemUpdate(_ItemFields):
    version = fields.Integer(strict=True, required=True)


class ItemQuery(QuerySchema):
    q = fields.String(validate=validate.Length(max=100))
    category = fields.String(validate=validate.Length(max=100))
    preferred_supplier_id = fields.Integer(strict=False)
    is_active = fields.Boolean()
    include_inactive = fields.Boolean()
