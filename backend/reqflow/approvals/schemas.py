from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from reqflow.approvals.models import StepStatus
from reqflow.core.models import utcnow
from reqflow.core.money import Money
from reqflow.core.schemas import BaseSchema, UTCDateTimeField, derived_text, one_of
from reqflow.identity.permissions import Role

ROLES = [r.value for r in Role]
PURPOSES = ["Daily Operations", "Project-Specific"]


def _name(user) -> str | None:  # type: ignore[no-untyped-def]
    return user.full_name if user is not None else None


class ApprovalStepRead(Schema):
    id = fields.Integer()
    round = fields.Integer()
    sequence = fields.Integer()
    kind = fields.String()
    label = fields.String()
    role = fields.String(allow_none=True)
    approver_id = fields.Integer(allow_none=True)
    approver_name = derived_text(lambda s: _name(s.approver))
    status = fields.String(validate=one_of(StepStatus))
    due_at = UTCDateTimeField(allow_none=True)
    activated_at = UTCDateTimeField(allow_none=True)
    decided_by_id = fields.Integer(allow_none=True)
    decided_by_name = derived_text(lambda s: _name(s.decided_by))
    decided_at = UTCDateTimeField(allow_none=True)
    on_behalf_of_id = fields.Integer(allow_none=True)
    on_behalf_of_name = derived_text(lambda s: _name(s.on_behalf_of))
    comment = fields.String(allow_none=True)


class InboxItemRead(ApprovalStepRead):
    document_type = fields.String()
    document_id = fields.Integer()
    document_number = fields.String()
    document_title = fields.String()
    amount = Money()
    requester_id = fields.Integer()
    requester_name = derived_text(lambda s: _name(s.requester))
    overdue = fields.Function(lambda s: bool(s.due_at and s.due_at < utcnow()))


class PolicyStep(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["line_manager", "role"]))
    role = fields.String(validate=validate.OneOf(ROLES), allow_none=True)
    label = fields.String(validate=validate.Length(max=120))
    min_amount = Money(allow_none=True)

    @validates_schema
    def role_for_role_steps(self, data: dict, **_: object) -> None:
        if data["kind"] == "role" and not data.get("role"):
            raise ValidationError("A role step names a role.", "role")


class PolicyRule(Schema):
    id = fields.Integer(dump_only=True, allow_none=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    priority = fields.Integer(strict=True, load_default=100, validate=validate.Range(0, 10000))
    purpose = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(PURPOSES))
    department_id = fields.Integer(strict=True, allow_none=True, load_default=None)
    min_amount = Money(allow_none=True, load_default=None)
    max_amount = Money(allow_none=True, load_default=None)
    steps = fields.List(
        fields.Nested(PolicyStep), required=True, validate=validate.Length(min=1, max=10)
    )
    is_active = fields.Boolean(dump_only=True)

    @validates("steps")
    def plain_steps(self, value: list, **_: object) -> None:
        for step in value:
            if step.get("min_amount") is not None:
                step["min_amount"] = str(step["min_amount"])


class PolicySet(BaseSchema):
    policies = fields.List(
        fields.Nested(PolicyRule), required=True, validate=validate.Length(min=1, max=50)
    )


class DelegationCreate(BaseSchema):
    delegate_id = fields.Integer(strict=True, required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    reason = fields.String(validate=validate.Length(max=300), allow_none=True, load_default=None)


class DelegationRead(BaseSchema):
    id = fields.Integer()
    delegator_id = fields.Integer()
    delegator_name = fields.Function(lambda d: _name(d.delegator))
    delegate_id = fields.Integer()
    delegate_name = fields.Function(lambda d: _name(d.delegate))
    starts_on = fields.Date()
    ends_on = fields.Date()
    reason = fields.String(allow_none=True)
    is_active = fields.Boolean()
