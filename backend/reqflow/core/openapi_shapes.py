"""What each operation answers, as OpenAPI: the success envelope around the marshmallow schema
the resource dumps, the pagination object of ``paged``, and the error envelope per status.

A Resource declares, per method, ``schemas = {method: {...}}`` with these keys (all optional
except that an operation with a ``response`` must say where it sits with ``key``):

- ``query`` / ``body``: the schemas ``query_args`` / ``load`` read.
- ``response``: the schema the resource dumps; ``many``: a list of them.
- ``key``: the key of ``data`` that holds the object or list (``None``: ``data`` *is* the object).
- ``paged``: the list comes with ``pagination`` (default: True when ``many``).
- ``extra``: ``{name: marshmallow field}`` of further keys beside ``key`` in ``data``.
- ``status``: the success status (default 200; 201 for creates, 204 for empty deletes).
- ``content``: the media type of a non-JSON answer (e.g. ``application/pdf``); ``files``: a
  list of them when the answer's type depends on the request (``format=csv|xlsx``).
- ``form``: a multipart upload's schema; ``path``: ``{name: schema}`` of non-id path params.
- ``errors``: further error statuses beyond the generic ones of :func:`error_statuses`.
- ``public``: True when no login is needed (then 401/403 are not generic).
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow.common import make_schema_key
from marshmallow import Schema, fields

ERROR = {"$ref": "#/components/schemas/Error"}
PAGINATION = {"$ref": "#/components/schemas/Pagination"}
UNDECLARED = "x-reqflow-undeclared-shape"

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["success", "error", "timestamp", "request_id"],
    "properties": {
        "success": {"type": "boolean", "enum": [False]},
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "object", "additionalProperties": True},
            },
        },
        "timestamp": {"type": "string", "format": "date-time"},
        "request_id": {"type": "string"},
    },
}

PAGINATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["page", "per_page", "total", "pages"],
    "properties": {
        "page": {"type": "integer"},
        "per_page": {"type": "integer"},
        "total": {"type": "integer"},
        "pages": {"type": "integer"},
        "total_capped": {"type": "boolean"},
    },
}

ERROR_TEXT = {
    400: "Malformed request",
    401: "Not authenticated",
    403: "Not permitted",
    404: "Not found",
    409: "Conflict with the current state",
    415: "Unsupported media type",
    422: "Validation error",
    429: "Rate limited",
}


def schema_ref(spec: APISpec, schema: type[Schema] | Schema) -> dict[str, str]:
    cls = schema if isinstance(schema, type) else type(schema)
    plugin = next(p for p in spec.plugins if hasattr(p, "converter"))
    known: dict[Any, str] = plugin.converter.refs  # schemas already in the document
    name = known.get(make_schema_key(cls()))
    if name is None:
        name = cls.__name__
        if name in spec.components.schemas:  # another domain's schema of the same name
            name = cls.__module__.split(".")[1].title() + name
        spec.components.schema(name, schema=cls)
    return {"$ref": f"#/components/schemas/{name}"}


def envelope(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["success", "data", "message", "timestamp", "request_id"],
        "properties": {
            "success": {"type": "boolean", "enum": [True]},
            "data": data,
            "message": {"type": "string"},
            "timestamp": {"type": "string", "format": "date-time"},
            "request_id": {"type": "string"},
        },
    }


def _field(spec: APISpec, field: fields.Field) -> dict[str, Any]:
    plugin = next(p for p in spec.plugins if hasattr(p, "converter"))
    return plugin.converter.field2property(field)  # type: ignore[no-any-return]


def data_schema(spec: APISpec, meta: dict[str, Any]) -> dict[str, Any]:
    """The schema of ``data`` in the success envelope, from the operation's meta."""
    if "response" not in meta and "key" not in meta:
        return {"type": "object", "additionalProperties": False, "maxProperties": 0}
    if "key" not in meta:
        return {"type": "object", UNDECLARED: True}
    item: dict[str, Any] = (
        schema_ref(spec, meta["response"])
        if meta.get("response") is not None
        else {"type": "object", "additionalProperties": True}
    )
    many = meta.get("many", False)
    value = {"type": "array", "items": item} if many else item
    key = meta["key"]
    if key is None:
        return value
    properties: dict[str, Any] = {key: value}
    if many and meta.get("paged", True):
        properties["pagination"] = PAGINATION
    for name, field in meta.get("extra", {}).items():
        properties[name] = _field(spec, field)
    return {"type": "object", "required": sorted(properties), "properties": properties}


def error_statuses(meta: dict[str, Any], method: str, has_path_params: bool) -> list[int]:
    """The error statuses an operation can answer: generic ones plus those it declares."""
    codes = {400, 429}
    if not meta.get("public"):
        codes |= {401, 403}
    if has_path_params or "body" in meta:
        codes.add(404)  # the path's row, or a row the body refers to by id
    if "body" in meta or "query" in meta:
        codes.add(422)
    if "body" in meta:
        codes.add(415)
    if method != "get":
        codes.add(409)
    codes |= set(meta.get("errors", ()))
    return sorted(codes)


def responses(spec: APISpec, meta: dict[str, Any], method: str, has_path_params: bool) -> dict:
    status = str(meta.get("status", 200))
    answers: dict[str, Any] = {}
    if status == "204":
        answers[status] = {"description": "Done; no content"}
    elif "content" in meta or "files" in meta:  # a download: the file, not an envelope
        binary = {"schema": {"type": "string", "format": "binary"}}
        mimes = meta.get("files") or [meta["content"]]
        content: dict[str, Any] = {m: binary for m in mimes}
        if "key" in meta:  # ``format=json|csv|xlsx``: the envelope, or the same data as a file
            content["application/json"] = {"schema": envelope(data_schema(spec, meta))}
        answers[status] = {"description": "The file (or the envelope)", "content": content}
    else:
        answers[status] = {
            "description": "Success envelope",
            "content": {"application/json": {"schema": envelope(data_schema(spec, meta))}},
        }
    for code in error_statuses(meta, method, has_path_params):
        answers[str(code)] = {
            "description": f"{ERROR_TEXT.get(code, 'Error')} (error envelope)",
            "content": {"application/json": {"schema": ERROR}},
        }
    return answers
