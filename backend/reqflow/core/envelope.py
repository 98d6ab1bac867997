"""The success and error envelopes of the API, built in one place."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from flask import current_app, g, has_request_context, request


def utcnow_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def request_id() -> str:
    if not has_request_context():
        return "req-" + uuid.uuid4().hex[:16]
    if "request_id" not in g:
        incoming = request.headers.get("X-Request-ID", "")
        valid = 0 < len(incoming) <= 128 and all(c.isalnum() or c in "-_.:" for c in incoming)
        g.request_id = incoming if valid else "req-" + uuid.uuid4().hex[:16]
    return str(g.request_id)


def _respond(body: dict[str, Any], status: int, headers: dict[str, str] | None):
    response = current_app.json.response(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def ok(
    data: Any = None,
    message: str = "OK",
    status: int = 200,
    headers: dict[str, str] | None = None,
):
    body = {
        "success": True,
        "data": data if data is not None else {},
        "message": message,
        "timestamp": utcnow_iso(),
        "request_id": request_id(),
    }
    return _respond(body, status, headers)


def created(data: Any, message: str = "Created", headers: dict[str, str] | None = None):
    return ok(data, message, 201, headers)


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
):
    body = {
        "success": False,
        "error": {"code": code, "message": message, "details": details or {}},
        "timestamp": utcnow_iso(),
        "request_id": request_id(),
    }
    return _respond(body, status, headers)
