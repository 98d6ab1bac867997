"""OpenAPI 3 document built from the registered resources and their marshmallow schemas,
and Swagger UI served from local assets at /api/docs."""

from __future__ import annotations

import json
import re
from typing import Any

import click
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, current_app, jsonify, send_from_directory
from marshmallow import fields
from swagger_ui_bundle import swagger_ui_path

from reqflow.core.money import DecimalString
from reqflow.core.openapi_output import tighten_outputs
from reqflow.core.openapi_shapes import (
    ERROR_SCHEMA,
    PAGINATION_SCHEMA,
    UNDECLARED,
    responses,
    schema_ref,
)

API_PREFIX = "/api/v1"

docs = Blueprint("docs", __name__, cli_group=None)

SWAGGER_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ReqFlow API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>"""

SWAGGER_INIT = """window.ui = SwaggerUIBundle({url: '/api/v1/openapi.json', dom_id: '#swagger-ui',
  deepLinking: true, withCredentials: true});"""


def _decimal_string(self: Any, field: Any, **kwargs: Any) -> dict[str, Any]:
    """Money and quantities travel as fixed-point strings (``"1234.50"``), never as numbers."""
    if isinstance(field, fields.Decimal) and field.as_string:  # ratios, shares: "0.0944"
        return {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$"}
    if not isinstance(field, DecimalString):
        return {}
    places = -int(field.places.as_tuple().exponent)
    return {"type": "string", "format": "decimal", "pattern": rf"^-?\d+\.\d{{{places}}}$"}


def operation_meta(view_class: type, method: str) -> dict[str, Any] | None:
    """The ``schemas`` meta a Resource declares for one method, or None when it declares none."""
    meta: dict[str, Any] | None = getattr(view_class, "schemas", {}).get(method)
    return meta


def _operation(spec: APISpec, view_class: type, method: str, path_params: list[str]) -> dict:
    fn = getattr(view_class, method)
    meta = operation_meta(view_class, method)
    doc = (fn.__doc__ or "").strip().splitlines()
    op: dict[str, Any] = {
        "operationId": f"{view_class.__module__.split('.')[1]}.{view_class.__name__}.{method}",
        "summary": doc[0] if doc else f"{method.upper()} {view_class.__name__}",
        "tags": [view_class.__module__.split(".")[1]],
        "parameters": [
            {"in": "path", "name": p, "required": True, "schema": _path_schema(meta or {}, p)}
            for p in path_params
        ],
        "responses": responses(spec, meta or {}, method, bool(path_params)),
    }
    permission = getattr(fn, "required_permission", None)  # from require_permission
    if permission:
        op["x-permission"] = permission
    if meta is None:
        op[UNDECLARED] = True
        return op
    if "query" in meta:
        op["parameters"].append({"in": "query", "schema": meta["query"]})
    if "body" in meta:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema_ref(spec, meta["body"])}},
        }
    if "form" in meta:  # a file upload
        op["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": schema_ref(spec, meta["form"])}},
        }
    if meta.get("public"):
        op["security"] = []
    return op


def _path_schema(meta: dict[str, Any], name: str) -> dict[str, Any]:
    """A path parameter is a row id unless the operation declares it (``"path": {...}``);
    a parameter not named as an id (an import's kind) is a string."""
    declared = meta.get("path", {}).get(name)
    return dict(declared or {"type": "integer" if name.endswith("id") else "string"})


def _new_spec() -> APISpec:
    plugin = MarshmallowPlugin()
    spec = APISpec(
        title="ReqFlow API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[plugin],
        info={"description": "Procure-to-pay ERP. JSON in the envelope of SPEC §3."},
    )
    plugin.converter.add_attribute_function(_decimal_string)  # type: ignore[union-attr]
    spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    spec.components.schema("Error", ERROR_SCHEMA)
    spec.components.schema("Pagination", PAGINATION_SCHEMA)
    return spec


def api_operations(app: Flask) -> list[tuple[str, str, type, list[str]]]:
    """Every (path, method, Resource class, path params) registered under the API prefix."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view_class = getattr(app.view_functions.get(rule.endpoint), "view_class", None)
        if not rule.rule.startswith(API_PREFIX) or view_class is None:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len(API_PREFIX) :])
        for method in sorted(m.lower() for m in (rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if hasattr(view_class, method):
                found.append((path, method, view_class, list(rule.arguments)))
    return found


def _partial_schemas(spec: APISpec) -> set[str]:
    """Names of the schemas whose ``Meta`` says a dumped key may be absent."""
    plugin = next(p for p in spec.plugins if isinstance(p, MarshmallowPlugin))
    refs: dict[Any, str] = plugin.converter.refs  # type: ignore[union-attr]
    return {
        name
        for key, name in refs.items()
        if getattr(getattr(key[0], "Meta", None), "openapi_partial", False)
    }


def build_spec(app: Flask) -> dict[str, Any]:
    spec = _new_spec()
    paths: dict[str, dict[str, Any]] = {}
    for path, method, view_class, params in api_operations(app):
        paths.setdefault(path, {})[method] = _operation(spec, view_class, method, params)
    for path, ops in paths.items():
        spec.path(path=path, operations=ops)
    document = spec.to_dict()
    tighten_outputs(document, _partial_schemas(spec))
    document["servers"] = [{"url": API_PREFIX}]
    document["security"] = [{"bearer": []}]
    return document


@docs.cli.command("openapi-dump")
@click.argument("output", type=click.File("w"), default="-")
def openapi_dump(output: Any) -> None:
    """Write the OpenAPI document as JSON (no server needed)."""
    output.write(json.dumps(build_spec(current_app), indent=2, sort_keys=True) + "\n")


@docs.get(API_PREFIX + "/openapi.json")
def openapi_json() -> Any:
    cached = current_app.extensions.get("reqflow_openapi")
    if cached is None:
        cached = current_app.extensions["reqflow_openapi"] = build_spec(current_app)
    return jsonify(cached)


@docs.get("/api/docs")
@docs.get("/api/docs/")
def swagger_ui() -> Any:
    return current_app.response_class(SWAGGER_HTML, mimetype="text/html")


@docs.get("/api/docs/init.js")
def swagger_init() -> Any:
    return current_app.response_class(SWAGGER_INIT, mimetype="application/javascript")


@docs.get("/api/docs/assets/<path:filename>")
def swagger_assets(filename: str) -> Any:
    return send_from_directory(str(swagger_ui_path), filename, max_age=86400)
