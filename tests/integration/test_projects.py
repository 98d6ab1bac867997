"""Projects: CRUD, roles, versions, and committed spend from registered sources."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from reqflow.audit.models import AuditLog
from reqflow.extensions import db
from reqflow.projects import service
from reqflow.projects.models import Project
from tests.conftest import counted_statements

PLANT = {"code": "plant-7", "name": "Plant 7 retrofit", "budget_amount": "10000"}


def project(client, auth, who="procmgr", **overrides):
    response = client.post("/api/v1/projects", json={**PLANT, **overrides}, headers=auth(who))
    assert response.status_code == 201, response.json
    return response.json["data"]["project"]


def listed(client, headers, query=""):
    response = client.get(f"/api/v1/projects{query}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json["data"]["projects"]


@pytest.fixture
def quarter_committed():
    """A commitment source that, like the real ones, runs one SQL aggregate for all ids:
    a quarter of each project's budget is committed. Records the ids of every call."""
    calls: list[list[int]] = []

    def source(project_ids: list[int]) -> dict[int, Decimal]:
        calls.append(list(project_ids))
        rows = db.session.execute(
            select(Project.id, Project.budget_amount / 4).where(Project.id.in_(project_ids))
        )
        return {project_id: amount for project_id, amount in rows}

    service.register_commitment_source(source)
    try:
        yield calls
    finally:
        service.unregister_commitment_source(source)


def test_procurement_manager_creates_a_project_with_money_strings(client, auth, users):
    made = project(client, auth, owner_id=users["lead"].id, description="  Line 3  ")
    assert made["code"] == "PLANT-7"
    assert made["budget_amount"] == "10000.00"
    assert made["committed_amount"] == "0.00"
    assert made["remaining_amount"] == "10000.00"
    assert made["owner"] == {"id": users["lead"].id, "username": "lead", "full_name": "Lead"}
    assert made["description"] == "Line 3"
    assert made["is_active"] is True and made["version"] == 1


def test_only_project_managers_write_and_everyone_reads(app, client, auth):
    made = project(client, auth, who="admin")
    path = f"/api/v1/projects/{made['id']}"
    for who in ("engineer", "buyer", "storekeeper", "accountant"):
        body = {**PLANT, "code": f"P-{who[:5]}"}
        response = client.post("/api/v1/projects", json=body, headers=auth(who))
        assert response.status_code == 403, who
        update = client.put(path, json={"name": "X", "version": 1}, headers=auth(who))
        assert update.status_code == 403, who
        assert [p["code"] for p in listed(client, auth(who))] == ["PLANT-7"]
        assert client.get(path, headers=auth(who)).status_code == 200
    assert app.test_client().get("/api/v1/projects").status_code == 401
    assert client.get("/api/v1/projects/999999", headers=auth("engineer")).status_code == 404


def test_project_field_errors_are_422_per_field(client, auth, users):
    cases = [
        ({**PLANT, "budget_amount": "-0.01"}, "budget_amount"),
        ({**PLANT, "budget_amount": "lots"}, "budget_amount"),
        ({**PLANT, "budget_amount": "99999999999"}, "budget_amount"),
        ({"code": "P1", "name": "No budget"}, "budget_amount"),
        ({**PLANT, "code": "x"}, "code"),
        ({**PLANT, "name": ""}, "name"),
        ({**PLANT, "owner_id": 999999}, "owner_id"),
        ({**PLANT, "owner_id": str(users["lead"].id)}, "owner_id"),
        ({**PLANT, "committed_amount": "5"}, "committed_amount"),
    ]
    for body, field in cases:
        response = client.post("/api/v1/projects", json=body, headers=auth("procmgr"))
        assert response.status_code == 422, body
        assert field in response.json["error"]["details"], body


def test_duplicate_project_code_is_422_on_code(client, auth):
    project(client, auth)
    again = client.post(
        "/api/v1/projects", json={**PLANT, "code": "PLANT-7"}, headers=auth("procmgr")
    )
    assert again.status_code == 422
    assert again.json["error"]["details"] == {"code": ["Already in use."]}


