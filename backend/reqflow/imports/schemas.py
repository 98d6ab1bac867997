"""Import schemas: the import as read back, its preview, and the column reference."""

from __future__ import annotations

from marshmallow import Schema, fields

from reqflow.core.schemas import BaseSchema


class ImportError_(Schema):
    row = fields.Integer()
    column = fields.String()
    message = fields.String()


class ImportProgress(Schema):
    done = fields.Integer()
    total = fields.Integer()
    phase = fields.String()


class ImportRead(BaseSchema):
    id = fields.Integer()
    kind = fields.String()
    status = fields.String()
    filename = fields.String()
    file_format = fields.String()
    sha256 = fields.String()
    size_bytes = fields.Integer()
    total_rows = fields.Integer()
    # rows to create / update / skip (empty until the dry run is done)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    error_count = fields.Integer()
    errors = fields.List(fields.Nested(ImportError_))
    message = fields.String(allow_none=True)
    attempts = fields.Integer()
    progress = fields.Nested(ImportProgress, allow_none=True)


class ImportSummary(ImportRead):
    class Meta:
        exclude = ("errors",)


class ColumnRef(Schema):
    name = fields.String()
    required = fields.Boolean()
    type = fields.String()
    choices = fields.List(fields.String())
    help = fields.String()
    example = fields.String()


class KindRef(Schema):
    kind = fields.String()
    title = fields.String()
    key = fields.String()
    columns = fields.List(fields.Nested(ColumnRef))


class ImportUpload(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})
