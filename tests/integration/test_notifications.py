"""Notifications API, e-mail preferences, reminders and escalation of overdue steps."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from reqflow.approvals.models import ApprovalStep
from reqflow.approvals.tasks import remind_and_escalate
from reqflow.core.models import utcnow
from reqflow.events import relay
from reqflow.extensions import db
from reqflow.notifications.models import Notification
from tests.integration.reqs import act, submitted

NOTES = "/api/v1/notifications"


def test_decisions_reach_the_requester_and_can_be_marked_read(client, auth):
    req = submitted(client, auth)
    act(client, auth("lead"), req["id"], "question", question="Which press?")
    listed = client.get(NOTES, headers=auth("engineer")).json["data"]
    assert listed["unread_count"] == 1
    note = listed["notifications"][0]
    assert note["type"] == "requisition_decision" and "question" in note["title"]
    assert "Which press?" in note["body"]
    read = client.post(f"{NOTES}/{note['id']}/read", headers=auth("engineer"))
    assert read.json["data"]["unread_count"] == 0
    assert read.json["data"]["notification"]["read_at"].endswith("Z")
    unread = client.get(f"{NOTES}?unread=true", headers=auth("engineer")).json["data"]
    assert unread["notifications"] == []


def test_nobody_reads_someone_elses_notification(client, auth):
    req = submitted(client, auth)
    act(client, auth("lead"), req["id"], "approve")
    note = client.get(NOTES, headers=auth("engineer")).json["data"]["notifications"][0]
    assert client.post(f"{NOTES}/{note['id']}/read", headers=auth("engineer2")).status_code == 404
    assert client.get(NOTES, headers=auth("engineer2")).json["data"]["notifications"] == []


def test_read_all_and_since_id(client, auth):
    req = submitted(client, auth)
    act(client, auth("lead"), req["id"], "approve")
    act(client, auth("buyer"), req["id"], "approve")
    notes = client.get(NOTES, headers=auth("engineer")).json["data"]["notifications"]
    assert len(notes) == 2 and notes[0]["id"] > notes[1]["id"]
    newer = client.get(f"{NOTES}?since_id={notes[1]['id']}", headers=auth("engineer")).json
    assert [n["id"] for n in newer["data"]["notifications"]] == [notes[0]["id"]]
    done = client.post(f"{NOTES}/read-all", headers=auth("engineer")).json["data"]
    assert done["marked"] == 2
    assert client.get(NOTES, headers=auth("engineer")).json["data"]["unread_count"] == 0


def test_redelivered_event_does_not_notify_twice(app, client, auth):
    req = submitted(client, auth)
    act(client, auth("lead"), req["id"], "approve")
    with app.app_context():
        from reqflow.events import OutboxEvent

        db.session.execute(update(OutboxEvent).values(dispatched_at=None))
        db.session.commit()
        relay(older_than=timedelta(0))
        count = db.session.scalar(
            select(func.count(Notification.id)).where(Notification.type == "requisition_decision")
        )
    assert count == 1


def test_email_follows_preferences(app, client, auth):
    mail = Path(app.config["INSTANCE_DIR"]) / "mail"
    before = set(mail.glob("*.eml")) if mail.exists() else set()
    prefs = client.put(
        f"{NOTES}/preferences",
        headers=auth("engineer"),
        json={"email": {"requisition_decision": False}},
    )
    assert prefs.status_code == 200
    req = submitted(client, auth)  # a step assigned to the lead by name: e-mailed at once
    act(client, auth("lead"), req["id"], "approve")
    sent = [p.read_text() for p in set(mail.glob("*.eml")) - before]
    assert not [m for m in sent if "To: engineer@example.com" in m]
    assert [m for m in sent if "To: lead@example.com" in m]
    # the next step is Procurement's as a whole: the buyer's e-mail waits for the digest
    assert not [m for m in sent if "To: buyer@example.com" in m]
    bad = client.put(
        f"{NOTES}/preferences", headers=auth("engineer"), json={"email": {"no_such_type": True}}
    )
    assert bad.status_code == 422


def _age_steps(app, days):
    with app.app_context():
        db.session.execute(update(ApprovalStep).values(due_at=utcnow() - timedelta(days=days)))
        db.session.commit()


def test_overdue_steps_are_reminded_once_then_escalated(app, client, auth):
    req = submitted(client, auth, "lead")  # a Procurement step, pending
    _age_steps(app, 1)
    with app.app_context():
        assert remind_and_escalate() == {"reminded": 1, "escalated": 0}
        assert remind_and_escalate() == {"reminded": 0, "escalated": 0}
    reminder = client.get(NOTES, headers=auth("buyer")).json["data"]["notifications"]
    assert reminder[0]["type"] == "approval_reminder"
    assert req["req_number"] in reminder[0]["title"]
    _age_steps(app, 10)
    with app.app_context():
        assert remind_and_escalate() == {"reminded": 0, "escalated": 1}
        assert remind_and_escalate() == {"reminded": 0, "escalated": 0}
    escalated = client.get(NOTES, headers=auth("procmgr")).json["data"]["notifications"]
    assert escalated[0]["type"] == "approval_escalated"
