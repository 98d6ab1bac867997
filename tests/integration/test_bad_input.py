"""Garbage never answers 500: malformed bodies, wrong types, huge strings, unknown fields."""

from __future__ import annotations

import pytest

CASES = [
    ("not json", "application/json", 400),
    ("[1, 2, 3]", "application/json", 400),
    ('"a string"', "application/json", 400),
    ("null", "application/json", 400),
    ('{"username": ', "application/json", 400),
    ("username=x", "application/x-www-form-urlencoded", 415),
    ("<xml/>", "text/xml", 415),
]


@pytest.mark.parametrize("body,content_type,status", CASES)
def test_malformed_bodies_get_the_error_envelope(client, auth, body, content_type, status):
    response = client.post(
        "/api/v1/users", data=body, headers={**auth("admin"), "Content-Type": content_type}
    )
    assert response.status_code == status
    assert response.json["success"] is False
    assert response.json["error"]["code"] in ("BAD_REQUEST", "UNSUPPORTED_MEDIA_TYPE")
    assert response.json["request_id"]


@pytest.mark.parametrize(
    "payload,field",
    [
        (
            {
                "username": 123,
                "email": "a@b.co",
                "full_name": "x",
                "password": "p",
                "role": "Admin",
            },
            "username",
        ),
        (
            {
                "username": "okname",
                "email": "not-an-email",
                "full_name": "x",
                "password": "p",
                "role": "Admin",
            },
            "email",
        ),
        (
            {
                "username": "okname",
                "email": "a@b.co",
                "full_name": "x" * 100000,
                "password": "p",
                "role": "Admin",
            },
            "full_name",
        ),
        (
            {
                "username": "okname",
                "email": "a@b.co",
                "full_name": "x",
                "password": "p",
                "role": "Wizard",
            },
            "role",
        ),
        (
            {
                "username": "okname",
                "email": "a@b.co",
                "full_name": "x",
                "password": "p",
                "role": "Admin",
                "is_superuser": True,
            },
            "is_superuser",
        ),
        (
            {
                "username": "okname",
                "email": "a@b.co",
                "full_name": "x",
                "password": "p",
                "role": "Admin",
                "department_id": "7",
            },
            "department_id",
        ),
    ],
)
def test_field_errors_are_422_with_details_per_field(client, auth, payload, field):
    response = client.post("/api/v1/users", json=payload, headers=auth("admin"))
    assert response.status_code == 422
    assert field in response.json["error"]["details"]


def test_weak_password_on_create_is_422(client, auth):
    response = client.post(
        "/api/v1/users",
        headers=auth("admin"),
        json={
            "username": "weakling",
            "email": "weak@example.com",
            "full_name": "Weak Ling",
            "password": "aaaaaaaaaaaa",
            "role": "Engineer",
        },
    )
    assert response.status_code == 422
    assert "password" in response.json["error"]["details"]


def test_duplicate_username_is_422_not_500(client, auth):
    body = {
        "username": "engineer",
        "email": "other@example.com",
        "full_name": "Dup",
        "password": "Velvet-Comet-Orchard-51",
        "role": "Engineer",
    }
    response = client.post("/api/v1/users", json=body, headers=auth("admin"))
    assert response.status_code == 422
    assert "username" in response.json["error"]["details"]


def test_bad_query_arguments_are_422(client, auth):
    for query in ("page=abc", "per_page=1000", "page=0", "sort=password_hash", "is_active=maybe"):
        response = client.get(f"/api/v1/users?{query}", headers=auth("admin"))
        assert response.status_code == 422, query


def test_login_with_garbage_is_never_500(client, users):
    for body in (
        {},
        {"username": ["x"], "password": "y"},
        {"password": 5},
        {"username": "x" * 10000, "password": "y"},
    ):
        response = client.post("/api/v1/auth/login", json=body)
        assert response.status_code in (401, 422), body


def test_too_large_body_is_413(client, auth):
    response = client.post(
        "/api/v1/users",
        data="x" * (51 * 1024 * 1024),
        headers={**auth("admin"), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_unknown_api_path_and_wrong_method_are_json(client):
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.json["success"] is False
    wrong = client.delete("/api/v1/auth/login")
    assert wrong.status_code == 405 and wrong.json["error"]["code"] == "METHOD_NOT_ALLOWED"
