"""The per-request hooks that return early (core/lean_hooks.py) still answer what the
extensions' own hooks answer when the request concerns them."""

from __future__ import annotations

from reqflow.core.hardening import discard_failed_transaction
from reqflow.extensions import db

ALLOWED = "http://127.0.0.1:5000"


def test_a_cross_origin_request_gets_the_cors_headers(client, auth):
    answer = client.get("/api/v1/auth/me", headers={**auth("buyer"), "Origin": ALLOWED})
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert answer.headers["Access-Control-Allow-Credentials"] == "true"
    assert "X-Request-ID" in answer.headers["Access-Control-Expose-Headers"]


def test_a_preflight_from_an_allowed_origin_is_answered(client):
    answer = client.options(
        "/api/v1/requisitions",
        headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST"},
    )
    assert answer.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]


def test_no_cors_headers_without_an_origin_or_for_another_origin(client, auth):
    for headers in ({}, {"Origin": "https://elsewhere.example"}):
        answer = client.get("/api/v1/auth/me", headers={**auth("buyer"), **headers})
        assert answer.status_code == 200
        assert "Access-Control-Allow-Origin" not in answer.headers


def test_rate_limit_headers_on_a_limited_route_only(client, auth):
    signed_in = client.get("/api/v1/auth/me", headers=auth("buyer"))
    assert "X-RateLimit-Limit" not in signed_in.headers
    login = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    assert login.status_code == 401
    assert int(login.headers["X-RateLimit-Limit"]) > 0
    assert "X-RateLimit-Remaining" in login.headers


def test_the_failed_transaction_check_opens_no_session(app):
    with app.test_request_context("/health"):
        db.session.remove()
        discard_failed_transaction()
        assert not db.session.registry.has()
