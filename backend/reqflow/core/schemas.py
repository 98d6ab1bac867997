"""Schema base: unknown fields are refused, datetimes are written in UTC with ``Z``."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

from flask import request
from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from reqflow.errors import BadRequest, ValidationFailed

S = TypeVar("S", bound=Schema)


@cache
def shared(schema: type[S]) -> S:
    """One instance per schema class, reused by every request: building a schema (its fields
    deep-copied, nested schemas bound) costs more than dumping a page with it, and neither
    ``dump`` nor ``load`` changes the instance."""
    return schema()


def utc_text(value: datetime | None) -> str | None:
    """A timestamp as the API writes it (naive values are UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class UTCDateTimeField(fields.DateTime):
    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return utc_text(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        result = super()._deserialize(value, attr, data, **kwargs)
        return result if result.tzinfo else result.replace(tzinfo=UTC)


def derived(fn: Any, type_: str, *, nullable: bool = False) -> fields.Function:
    """A read-only value computed from the dumped object, with its OpenAPI type (a bare
    ``fields.Function`` has none, and a generated client would see ``unknown``)."""
    return fields.Function(fn, metadata={"type": type_, "nullable": nullable})


def derived_text(fn: Any) -> fields.Function:
    """A computed text that may be absent (``null``)."""
    return derived(fn, "string", nullable=True)


def one_of(values: Any) -> Any:
    """The closed set a dumped string takes, documented as its ``enum``."""
    return validate.OneOf([str(v) for v in values])


class BaseSchema(Schema):
    class Meta:
        unknown = RAISE

    created_at = UTCDateTimeField(dump_only=True)
    updated_at = UTCDateTimeField(dump_only=True)


MAX_DEPTH = 64  # no request body of this API nests deeper; deeper is an attack
UNSAFE_TEXT = "Must not contain NUL characters or unpaired UTF-16 surrogates."


def unsafe_text(value: str) -> bool:
    """True for text PostgreSQL cannot store: a NUL byte, or a lone surrogate (``\\ud800``)
    that JSON escapes can smuggle in but UTF-8 cannot encode."""
    if "\x00" in value:
        return True
    if value.isascii():
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _shown(text: str) -> str:
    return text if not unsafe_text(text) else text.encode("unicode_escape").decode("ascii")


def _unsafe_paths(data: Any) -> list[str]:
    """Dotted paths (``items.0.description``) of unsafe strings or keys; walks without
    recursion and refuses bodies nested deeper than ``MAX_DEPTH``."""
    found: list[str] = []
    stack: list[tuple[str, Any, int]] = [("", data, 0)]
    while stack and len(found) < 20:
        path, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadRequest(f"The body is nested deeper than {MAX_DEPTH} levels.")
        if isinstance(value, str):
            if unsafe_text(value):
                found.append(path or "_schema")
            continue
        if not isinstance(value, dict | list):
            continue
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for name, child in items:
            name = str(name)
            child_path = f"{path}.{_shown(name)}" if path else _shown(name)
            if unsafe_text(name):
                found.append(child_path)
            stack.append((child_path, child, depth + 1))
    return sorted(found)


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400/415 error envelope; strings PostgreSQL cannot
    store are refused here (422), for every endpoint at once."""
    if request.mimetype != "application/json":
        from werkzeug.exceptions import UnsupportedMediaType

        raise UnsupportedMediaType("Send the body as application/json.")
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # the JSON decoder recurses per nesting level
        raise BadRequest(f"The body is nested deeper than {MAX_DEPTH} levels.") from None
    if data is None:
        raise BadRequest("The body is not valid JSON.")
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    bad = _unsafe_paths(data)
    if bad:
        raise ValidationFailed("Validation failed", details={p: [UNSAFE_TEXT] for p in bad})
    return data


def load(schema: Schema, *, partial: bool = False) -> dict[str, Any]:
    """Validate the JSON body against ``schema``; field errors become 422."""
    body = json_body()
    return schema.load(body, partial=partial)  # type: ignore[no-any-return]


class QuerySchema(Schema):
    """Filters from the query string; page, per_page and sort are read by pagination."""

    class Meta:
        unknown = EXCLUDE


def reject_unsafe_args() -> None:
    """Refuse (422) a query string whose names or values hold a NUL byte; percent-decoding
    already turns invalid UTF-8 into U+FFFD, so NUL is the one unsafe character left."""
    if b"%00" not in request.query_string and b"\x00" not in request.query_string:
        return
    bad = {
        _shown(name): [UNSAFE_TEXT]
        for name, values in request.args.lists()
        if unsafe_text(name) or any(unsafe_text(v) for v in values)
    }
    if bad:
        raise ValidationFailed("Invalid query", details=bad)


def query_args(schema: Schema) -> dict[str, Any]:
    """The query string loaded through ``schema``; unsafe text is refused first."""
    reject_unsafe_args()
    return schema.load(request.args.to_dict())  # type: ignore[no-any-return]
