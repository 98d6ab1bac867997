"""Hot reads (dashboard KPIs, inbox and unread counts) come from the cache until the event
that changes them: the next read after that event shows the change."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

from reqflow.approvals.models import ApprovalStep
from reqflow.core.models import utcnow
from reqflow.extensions import db
from tests.conftest import counted_statements as counting
from tests.integration.reqs import act, submitted

DASHBOARD = "/api/v1/dashboard"
INBOX = "/api/v1/approvals/pending?per_page=1"


def read(client, headers, url: str = DASHBOARD) -> dict:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.json
    return response.json["data"]


def board(client, headers) -> dict:
    return read(client, headers)["dashboard"]


def _aggregates(statements: list[str]) -> list[str]:
    """Statements that read the counted tables themselves (not the counters)."""
    tables = ("FROM requisitions", "FROM approval_steps", "FROM purchase_orders")
    return [s for s in statements if any(t in s for t in tables)]


def test_the_whole_table_figures_are_one_read_of_the_counters_cold_or_warm(app, client, auth):
    submitted(client, auth)
    headers = auth("procmgr")
    with counting(app) as cold:
        first = board(client, headers)
    with counting(app) as warm:
        second = board(client, headers)
    assert second == first
    assert first["requisitions_by_status"]["Submitted"] == 1
    # The user, the counters, and (cold) the inbox: no aggregate of requisitions, approval
    # steps or POs, whatever their number.
    for statements in (cold, warm):
        assert sum("dashboard_counters" in s for s in statements) == 1, statements
    assert _aggregates(warm) == [] and len(warm) <= 2, warm
    assert len(cold) <= 4, cold


def test_whole_table_figures_are_the_same_for_every_role_that_sees_them(app, client, auth):
    submitted(client, auth)
    procmgr, buyer_headers = auth("procmgr"), auth("buyer")
    manager = board(client, procmgr)
    with counting(app) as other_role:
        buyer = board(client, buyer_headers)
    assert buyer["requisitions_by_status"] == manager["requisitions_by_status"]
    assert buyer["sourcing_queue"] == manager["sourcing_queue"]
    assert "pos_pending_approval" in manager and "pos_pending_approval" not in buyer
    # The buyer reads the counters and computes their own inbox count only.
    assert sum("dashboard_counters" in s for s in other_role) == 1
    assert len(other_role) <= 4, other_role


def test_the_dashboard_shows_an_approval_by_someone_else_on_the_next_read(app, client, auth):
    req = submitted(client, auth)
    before = board(client, auth("procmgr"))
    assert before["requisitions_by_status"]["Submitted"] == 1
    assert before["approvals_pending_total"] == 1
    assert board(client, auth("buyer"))["approvals_waiting"] == 0
    assert board(client, auth("engineer"))["my_requisitions_by_status"]["Submitted"] == 1

    assert act(client, auth("lead"), req["id"], "approve").status_code == 200
    assert board(client, auth("buyer"))["approvals_waiting"] == 1
    assert act(client, auth("buyer"), req["id"], "approve").status_code == 200

    after = board(client, auth("procmgr"))
    assert after["requisitions_by_status"]["Submitted"] == 0
    assert after["requisitions_by_status"]["Approved"] == 1
    assert after["approvals_pending_total"] == 0
    assert [m["amount"] for m in after["approved_spend_by_month"]] == [req["total_amount"]]
    assert after["sourcing_queue"] == 1
    assert board(client, auth("buyer"))["approvals_waiting"] == 0
    mine = board(client, auth("engineer"))["my_requisitions_by_status"]
    assert (mine["Submitted"], mine["Approved"]) == (0, 1)


def test_the_inbox_count_is_cached_until_a_step_assigned_to_the_user_changes(app, client, auth):
    req = submitted(client, auth)
    lead = auth("lead")
    with counting(app) as cold:
        assert read(client, lead, INBOX)["pagination"]["total"] == 1
    with counting(app) as warm:
        assert read(client, lead, INBOX)["pagination"]["total"] == 1
    assert len(warm) < len(cold), (len(cold), len(warm))
    assert read(client, auth("buyer"), INBOX)["pagination"]["total"] == 0

    assert act(client, lead, req["id"], "approve").status_code == 200
    assert read(client, lead, INBOX)["pagination"]["total"] == 0
    assert read(client, auth("buyer"), INBOX)["pagination"]["total"] == 1


def test_the_unread_count_follows_a_new_notification_and_marking_read(app, client, auth):
    req = submitted(client, auth)
    engineer = auth("engineer")
    with counting(app) as cold:
        start = read(client, engineer, "/api/v1/notifications")["unread_count"]
    with counting(app) as warm:
        assert read(client, engineer, "/api/v1/notifications")["unread_count"] == start
    assert len(warm) < len(cold), (len(cold), len(warm))

    assert act(client, auth("lead"), req["id"], "approve").status_code == 200
    listed = read(client, engineer, "/api/v1/notifications")
    assert listed["unread_count"] == start + 1
    newest = listed["notifications"][0]["id"]
    marked = client.post(f"/api/v1/notifications/{newest}/read", headers=engineer)
    assert marked.json["data"]["unread_count"] == start
    assert read(client, engineer, "/api/v1/notifications")["unread_count"] == start
    client.post("/api/v1/notifications/read-all", headers=engineer)
    assert read(client, engineer, "/api/v1/notifications")["unread_count"] == 0


def test_a_cached_inbox_count_expires_when_its_next_step_falls_due(app, client, auth, users):
    """No event marks a step becoming overdue: the cached count lives only until then."""
    with app.app_context():
        db.session.add(
            ApprovalStep(
                document_type="requisition",
                document_id=1,
                document_number="REQ-X",
                amount=Decimal("10.00"),
                requester_id=users["engineer"].id,
                sequence=1,
                kind="role",
                role="Procurement",
                label="Procurement review",
                status="Pending",
                due_at=utcnow() + timedelta(seconds=1),
            )
        )
        db.session.commit()
    buyer = auth("buyer")
    first = board(client, buyer)
    assert (first["approvals_waiting"], first["approvals_overdue"]) == (1, 0)
    time.sleep(1.2)
    later = board(client, buyer)
    assert (later["approvals_waiting"], later["approvals_overdue"]) == (1, 1)
