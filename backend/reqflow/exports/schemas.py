"""Export requests and the export status the owner polls."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates

from reqflow.core.schemas import BaseSchema, QuerySchema, UTCDateTimeField, unsafe_text
from reqflow.core.tabular import FORMATS
from reqflow.exports.kinds import KINDS
from reqflow.exports.models import DONE

FILTER_NAMES = validate.Regexp(r"^[a-z_]{1,40}$", error="Not a filter name.")


class FormatQuery(QuerySchema):
    """``format`` of a streamed export; every other argument is the list's own filter."""

    format = fields.String(required=True, validate=validate.OneOf(FORMATS))


class ExportCreate(BaseSchema):
    kind = fields.String(required=True, validate=validate.OneOf(sorted(KINDS)))
    format = fields.String(required=True, validate=validate.OneOf(FORMATS))
    # The list page's query arguments (filters and ``sort``), as its URL holds them.
    filters = fields.Dict(
        keys=fields.String(validate=FILTER_NAMES),
        values=fields.Raw(allow_none=True),
        load_default=dict,
        metadata={"description": "The list's query arguments: filters and sort"},
    )

    @validates("filters")
    def plain_values(self, value: dict[str, Any], **_: Any) -> None:
        for name, item in value.items():
            if item is not None and not isinstance(item, str | int | float | bool):
                raise ValidationError(f"{name}: must be text, a number or true/false.")
            if isinstance(item, str) and (len(item) > 500 or unsafe_text(item)):
                raise ValidationError(f"{name}: too long or not text.")


class ExportRead(BaseSchema):
    class Meta(BaseSchema.Meta):
        exclude = ("updated_at",)  # an export row is never updated in place: no such column

    id = fields.Integer()
    kind = fields.String()
    format = fields.String()
    state = fields.String()
    total_rows = fields.Integer(allow_none=True)
    rows_done = fields.Integer()
    percent = fields.Method("_percent")
    error = fields.String(allow_none=True)
    filename = fields.String()
    download_url = fields.Method("_download", allow_none=True)
    finished_at = UTCDateTimeField(allow_none=True)
    expires_at = UTCDateTimeField(allow_none=True)

    def _percent(self, obj: Any) -> int:
        if obj.state == DONE:
            return 100
        return min(99, obj.rows_done * 100 // obj.total_rows) if obj.total_rows else 0

    def _download(self, obj: Any) -> str | None:
        return f"/api/v1/exports/{obj.id}/file" if obj.state == DONE else None
