from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from reqflow.core.schemas import BaseSchema, QuerySchema, UTCDateTimeField
from reqflow.notifications.models import DIGEST_MODES


class NotificationRead(Schema):
    id = fields.Integer()
    type = fields.String()
    title = fields.String()
    body = fields.String()
    link = fields.String(allow_none=True)
    resource_type = fields.String(allow_none=True)
    resource_id = fields.Integer(allow_none=True)
    read_at = UTCDateTimeField(allow_none=True)
    created_at = UTCDateTimeField()


class NotificationQuery(QuerySchema):
    unread = fields.Boolean()
    since_id = fields.Integer(strict=False, validate=validate.Range(min=0))


class PreferenceRead(Schema):
    type = fields.String()
    label = fields.String()
    email = fields.Boolean()


class ReadAllResult(Schema):
    marked = fields.Integer(required=True)
    unread_count = fields.Integer(required=True)


class PreferencesRead(Schema):
    preferences = fields.List(fields.Nested(PreferenceRead))
    email_digest = fields.String(
        validate=validate.OneOf(DIGEST_MODES),
        metadata={"description": "E-mail for approvals assigned to my whole role"},
    )
    digest_minutes = fields.Float(metadata={"description": "How often a digest can go out"})


class PreferencesUpdate(BaseSchema):
    email = fields.Dict(keys=fields.String(), values=fields.Boolean())
    email_digest = fields.String(
        validate=validate.OneOf(DIGEST_MODES),
        metadata={
            "description": "Approvals assigned to my whole role: e-mailed at once (immediate),"
            " gathered in a digest per interval (digest), or not e-mailed (off)"
        },
    )

    @validates_schema
    def _something(self, data: dict, **_: object) -> None:
        if not data:
            raise ValidationError("Send email, email_digest or both.", "_schema")
