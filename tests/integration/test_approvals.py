"""Approval chains through the HTTP API, on PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from sqlalchemy import func, select

from reqflow.audit.models import AuditLog
from reqflow.events import OutboxEvent
from reqflow.extensions import db
from tests.conftest import PASSWORD
from tests.integration.reqs import BASE, act, make_project, payload, submitted


def _chain(client, auth, req_id, username="buyer"):
    steps = client.get(f"{BASE}/{req_id}/approvals", headers=auth(username)).json["data"]
    return [(s["kind"], s["role"], s["status"]) for s in steps["approvals"]]


def test_small_requisition_goes_line_manager_then_procurement(client, auth):
    req = submitted(client, auth)
    assert req["status"] == "Submitted"
    assert _chain(client, auth, req["id"]) == [
        ("line_manager", None, "Pending"),
        ("role", "Procurement", "Waiting"),
    ]
    first = act(client, auth("lead"), req["id"], "approve", comment="Needed for line 3")
    assert first.status_code == 200
    assert first.json["data"]["requisition"]["status"] == "Under Review"
    last = act(client, auth("buyer"), req["id"], "approve")
    body = last.json["data"]["requisition"]
    assert body["status"] == "Approved" and body["approved_by"]["username"] == "buyer"
    history = body["approvals"]
    assert history[0]["decided_by_name"] == "Lead" and history[0]["comment"] == "Needed for line 3"
    assert history[0]["decided_at"].endswith("Z")


def test_large_requisition_needs_the_procurement_manager(client, auth):
    req = submitted(client, auth, body=payload(("1", "5000.00")))
    assert [s[1] for s in _chain(client, auth, req["id"])] == [
        None,
        "Procurement",
        "ProcurementMgr",
    ]
    act(client, auth("lead"), req["id"], "approve")
    act(client, auth("buyer"), req["id"], "approve")
    status = client.get(f"{BASE}/{req['id']}", headers=auth("engineer")).json["data"]
    assert status["requisition"]["status"] == "Under Review"
    done = act(client, auth("procmgr"), req["id"], "approve")
    assert done.json["data"]["requisition"]["status"] == "Approved"


def test_line_manager_is_skipped_when_absent(client, auth):
    req = submitted(client, auth, "lead")  # lead has no manager
    assert _chain(client, auth, req["id"]) == [("role", "Procurement", "Pending")]
    approved = act(client, auth("buyer"), req["id"], "approve")
    assert approved.json["data"]["requisition"]["status"] == "Approved"


def test_over_budget_project_requisition_is_flagged_and_gets_the_manager(app, client, auth):
    project = make_project(app, budget="100.00")
    body = payload(("1", "150.00"), purpose="Project-Specific", project_id=project)
    req = submitted(client, auth, body=body)
    assert req["over_budget"] is True
    assert _chain(client, auth, req["id"])[-1] == ("role", "ProcurementMgr", "Waiting")
    within = submitted(
        client, auth, body=payload(("1", "50.00"), purpose="Project-Specific", project_id=project)
    )
    assert within["over_budget"] is False
    assert len(_chain(client, auth, within["id"])) == 2


def test_approved_requisitions_count_as_committed_project_spend(app, client, auth):
    project = make_project(app, budget="100.00")
    body = payload(("1", "80.00"), purpose="Project-Specific", project_id=project)
    first = submitted(client, auth, "lead", body)
    act(client, auth("buyer"), first["id"], "approve")
    second = submitted(client, auth, "lead", body)
    assert second["over_budget"] is True  # 80 committed + 80 > 100


def test_nobody_approves_their_own_requisition(client, auth, users):
    from reqflow.identity.models import User

    # The lead asks; lead's manager is nobody, so Procurement reviews. A buyer who asks
    # can never approve their own, even holding the role of the step.
    with client.application.app_context():
        buyer = db.session.get(User, users["buyer"].id)
        buyer.role = "Engineer"
        db.session.commit()
    req = submitted(client, auth, "buyer")
    with client.application.app_context():
        buyer = db.session.get(User, users["buyer"].id)
        buyer.role = "Procurement"
        db.session.commit()
    response = act(client, auth("buyer"), req["id"], "approve")
    assert response.status_code == 403


def test_non_eligible_approver_gets_403(client, auth):
    req = submitted(client, auth)
    assert act(client, auth("buyer"), req["id"], "approve").status_code == 403  # lead's turn
    assert act(client, auth("procmgr"), req["id"], "approve").status_code == 403
    assert act(client, auth("engineer2"), req["id"], "approve").status_code == 404  # not visible


def test_reject_needs_a_reason_and_is_terminal(client, auth):
    req = submitted(client, auth)
    no_reason = act(client, auth("lead"), req["id"], "reject")
    assert no_reason.status_code == 422 and "reason" in no_reason.json["error"]["details"]
    rejected = act(client, auth("lead"), req["id"], "reject", reason="Use stock from store B")
    assert rejected.json["data"]["requisition"]["status"] == "Rejected"
    assert _chain(client, auth, req["id"]) == [
        ("line_manager", None, "Rejected"),
        ("role", "Procurement", "Cancelled"),
    ]
    for action, body in (
        ("approve", {}),
        ("reject", {"reason": "x"}),
        ("question", {"question": "y"}),
    ):
        again = act(client, auth("lead"), req["id"], action, **body)
        assert again.status_code == 409, action
    assert act(client, auth("engineer"), req["id"], "submit").status_code == 409
    assert act(client, auth("engineer"), req["id"], "cancel").status_code == 409


def test_question_then_edit_and_resubmit_restarts_the_chain(client, auth):
    req = submitted(client, auth)
    act(client, auth("lead"), req["id"], "approve")
    asked = act(client, auth("buyer"), req["id"], "question", question="Which machine?")
    assert asked.json["data"]["requisition"]["status"] == "Questioned"
    current = client.get(f"{BASE}/{req['id']}", headers=auth("engineer")).json["data"]
    body = payload(("2", "10.50"), version=current["requisition"]["version"])
    body["justification"] = "For press 4"
    assert client.put(f"{BASE}/{req['id']}", json=body, headers=auth("engineer")).status_code == 200
    again = act(client, auth("engineer"), req["id"], "submit")
    assert again.json["data"]["requisition"]["status"] == "Submitted"
    steps = client.get(f"{BASE}/{req['id']}/approvals", headers=auth("buyer")).json["data"]
    rounds = [(s["round"], s["status"]) for s in steps["approvals"]]
    assert rounds == [(1, "Approved"), (1, "Questioned"), (2, "Pending"), (2, "Waiting")]


def test_cancel_by_owner_from_draft_or_questioned_only(client, auth):
    req = submitted(client, auth)
    assert act(client, auth("engineer"), req["id"], "cancel").status_code == 409
    act(client, auth("lead"), req["id"], "question", question="Why?")
    cancelled = act(client, auth("engineer"), req["id"], "cancel")
    assert cancelled.json["data"]["requisition"]["status"] == "Cancelled"


def test_inbox_lists_what_reaches_me(client, auth):
    req = submitted(client, auth)
    lead_inbox = client.get("/api/v1/approvals/pending", headers=auth("lead")).json["data"]
    assert [a["document_number"] for a in lead_inbox["approvals"]] == [req["req_number"]]
    assert lead_inbox["approvals"][0]["requester_name"] == "Engineer"
    assert (
        client.get("/api/v1/approvals/pending", headers=auth("buyer")).json["data"]["pagination"][
            "total"
        ]
        == 0
    )
    act(client, auth("lead"), req["id"], "approve")
    buyer_inbox = client.get("/api/v1/approvals/pending", headers=auth("buyer")).json["data"]
    assert buyer_inbox["approvals"][0]["label"] == "Procurement review"
    assert (
        client.get("/api/v1/approvals/pending", headers=auth("lead")).json["data"]["pagination"][
            "total"
        ]
        == 0
    )


def test_delegation_routes_steps_to_the_delegate(client, auth):
    today = date.today()
    made = client.post(
        "/api/v1/delegations",
        headers=auth("lead"),
        json={
            # A colleague of the same role: only someone who could hold the step may stand in.
            "delegate_id": client.get("/api/v1/auth/me", headers=auth("engineer2")).json["data"][
                "user"
            ]["id"],
            "starts_on": (today - timedelta(days=1)).isoformat(),
            "ends_on": (today + timedelta(days=5)).isoformat(),
            "reason": "Holiday",
        },
    )
    assert made.status_code == 201
    req = submitted(client, auth)
    inbox = client.get("/api/v1/approvals/pending", headers=auth("engineer2")).json["data"]
    assert [a["document_id"] for a in inbox["approvals"]] == [req["id"]]
    assert client.get(f"{BASE}/{req['id']}", headers=auth("engineer2")).status_code == 200
    approved = act(client, auth("engineer2"), req["id"], "approve")
    assert approved.status_code == 200
    step = approved.json["data"]["requisition"]["approvals"][0]
    assert step["decided_by_name"] == "Engineer2" and step["on_behalf_of_id"] is not None


def test_expired_delegation_no_longer_routes(client, auth, users):
    past = date.today() - timedelta(days=10)
    client.post(
        "/api/v1/delegations",
        headers=auth("lead"),
        json={
            "delegate_id": users["engineer2"].id,
            "starts_on": past.isoformat(),
            "ends_on": (past + timedelta(days=2)).isoformat(),
        },
    )
    req = submitted(client, auth)
    assert act(client, auth("engineer2"), req["id"], "approve").status_code == 404


# Other domains react to these events with records of their own (purchasing sources the
# approved lines); this test looks at the requisition's own transitions.
TRANSITION_ACTIONS = [
    "requisition.create",
    "requisition.submit",
    "requisition.step_approve",
    "requisition.approve",
]
TRANSITION_EVENTS = [
    "RequisitionCreated",
    "RequisitionSubmitted",
    "RequisitionStepApproved",
    "RequisitionApproved",
]


def test_every_transition_writes_one_audit_row_and_one_event(app, client, auth):
    req = submitted(client, auth)
    act(client, auth("lead"), req["id"], "approve")
    act(client, auth("buyer"), req["id"], "approve")
    with app.app_context():
        actions = list(
            db.session.scalars(
                select(AuditLog.action)
                .where(
                    AuditLog.resource_type == "requisition",
                    AuditLog.resource_id == req["id"],
                    AuditLog.action.in_(TRANSITION_ACTIONS),
                )
                .order_by(AuditLog.id)
            )
        )
        names = list(
            db.session.scalars(
                select(OutboxEvent.name)
                .where(OutboxEvent.name.in_(TRANSITION_EVENTS))
                .order_by(OutboxEvent.id)
            )
        )
    assert actions == [
        "requisition.create",
        "requisition.submit",
        "requisition.step_approve",
        "requisition.approve",
    ]
    assert names == [
        "RequisitionCreated",
        "RequisitionSubmitted",
        "RequisitionStepApproved",
        "RequisitionApproved",
    ]


def test_fifty_concurrent_identical_approvals_exactly_one_succeeds(app, client, auth, users):
    from reqflow.identity import service as identity

    with app.app_context():
        for i in range(49):
            identity.create_user(
                actor=None,
                data={
                    "username": f"buyer{i:02d}",
                    "email": f"buyer{i:02d}@example.com",
                    "full_name": f"Buyer {i}",
                    "password": PASSWORD,
                    "role": "Procurement",
                },
            )
    req = submitted(client, auth, "lead")  # straight to the Procurement step
    tokens = [auth("buyer")] + [auth(f"buyer{i:02d}") for i in range(49)]
    barrier = threading.Barrier(50)

    def approve(headers):
        local = app.test_client()
        barrier.wait()
        return local.post(
            f"{BASE}/{req['id']}/approve", headers=headers, json={"version": req["version"]}
        ).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(approve, tokens))
    assert statuses.count(200) == 1
    assert statuses.count(409) == 49
    with app.app_context():
        audit = db.session.scalar(
            select(func.count(AuditLog.id)).where(
                AuditLog.action == "requisition.approve", AuditLog.resource_id == req["id"]
            )
        )
        events = db.session.scalar(
            select(func.count(OutboxEvent.id)).where(OutboxEvent.name == "RequisitionApproved")
        )
    assert audit == 1 and events == 1


def test_approval_policies_are_readable_and_editable_by_managers(client, auth):
    default = client.get("/api/v1/approval-policies", headers=auth("engineer")).json["data"]
    assert default["policies"][0]["name"] == "Default"
    rule = {
        "name": "Everything to the manager",
        "priority": 1,
        "steps": [{"kind": "role", "role": "ProcurementMgr", "label": "Manager"}],
    }
    assert (
        client.put(
            "/api/v1/approval-policies", json={"policies": [rule]}, headers=auth("buyer")
        ).status_code
        == 403
    )
    changed = client.put(
        "/api/v1/approval-policies", json={"policies": [rule]}, headers=auth("procmgr")
    )
    assert changed.status_code == 200
    req = submitted(client, auth)
    assert _chain(client, auth, req["id"]) == [("role", "ProcurementMgr", "Pending")]
    bad = client.put(
        "/api/v1/approval-policies",
        headers=auth("admin"),
        json={"policies": [{"name": "x", "steps": [{"kind": "role"}]}]},
    )
    assert bad.status_code == 422


def test_a_policy_without_steps_for_the_amount_approves_on_submit(client, auth):
    rule = {
        "name": "Large orders only",
        "priority": 1,
        "steps": [
            {"kind": "role", "role": "ProcurementMgr", "label": "Large", "min_amount": "1000.00"}
        ],
    }
    changed = client.put(
        "/api/v1/approval-policies", json={"policies": [rule]}, headers=auth("procmgr")
    )
    assert changed.status_code == 200
    req = submitted(client, auth)
    assert req["status"] == "Approved" and req["approvals"] == []
    # The submit's answer names who approved it, as a fresh read does.
    read = client.get(f"/api/v1/requisitions/{req['id']}", headers=auth("engineer")).json["data"]
    assert req == read["requisition"]
    assert req["approved_by"] is not None
