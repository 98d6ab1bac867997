"""Who sees a requisition without seeing them all: its requester, their line manager, and the
people its approval steps reach — a role step once it is pending, a delegate while the
delegation runs, whoever decided a step. What someone may see is read afresh on every
request; on PostgreSQL and on SQLite (the embedded default) alike."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from reqflow import create_app
from reqflow.extensions import db
from tests.conftest import PASSWORD, login, make_config
from tests.integration.reqs import BASE, act, submitted

PEOPLE = {
    "admin": "Admin",
    "procmgr": "ProcurementMgr",
    "lead": "Engineer",
    "engineer": "Engineer",
    "engineer2": "Engineer",
    "storekeeper": "Warehouse",
}


@dataclass
class Site:
    client: FlaskClient
    auth: Callable[[str], dict[str, str]]
    ids: dict[str, int]


def _people(application: Any) -> dict[str, int]:
    """The people of these tests on a fresh SQLite site, as on PostgreSQL's: both engineers
    report to ``lead``."""
    from reqflow.identity import service

    ids: dict[str, int] = {}
    with application.app_context():
        department = service.create_department(actor=None, name="Engineering", code="ENG")
        for username, role in PEOPLE.items():
            user = service.create_user(
                actor=None,
                data={
                    "username": username,
                    "email": f"{username}@example.com",
                    "full_name": username.title(),
                    "password": PASSWORD,
                    "role": role,
                    "department_id": department.id,
                    "manager_id": ids["lead"] if username in ("engineer", "engineer2") else None,
                },
            )
            ids[username] = user.id
    return ids


@pytest.fixture(params=["postgresql", "sqlite"])
def site(request: pytest.FixtureRequest, app, tmp_path) -> Iterator[Site]:
    if request.param == "postgresql":
        users = request.getfixturevalue("users")
        yield Site(
            request.getfixturevalue("client"),
            request.getfixturevalue("auth"),
            {name: users[name].id for name in PEOPLE},
        )
        return
    from flask_migrate import upgrade

    # Background jobs on threads, as the embedded default runs them (run inline, a job
    # would wait on the write lock of the request that enqueued it).
    database = f"sqlite:///{tmp_path / 'reqflow.db'}"
    lite = create_app(make_config(tmp_path, database, JOBS_BACKEND="thread"))
    with lite.app_context():
        assert db.engine.dialect.name == "sqlite"
        upgrade(directory=lite.config["MIGRATIONS_DIR"])
    ids = _people(lite)
    client = lite.test_client()
    tokens: dict[str, dict[str, str]] = {}

    def auth(username: str) -> dict[str, str]:
        if username not in tokens:
            tokens[username] = login(client, username)
        return tokens[username]

    yield Site(client, auth, ids)
    with lite.app_context():
        db.engine.dispose()


def _listed(site: Site, username: str) -> list[int]:
    response = site.client.get(f"{BASE}?per_page=100", headers=site.auth(username))
    assert response.status_code == 200, response.json
    return [r["id"] for r in response.json["data"]["requisitions"]]


def _detail(site: Site, username: str, req_id: int) -> Any:
    return site.client.get(f"{BASE}/{req_id}", headers=site.auth(username))


def test_a_role_step_made_pending_after_a_first_read_shows_the_requisition_next_time(site):
    rule = {
        "name": "Stores check after the line manager",
        "priority": 1,
        "steps": [
            {"kind": "line_manager"},
            {"kind": "role", "role": "Warehouse", "label": "Stores check"},
        ],
    }
    changed = site.client.put(
        "/api/v1/approval-policies", json={"policies": [rule]}, headers=site.auth("procmgr")
    )
    assert changed.status_code == 200, changed.json
    req = submitted(site.client, site.auth)
    # The stores step waits behind the line manager's: nothing reaches the storekeeper yet.
    assert _listed(site, "storekeeper") == []
    assert _detail(site, "storekeeper", req["id"]).status_code == 404
    assert act(site.client, site.auth("lead"), req["id"], "approve").status_code == 200
    # The same client, the next request: the pending role step now reaches them.
    assert _listed(site, "storekeeper") == [req["id"]]
    shown = _detail(site, "storekeeper", req["id"])
    assert shown.status_code == 200, shown.json
    assert shown.json["data"]["requisition"]["allowed_actions"] == ["approve", "reject", "question"]
    # Not their role's: another engineer still sees nothing of it.
    assert _listed(site, "engineer2") == []
    assert _detail(site, "engineer2", req["id"]).status_code == 404


def test_a_delegate_sees_the_delegators_requisitions_while_the_delegation_runs(site):
    req = submitted(site.client, site.auth)
    assert _listed(site, "engineer2") == []
    assert _detail(site, "engineer2", req["id"]).status_code == 404
    today = date.today()
    made = site.client.post(
        "/api/v1/delegations",
        headers=site.auth("lead"),
        json={
            "delegate_id": site.ids["engineer2"],
            "starts_on": (today - timedelta(days=1)).isoformat(),
            "ends_on": (today + timedelta(days=5)).isoformat(),
        },
    )
    assert made.status_code == 201, made.json
    assert _listed(site, "engineer2") == [req["id"]]
    shown = _detail(site, "engineer2", req["id"])
    assert shown.status_code == 200, shown.json
    assert "approve" in shown.json["data"]["requisition"]["allowed_actions"]

    # Cancelled before anyone decided: the delegate no longer sees it.
    delegation = made.json["data"]["delegation"]["id"]
    cancel = site.client.post(f"/api/v1/delegations/{delegation}/cancel", headers=site.auth("lead"))
    assert cancel.status_code == 200, cancel.json
    assert _listed(site, "engineer2") == []
    assert _detail(site, "engineer2", req["id"]).status_code == 404


def test_whoever_decided_a_step_as_a_delegate_still_sees_the_requisition_afterwards(site):
    today = date.today()
    made = site.client.post(
        "/api/v1/delegations",
        headers=site.auth("lead"),
        json={
            "delegate_id": site.ids["engineer2"],
            "starts_on": (today - timedelta(days=1)).isoformat(),
            "ends_on": (today + timedelta(days=5)).isoformat(),
        },
    )
    assert made.status_code == 201, made.json
    req = submitted(site.client, site.auth)
    assert act(site.client, site.auth("engineer2"), req["id"], "approve").status_code == 200
    delegation = made.json["data"]["delegation"]["id"]
    cancel = site.client.post(f"/api/v1/delegations/{delegation}/cancel", headers=site.auth("lead"))
    assert cancel.status_code == 200, cancel.json
    assert _listed(site, "engineer2") == [req["id"]]
    shown = _detail(site, "engineer2", req["id"])
    assert shown.status_code == 200, shown.json
    assert shown.json["data"]["requisition"]["allowed_actions"] == []
