from __future__ import annotations

from marshmallow import Schema, fields, validate

from reqflow.core.schemas import BaseSchema, QuerySchema, UTCDateTimeField


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


class PreferencesUpdate(BaseSchema):
    email = fields.Dict(keys=fields.String(), values=fields.Boolean(), required=True)
