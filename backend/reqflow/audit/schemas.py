from __future__ import annotations

from marshmallow import Schema, fields

from reqflow.core.schemas import QuerySchema, UTCDateTimeField


class AuditLogRead(Schema):
    id = fields.Integer()
    actor_id = fields.Integer(allow_none=True)
    actor_name = fields.String(allow_none=True)
    action = fields.String()
    resource_type = fields.String()
    resource_id = fields.Integer(allow_none=True)
    old_values = fields.Dict(allow_none=True)
    new_values = fields.Dict(allow_none=True)
    ip_address = fields.String(allow_none=True)
    user_agent = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    created_at = UTCDateTimeField()
    # Filled by the list for the page in one query per resource type (audit.documents).
    document_label = fields.String(allow_none=True, dump_only=True)
    document_link = fields.String(allow_none=True, dump_only=True)
    actor_full_name = fields.String(allow_none=True, dump_only=True)


class AuditLogQuery(QuerySchema):
    actor_id = fields.Integer(strict=False)
    action = fields.String()
    resource_type = fields.String()
    resource_id = fields.Integer(strict=False)
    since = UTCDateTimeField(data_key="from")
    until = UTCDateTimeField(data_key="to")
