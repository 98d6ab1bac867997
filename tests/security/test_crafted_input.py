"""Crafted input never answers 500 (SPEC §3): NUL bytes, lone surrogates, deep nesting."""

from __future__ import annotations

import pytest

from tests.integration.reqs import payload

LISTS = [
    ("admin", "/api/v1/users"),
    ("admin", "/api/v1/users/lookup"),
    ("engineer", "/api/v1/requisitions"),
    ("buyer", "/api/v1/purchase-orders"),
    ("buyer", "/api/v1/suppliers"),
    ("buyer", "/api/v1/items"),
    ("buyer", "/api/v1/rfqs"),
    ("storekeeper", "/api/v1/inventory"),
    ("storekeeper", "/api/v1/inventory/receipts"),
    ("storekeeper", "/api/v1/storage-locations"),
    ("accountant", "/api/v1/invoices"),
    ("accountant", "/api/v1/payments"),
    ("admin", "/api/v1/projects"),
    ("admin", "/api/v1/audit-logs"),
]


def _refused(response, *statuses):
    assert response.status_code in statuses, (response.status_code, response.data[:300])
    assert response.is_json, response.data[:300]
    assert response.json["success"] is False
    assert response.json["request_id"]
    return response.json["error"]


@pytest.mark.parametrize("username,path", LISTS)
def test_nul_byte_in_a_list_filter_is_refused_with_the_envelope(client, auth, username, path):
    error = _refused(client.get(f"{path}?q=a%00b", headers=auth(username)), 400, 422)
    assert "q" in error["details"]


def test_nul_byte_in_the_page_argument_is_refused(client, auth):
    _refused(client.get("/api/v1/requisitions?page=1%00", headers=auth("engineer")), 400, 422)


def test_nul_byte_in_the_login_username_is_refused_before_login(client, users):
    body = {"username": "engi\u0000neer", "password": "whatever-it-is"}
    error = _refused(client.post("/api/v1/auth/login", json=body), 400, 422)
    assert "username" in error["details"]


@pytest.mark.parametrize("depth", [50_000, 2_000, 100])
def test_deeply_nested_json_is_a_400(client, auth, depth):
    for path, headers in (("/api/v1/auth/login", {}), ("/api/v1/requisitions", auth("engineer"))):
        response = client.post(
            path, data="[" * depth, headers={**headers, "Content-Type": "application/json"}
        )
        _refused(response, 400)
        nested = client.post(
            path,
            data='{"a": ' + "[" * depth + "]" * depth + "}",
            headers={**headers, "Content-Type": "application/json"},
        )
        _refused(nested, 400)


@pytest.mark.parametrize("bad", ["a\u0000b", "a\ud800b", "\udfff"])
def test_nul_or_lone_surrogate_in_a_json_string_is_refused(client, auth, bad):
    body = payload()
    body["items"][0]["description"] = bad
    error = _refused(client.post("/api/v1/requisitions", json=body, headers=auth("engineer")), 422)
    assert "items.0.description" in error["details"]
    dept = client.post(
        "/api/v1/departments", json={"name": bad, "code": "X1"}, headers=auth("admin")
    )
    assert "name" in _refused(dept, 422)["details"]


def test_a_nul_in_an_object_key_is_refused(client, auth):
    body = {"name": "Ok", "code": "K1", "ke\u0000y": 1}
    _refused(client.post("/api/v1/departments", json=body, headers=auth("admin")), 400, 422)


def test_raw_invalid_utf8_body_is_a_400(client, auth):
    response = client.post(
        "/api/v1/departments",
        data=b'{"name": "\xff\xfe", "code": "X2"}',
        headers={**auth("admin"), "Content-Type": "application/json"},
    )
    _refused(response, 400)


def test_a_failed_flush_still_answers_the_envelope(pg_database, tmp_path, users):
    """The error path and the request-finishing hooks never read from a session whose
    transaction PostgreSQL refused (that used to escape as gunicorn's HTML page)."""
    from flask import g

    from reqflow import create_app
    from reqflow.extensions import db
    from reqflow.identity.models import Department, User
    from tests.conftest import make_config

    app = create_app(make_config(tmp_path, pg_database))

    @app.post("/api/v1/_broken-flush")
    def _broken_flush():
        g.reqflow_user = db.session.get(User, users["admin"].id)
        db.session.add(Department(name="a\u0000b", code="NUL"))
        db.session.flush()
        return "unreachable"

    response = app.test_client().post("/api/v1/_broken-flush")
    assert response.status_code == 500 and response.is_json
    assert response.json["error"]["code"] == "INTERNAL_ERROR"
    assert response.headers["Cache-Control"] == "no-store"