def test_update_is_versioned_audited_and_can_close_a_project(app, client, auth, users):
    made = project(client, auth)
    path = f"/api/v1/projects/{made['id']}"
    body = {"budget_amount": 12500.5, "version": 1}
    changed = client.put(path, json=body, headers=auth("procmgr"))
    assert changed.status_code == 200
    assert changed.json["data"]["project"]["budget_amount"] == "12500.50"
    assert changed.json["data"]["project"]["version"] == 2
    stale = client.put(path, json={"name": "Late", "version": 1}, headers=auth("admin"))
    assert stale.status_code == 409 and stale.json["error"]["code"] == "STALE_VERSION"
    closed = client.put(path, json={"is_active": False, "version": 2}, headers=auth("admin"))
    assert closed.json["data"]["project"]["is_active"] is False
    assert listed(client, auth("engineer")) == []
    assert listed(client, auth("engineer"), "?include_inactive=true") == []
    assert [p["id"] for p in listed(client, auth("procmgr"), "?is_active=false")] == [made["id"]]
    with app.app_context():
        rows = db.session.scalars(
            select(AuditLog).where(AuditLog.resource_type == "project").order_by(AuditLog.id)
        ).all()
        assert [r.action for r in rows] == ["project.create", "project.update", "project.update"]
        assert rows[1].old_values == {"budget_amount": "10000.00"}
        assert rows[1].new_values == {"budget_amount": "12500.50"}
        assert rows[2].new_values == {"is_active": False}
        assert rows[2].actor_id == users["admin"].id


def test_same_idempotency_key_creates_one_project(client, auth):
    headers = {**auth("procmgr"), "Idempotency-Key": "project-plant-7"}
    first = client.post("/api/v1/projects", json=PLANT, headers=headers)
    second = client.post("/api/v1/projects", json=PLANT, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert len(listed(client, auth("procmgr"))) == 1


def test_search_filters_and_sort(client, auth, users):
    project(client, auth, owner_id=users["lead"].id)
    project(client, auth, code="WAREHOUSE", name="New warehouse", budget_amount="500")
    engineer = auth("engineer")
    assert [p["code"] for p in listed(client, engineer, "?q=retro")] == ["PLANT-7"]
    assert [p["code"] for p in listed(client, engineer, f"?owner_id={users['lead'].id}")] == [
        "PLANT-7"
    ]
    by_budget = listed(client, engineer, "?sort=budget_amount")
    assert [p["code"] for p in by_budget] == ["WAREHOUSE", "PLANT-7"]


def test_committed_and_remaining_come_from_the_registered_sources(client, auth, quarter_committed):
    made = project(client, auth)
    project(client, auth, code="SMALL", budget_amount="99.99")
    assert made["committed_amount"] == "2500.00"
    assert made["remaining_amount"] == "7500.00"
    rows = {p["code"]: p for p in listed(client, auth("engineer"))}
    assert rows["SMALL"]["committed_amount"] == "25.00"  # 24.9975 rounds half-up
    assert rows["SMALL"]["remaining_amount"] == "74.99"
    assert sorted(quarter_committed[-1]) == sorted(p["id"] for p in rows.values())


def test_sources_add_up_and_check_budget_flags_an_overrun(app, client, auth, quarter_committed):
    made = project(client, auth)

    def fixed(project_ids: list[int]) -> dict[int, Decimal]:
        return {project_id: Decimal("1000.00") for project_id in project_ids}

    service.register_commitment_source(fixed)
    try:
        with app.app_context():
            assert service.committed_amounts([made["id"]]) == {made["id"]: Decimal("3500.00")}
            assert service.check_budget(made["id"], Decimal("6500.00")) == (
                False,
                Decimal("6500.00"),
            )
            assert service.check_budget(made["id"], Decimal("6500.01"))[0] is True
            assert service.check_budget(made["id"], Decimal("1"), lock=True)[0] is False
            db.session.rollback()
            assert service.get_project(made["id"]).code == "PLANT-7"
    finally:
        service.unregister_commitment_source(fixed)


def test_no_sources_means_nothing_committed(app, client, auth):
    made = project(client, auth)
    with app.app_context():
        assert service.committed_amounts([]) == {}
        assert service.check_budget(made["id"], Decimal("10000.00")) == (
            False,
            Decimal("10000.00"),
        )


def test_list_runs_the_sources_once_per_page_whatever_its_size(
    app, client, auth, quarter_committed
):
    for n in range(25):
        project(client, auth, code=f"P{n:02}", name=f"Project {n}")
    headers = auth("engineer")
    client.get("/api/v1/auth/me", headers=headers)  # the process now holds the user
    counts = {}
    for per_page in (2, 25):
        quarter_committed.clear()
        with counted_statements(app) as statements:
            response = client.get(f"/api/v1/projects?per_page={per_page}", headers=headers)
        assert len(response.json["data"]["projects"]) == per_page
        assert len(quarter_committed) == 1 and len(quarter_committed[0]) == per_page
        counts[per_page] = len(statements)
    # the caller's lookup, count, page, one query per source (other domains may add theirs)
    # auth (2) + count + page + owners + their departments (one IN query each) + sources
    assert counts[2] == counts[25] <= 6 + len(service._sources), counts
