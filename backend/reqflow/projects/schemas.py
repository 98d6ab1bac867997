"""Project schemas; the read schema adds committed and remaining amounts given to it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from marshmallow import Schema, fields, pre_load, validate

from reqflow.core.money import Money
from reqflow.core.schemas import BaseSchema, QuerySchema

CODE = validate.Regexp(r"^[A-Z0-9_-]{2,20}$", error="2-20 of A-Z 0-9 _ -")
ZERO = Decimal("0")


class OwnerRef(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()


class ProjectRead(BaseSchema):
    """``ProjectRead(committed={id: amount})``: the amounts come from
    ``service.committed_amounts`` (one query per page), never from a query per row."""

    id = fields.Integer(dump_only=True)
    code = fields.String()
    name = fields.String()
    description = fields.String(allow_none=True)
    budget_amount = Money()
    committed_amount = Money(dump_only=True, allow_none=True)
    remaining_amount = Money(dump_only=True, allow_none=True)
    owner_id = fields.Integer(allow_none=True)
    owner = fields.Nested(OwnerRef, allow_none=True)
    is_active = fields.Boolean()
    version = fields.Integer()

    def __init__(self, *, committed: Mapping[int, Decimal] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.committed = committed or {}

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        if attr == "committed_amount":
            return self.committed.get(obj.id)
        if attr == "remaining_amount":
            committed = self.committed.get(obj.id)
            return None if committed is None else obj.budget_amount - committed
        return super().get_attribute(obj, attr, default)


class _ProjectFields(BaseSchema):
    code = fields.String(validate=CODE)
    name = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(allow_none=True, validate=validate.Length(max=5000))
    budget_amount = Money(minimum=ZERO)
    owner_id = fields.Integer(strict=True, allow_none=True)

    @pre_load
    def _clean(self, data: Any, **_: Any) -> Any:
        """Trim strings, upper-case the code, turn a blank description into null."""
        if not isinstance(data, dict):
            return data
        out = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        if isinstance(out.get("code"), str):
            out["code"] = out["code"].upper()
        if out.get("description") == "":
            out["description"] = None
        return out


class ProjectCreate(_ProjectFields):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    budget_amount = Money(required=True, minimum=ZERO)
    owner_id = fields.Integer(strict=True, allow_none=True, load_default=None)


class ProjectUpdate(_ProjectFields):
    is_active = fields.Boolean()
    version = fields.Integer(strict=True, required=True)


class ProjectQuery(QuerySchema):
    q = fields.String(validate=validate.Length(max=100))
    owner_id = fields.Integer(strict=False)
    is_active = fields.Boolean()
    include_inactive = fields.Boolean()
