"""Delegation only to someone who could hold the delegator's steps; never one's own."""

from __future__ import annotations

from datetime import date, timedelta

from reqflow.approvals.models import Delegation
from reqflow.extensions import db
from tests.integration.pos import add_user
from tests.integration.reqs import BASE, act, submitted

URL = "/api/v1/delegations"


def _window() -> dict[str, str]:
    today = date.today()
    return {
        "starts_on": (today - timedelta(days=1)).isoformat(),
        "ends_on": (today + timedelta(days=5)).isoformat(),
    }


def _delegate(client, auth, users, delegator, delegate_id):
    return client.post(URL, headers=auth(delegator), json={"delegate_id": delegate_id, **_window()})


def test_delegation_needs_a_delegate_who_could_hold_the_steps(app, client, auth, users):
    add_user(app, "buyer2", "Procurement")
    buyer2 = client.get("/api/v1/users?q=buyer2", headers=auth("admin")).json["data"]["users"]
    refused = [
        ("buyer", users["engineer2"].id),  # a procurement review is not an engineer's
        ("procmgr", users["buyer"].id),  # nor is a high-value approval a buyer's
        ("lead", users["storekeeper"].id),  # a line manager's steps need an approver
    ]
    for delegator, delegate_id in refused:
        response = _delegate(client, auth, users, delegator, delegate_id)
        assert response.status_code == 422, delegator
        assert "delegate_id" in response.json["error"]["details"]
    allowed = [
        ("buyer", buyer2[0]["id"]),  # same role
        ("lead", users["engineer2"].id),  # same role
        ("lead", users["buyer"].id),  # a line manager's steps: a role that approves
    ]
    for delegator, delegate_id in allowed:
        assert _delegate(client, auth, users, delegator, delegate_id).status_code == 201


def test_a_delegation_to_an_engineer_does_not_let_them_approve_a_procurement_review(
    app, client, auth, users
):
    # Made before the rule existed (straight into the table): it must grant nothing.
    window = _window()
    with app.app_context():
        db.session.add(
            Delegation(
                delegator_id=users["buyer"].id,
                delegate_id=users["engineer2"].id,
                starts_on=date.fromisoformat(window["starts_on"]),
                ends_on=date.fromisoformat(window["ends_on"]),
            )
        )
        db.session.commit()
    req = submitted(client, auth)
    assert act(client, auth("lead"), req["id"], "approve").status_code == 200
    inbox = client.get("/api/v1/approvals/pending", headers=auth("engineer2")).json["data"]
    assert inbox["approvals"] == []
    assert act(client, auth("engineer2"), req["id"], "approve").status_code in (403, 404)
    assert act(client, auth("buyer"), req["id"], "approve").status_code == 200


def test_a_requester_who_is_the_approvers_delegate_cannot_approve_their_own(client, auth, users):
    assert _delegate(client, auth, users, "lead", users["engineer"].id).status_code == 201
    req = submitted(client, auth, "engineer")
    inbox = client.get("/api/v1/approvals/pending", headers=auth("engineer")).json["data"]
    assert inbox["approvals"] == []
    assert act(client, auth("engineer"), req["id"], "approve").status_code in (403, 404)
    step = client.get(f"{BASE}/{req['id']}/approvals", headers=auth("lead")).json["data"]
    assert step["approvals"][0]["status"] == "Pending"
