from __future__ import annotations

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from reqflow.approvals.schemas import ApprovalStepRead
from reqflow.core.money import Money, Quantity
from reqflow.core.schemas import BaseSchema, QuerySchema, UTCDateTimeField, derived_text, one_of
from reqflow.documents.counts import count_field
from reqflow.requisitions.models import Purpose, Status

PURPOSES = [p.value for p in Purpose]
STATUSES = [s.value for s in Status]
# What service.allowed_actions may offer.
ACTIONS = ["edit", "submit", "cancel", "delete", "approve", "reject", "question"]


class CodeRef(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class CatalogRef(Schema):
    id = fields.Integer()
    sku = fields.String()
    name = fields.String()


class ItemIn(Schema):
    class Meta:
        unknown = "raise"

    description = fields.String(required=True, validate=validate.Length(min=1, max=500))
    item_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    quantity = Quantity(required=True, minimum=Decimal("0.001"))
    uom = fields.String(load_default="EA", validate=validate.Length(min=1, max=20))
    estimated_unit_price = Money(required=True, minimum=Decimal("0"))
    suggested_supplier_id = fields.Integer(strict=True, allow_none=True, load_default=None)


class RequisitionCreate(BaseSchema):
    purpose = fields.String(required=True, validate=validate.OneOf(PURPOSES))
    project_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    needed_by = fields.Date(allow_none=True, load_default=None)
    justification = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    items = fields.List(
        fields.Nested(ItemIn),
        required=True,
        validate=validate.Length(min=1, max=50, error="Give between 1 and 50 items."),
    )

    @validates_schema
    def project_when_project_specific(self, data: dict, **_: object) -> None:
        if data.get("purpose") == Purpose.PROJECT and not data.get("project_id"):
            raise ValidationError("Required for Project-Specific requisitions.", "project_id")


class RequisitionUpdate(RequisitionCreate):
    version = fields.Integer(strict=True, required=True)


class TransitionIn(BaseSchema):
    version = fields.Integer(strict=True, allow_none=True, load_default=None)


class DecisionIn(TransitionIn):
    comment = fields.String(validate=validate.Length(max=2000), allow_none=True, load_default=None)


class RejectIn(TransitionIn):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class QuestionIn(TransitionIn):
    question = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class RequisitionItemRead(Schema):
    id = fields.Integer()
    line_no = fields.Integer()
    description = fields.String()
    item_id = fields.Integer(allow_none=True)
    quantity = Quantity()
    uom = fields.String()
    estimated_unit_price = Money()
    line_total = Money()
    suggested_supplier_id = fields.Integer(allow_none=True)
    suggested_supplier = fields.Nested(CodeRef, allow_none=True)
    catalog_item = fields.Nested(CatalogRef, allow_none=True)
    po_line_id = fields.Integer(allow_none=True)
    sourcing_status = fields.String()


class PersonRef(Schema):
    id = fields.Integer()
    full_name = fields.String()
    username = fields.String()


class RequisitionRead(BaseSchema):
    id = fields.Integer()
    req_number = fields.String()
    requester = fields.Nested(PersonRef)
    requester_id = fields.Integer()
    department_id = fields.Integer(allow_none=True)
    department_name = derived_text(lambda r: r.department.name if r.department else None)
    purpose = fields.String(validate=validate.OneOf(PURPOSES))
    project_id = fields.Integer(allow_none=True)
    project = fields.Nested(CodeRef, allow_none=True)
    needed_by = fields.Date(allow_none=True)
    justification = fields.String()
    status = fields.String(validate=one_of(STATUSES))
    total_amount = Money()
    over_budget = fields.Boolean()
    submitted_at = UTCDateTimeField(allow_none=True)
    approved_at = UTCDateTimeField(allow_none=True)
    approved_by = fields.Nested(PersonRef, allow_none=True)
    item_count = fields.Integer()
    version = fields.Integer()
    attachment_count = count_field()


class RequisitionDetail(RequisitionRead):
    class Meta(RequisitionRead.Meta):
        exclude = ("attachment_count",)  # the detail shows the files themselves

    items = fields.List(fields.Nested(RequisitionItemRead))
    approvals = fields.List(fields.Nested(ApprovalStepRead), dump_only=True)
    allowed_actions = fields.List(fields.String(validate=one_of(ACTIONS)), dump_only=True)


class RequisitionQuery(QuerySchema):
    status = fields.String()
    requester_id = fields.Integer(strict=False)
    department_id = fields.Integer(strict=False)
    project_id = fields.Integer(strict=False)
    purpose = fields.String(validate=validate.OneOf(PURPOSES))
    q = fields.String(validate=validate.Length(max=200))
    since = UTCDateTimeField(data_key="from")
    until = UTCDateTimeField(data_key="to")
    mine = fields.Boolean()

    @validates_schema
    def known_statuses(self, data: dict, **_: object) -> None:
        for status in (data.get("status") or "").split(","):
            if status and status not in STATUSES:
                raise ValidationError(f"Unknown status {status!r}.", "status")
