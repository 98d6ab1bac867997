"""Schema base: unknown fields are refused, datetimes are written in UTC with ``Z``."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

from flask import request
from marshmallow import EXCLUDE, RAISE, Schema, fields

from reqflow.errors import BadRequest

S = TypeVar("S", bound=Schema)


@cache
def shared(schema: type[S]) -> S:
    """One instance per schema class, reused by every request: building a schema (its fields
    deep-copied, nested schemas bound) costs more than dumping a page with it, and neither
    ``dump`` nor ``load`` changes the instance."""
    return schema()


class UTCDateTimeField(fields.DateTime):
    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        result = super()._deserialize(value, attr, data, **kwargs)
        return result if result.tzinfo else result.replace(tzinfo=UTC)


class BaseSchema(Schema):
    class Meta:
        unknown = RAISE

    created_at = UTCDateTimeField(dump_only=True)
    updated_at = UTCDateTimeField(dump_only=True)


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400/415 error envelope."""
    if request.mimetype != "application/json":
        from werkzeug.exceptions import UnsupportedMediaType

        raise UnsupportedMediaType("Send the body as application/json.")
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequest("The body is not valid JSON.")
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    return data


def load(schema: Schema, *, partial: bool = False) -> dict[str, Any]:
    """Validate the JSON body against ``schema``; field errors become 422."""
    body = json_body()
    return schema.load(body, partial=partial)  # type: ignore[no-any-return]


class QuerySchema(Schema):
    """Filters from the query string; page, per_page and sort are read by pagination."""

    class Meta:
        unknown = EXCLUDE


def query_args(schema: Schema) -> dict[str, Any]:
    return schema.load(request.args.to_dict())  # type: ignore[no-any-return]
