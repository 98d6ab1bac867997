"""The audit log is append-only, written with every state change and auth event."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from reqflow.extensions import db


def _one_audit_row(client, auth):
    auth("admin")  # a login writes a row
    return client.get("/api/v1/audit-logs", headers=auth("admin")).json["data"]


def test_raw_sql_update_and_delete_are_refused_by_the_trigger(app, client, auth):
    assert _one_audit_row(client, auth)["pagination"]["total"] >= 1
    with app.app_context():
        for sql in (
            "UPDATE audit_logs SET action = 'forged'",
            "DELETE FROM audit_logs",
            "TRUNCATE audit_logs",
        ):
            with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
                conn.execute(text(sql))
        with db.engine.connect() as conn:
            forged = conn.execute(
                text("SELECT count(*) FROM audit_logs WHERE action = 'forged'")
            ).scalar()
        assert forged == 0


def test_user_change_records_who_old_and_new_values_and_request(client, users, auth):
    engineer = users["engineer"].id
    response = client.put(
        f"/api/v1/users/{engineer}",
        headers={
            **auth("admin"),
            "User-Agent": "ops-console/1.0",
            "X-Request-ID": "req-audit-check",
        },
        json={"full_name": "Eric Renamed", "version": 1},
    )
    assert response.status_code == 200
    logs = client.get(
        f"/api/v1/audit-logs?resource_type=user&resource_id={engineer}&action=user.update",
        headers=auth("admin"),
    ).json["data"]["audit_logs"]
    assert len(logs) == 1
    entry = logs[0]
    assert entry["actor_id"] == users["admin"].id and entry["actor_name"] == "admin"
    assert entry["old_values"]["full_name"] == "Engineer"
    assert entry["new_values"]["full_name"] == "Eric Renamed"
    assert entry["user_agent"] == "ops-console/1.0"
    assert entry["request_id"] == "req-audit-check"
    assert entry["ip_address"] == "127.0.0.1"
    assert entry["created_at"].endswith("Z")


def test_login_logout_and_failures_are_audited(client, users, auth):
    client.post("/api/v1/auth/login", json={"username": "buyer", "password": "nope"})
    headers = auth("buyer")
    client.post("/api/v1/auth/logout", headers=headers)
    actions = {
        e["action"]
        for e in client.get("/api/v1/audit-logs?per_page=100", headers=auth("admin")).json["data"][
            "audit_logs"
        ]
    }
    assert {"auth.login", "auth.login_failed", "auth.logout"} <= actions


def test_audit_filters_by_date_range_and_rejects_bad_dates(client, auth):
    auth("admin")
    future = client.get("/api/v1/audit-logs?from=2999-01-01T00:00:00Z", headers=auth("admin"))
    assert future.json["data"]["pagination"]["total"] == 0
    bad = client.get("/api/v1/audit-logs?from=yesterday", headers=auth("admin"))
    assert bad.status_code == 422 and "from" in bad.json["error"]["details"]


def test_entries_name_their_document_with_a_link_and_their_actor(client, users, auth):
    from tests.integration.reqs import submitted

    req = submitted(client, auth)
    engineer = client.get(f"/api/v1/users/{users['engineer'].id}", headers=auth("admin"))
    renamed = client.put(
        f"/api/v1/users/{users['engineer'].id}",
        headers=auth("admin"),
        json={"full_name": "Eric Renamed", "version": engineer.json["data"]["user"]["version"]},
    )
    assert renamed.status_code == 200, renamed.json
    logs = client.get("/api/v1/audit-logs?per_page=100", headers=auth("admin")).json["data"]
    entry = next(e for e in logs["audit_logs"] if e["action"] == "requisition.submit")
    assert entry["document_label"] == req["req_number"]
    assert entry["document_link"] == f"/requisitions/{req['id']}"
    assert entry["actor_full_name"] == "Eric Renamed"
    user_entry = next(e for e in logs["audit_logs"] if e["action"] == "user.update")
    assert user_entry["document_label"] == "Eric Renamed"
    assert user_entry["document_link"] == "/admin/users"
    assert user_entry["actor_full_name"] == "Admin"
    step = next(e for e in logs["audit_logs"] if e["resource_type"] == "approval_step")
    assert step["document_label"] is None and step["document_link"] is None
