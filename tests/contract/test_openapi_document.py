"""The OpenAPI document: a valid OpenAPI 3 document, every API route declared, and each
operation's answer in the real envelope with its real success status and error statuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openapi_spec_validator import validate

from reqflow.core.openapi import api_operations, build_spec, operation_meta
from reqflow.core.openapi_shapes import UNDECLARED


def _document(app) -> dict[str, Any]:
    with app.app_context():
        return build_spec(app)


def _data(op: dict[str, Any], status: str = "200") -> dict[str, Any]:
    envelope = op["responses"][status]["content"]["application/json"]["schema"]
    assert envelope["required"] == ["success", "data", "message", "timestamp", "request_id"]
    return envelope["properties"]["data"]  # type: ignore[no-any-return]


def test_the_document_is_a_valid_openapi_3_document(app, client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert document == _document(app)


def test_every_registered_api_route_declares_its_shape(app):
    """A Resource method without ``schemas`` meta (or with a response but no ``key``) fails here."""
    missing = []
    for path, method, view, _ in api_operations(app):
        meta = operation_meta(view, method)
        if meta is None or ("response" in meta and "key" not in meta):
            missing.append(f"{method.upper()} {path} ({view.__name__})")
    assert missing == []
    assert UNDECLARED not in str(_document(app))


def test_lists_carry_their_plural_key_and_pagination(app):
    paths = _document(app)["paths"]
    data = _data(paths["/requisitions"]["get"])
    assert data["required"] == ["pagination", "requisitions"]
    assert data["properties"]["requisitions"]["items"] == {
        "$ref": "#/components/schemas/RequisitionRead"
    }
    assert data["properties"]["pagination"] == {"$ref": "#/components/schemas/Pagination"}
    notifications = _data(paths["/notifications"]["get"])
    assert set(notifications["required"]) == {"notifications", "pagination", "unread_count"}
    history = _data(paths["/requisitions/{requisition_id}/approvals"]["get"])
    assert history["required"] == ["approvals"]


def test_single_objects_sit_where_the_resource_puts_them(app):
    paths = _document(app)["paths"]
    assert _data(paths["/suppliers/{supplier_id}"]["get"])["properties"]["supplier"] == {
        "$ref": "#/components/schemas/SupplierRead"
    }
    assert _data(paths["/approval-policies"]["get"]) == {"$ref": "#/components/schemas/PolicySet"}
    login = _data(paths["/auth/login"]["post"])
    assert login == {"$ref": "#/components/schemas/LoginResult"}
    empty = _data(paths["/auth/logout"]["post"])
    assert empty["maxProperties"] == 0


def test_success_statuses_and_content_types_are_the_real_ones(app):
    paths = _document(app)["paths"]
    assert "201" in paths["/requisitions"]["post"]["responses"]
    assert "200" not in paths["/requisitions"]["post"]["responses"]
    assert "201" in paths["/rfqs/{rfq_id}/award"]["post"]["responses"]
    assert "200" in paths["/requisitions/{requisition_id}"]["delete"]["responses"]
    pdf = paths["/purchase-orders/{po_id}/pdf"]["get"]["responses"]["200"]
    assert list(pdf["content"]) == ["application/pdf"]


def test_errors_use_the_error_envelope_with_each_operations_statuses(app):
    document = _document(app)
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["success", "error", "timestamp", "request_id"]
    ops = document["paths"]
    update = ops["/requisitions/{requisition_id}"]["put"]["responses"]
    assert {"400", "401", "403", "404", "409", "422", "429"} <= set(update)
    assert update["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    listing = ops["/suppliers"]["get"]["responses"]
    assert "404" not in listing and "409" not in listing
    assert ops["/auth/login"]["post"]["security"] == []


def test_money_is_a_fixed_point_string_and_nullable_fields_say_so(app):
    schemas = _document(app)["components"]["schemas"]
    total = schemas["RequisitionRead"]["properties"]["total_amount"]
    assert total["type"] == "string" and total["format"] == "decimal"
    assert total["pattern"] == r"^-?\d+\.\d{2}$"
    assert schemas["UserRead"]["properties"]["created_at"]["format"] == "date-time"


def test_the_committed_document_for_the_spa_is_current(app):
    """frontend/openapi.json (and the SPA types generated from it) follow the API: after an API
    change, ``make api-types`` regenerates both (``make test-frontend`` checks the types)."""
    committed = json.loads((Path(__file__).parents[2] / "frontend/openapi.json").read_text())
    assert committed == _document(app), "stale frontend/openapi.json: run `make api-types`"
