"""OpenAPI 3 document built from the registered resources and their marshmallow schemas,
and Swagger UI served from local assets at /api/docs."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, current_app, jsonify, send_from_directory
from marshmallow import Schema
from swagger_ui_bundle import swagger_ui_path

API_PREFIX = "/api/v1"
ERROR = {"$ref": "#/components/schemas/Error"}

docs = Blueprint("docs", __name__)

SWAGGER_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ReqFlow API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>"""

SWAGGER_INIT = """window.ui = SwaggerUIBundle({url: '/api/v1/openapi.json', dom_id: '#swagger-ui',
  deepLinking: true, withCredentials: true});"""


def _ref(spec: APISpec, schema: type[Schema] | Schema) -> dict[str, str]:
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__
    if name not in spec.components.schemas:
        spec.components.schema(name, schema=cls)
    return {"$ref": f"#/components/schemas/{name}"}


def _envelope(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "success": {"type": "boolean"},
            "data": data,
            "message": {"type": "string"},
            "timestamp": {"type": "string", "format": "date-time"},
            "request_id": {"type": "string"},
        },
    }


def _operation(spec: APISpec, view_class: type, method: str, path_params: list[str]) -> dict:
    fn = getattr(view_class, method)
    meta = getattr(view_class, "schemas", {}).get(method, {})
    doc = (fn.__doc__ or "").strip().splitlines()
    op: dict[str, Any] = {
        "summary": doc[0] if doc else f"{method.upper()} {view_class.__name__}",
        "tags": [view_class.__module__.split(".")[1]],
        "parameters": [
            {"in": "path", "name": p, "required": True, "schema": {"type": "integer"}}
            for p in path_params
        ],
        "responses": {
            "default": {
                "description": "Error envelope",
                "content": {"application/json": {"schema": ERROR}},
            }
        },
    }
    if "query" in meta:
        op["parameters"].append({"in": "query", "schema": meta["query"]})
    if "body" in meta:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(spec, meta["body"])}},
        }
    if "form" in meta:  # a file upload
        op["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": _ref(spec, meta["form"])}},
        }
    data: dict[str, Any] = {"type": "object"}
    if "response" in meta:
        item = _ref(spec, meta["response"])
        data = {"type": "array", "items": item} if meta.get("many") else item
    status = (
        "201"
        if method == "post"
        and ("body" in meta or "form" in meta)
        and "create" in op["summary"].lower()
        else "200"
    )
    op["responses"][status] = {
        "description": "Success envelope",
        "content": {"application/json": {"schema": _envelope(data)}},
    }
    return op


def build_spec(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="ReqFlow API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Procure-to-pay ERP. JSON in the envelope of SPEC §3."},
    )
    spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    spec.components.schema(
        "Error",
        {
            "type": "object",
            "properties": {
                "success": {"type": "boolean"},
                "error": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "details": {"type": "object"},
                    },
                },
                "timestamp": {"type": "string"},
                "request_id": {"type": "string"},
            },
        },
    )
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view_class = getattr(app.view_functions.get(rule.endpoint), "view_class", None)
        if not rule.rule.startswith(API_PREFIX) or view_class is None:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len(API_PREFIX) :])
        methods = sorted(m.lower() for m in (rule.methods or set()) - {"HEAD", "OPTIONS"})
        ops = {
            m: _operation(spec, view_class, m, list(rule.arguments))
            for m in methods
            if hasattr(view_class, m)
        }
        spec.path(path=path, operations=ops)
    document = spec.to_dict()
    document["servers"] = [{"url": API_PREFIX}]
    document["security"] = [{"bearer": []}]
    return document


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
