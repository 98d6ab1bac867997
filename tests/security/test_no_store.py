"""Authenticated JSON is never cached (SPEC §3: every authenticated response is no-store)."""

from __future__ import annotations

from tests.conftest import PASSWORD


def test_login_and_every_authenticated_answer_is_no_store(client, auth, users):
    login = client.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
    assert login.headers["Cache-Control"] == "no-store"
    for path in ("/auth/me", "/users", "/departments", "/audit-logs"):
        response = client.get(f"/api/v1{path}", headers=auth("admin"))
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    invoices = client.get("/api/v1/invoices", headers=auth("accountant"))
    assert invoices.headers["Cache-Control"] == "no-store"


def test_refusals_are_no_store_too(client, users):
    assert client.get("/api/v1/auth/me").headers["Cache-Control"] == "no-store"
    wrong = client.post("/api/v1/auth/login", json={"username": "admin", "password": "x"})
    assert wrong.headers["Cache-Control"] == "no-store"
