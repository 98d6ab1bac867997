"""Comment threads: visibility, mentions, edits, the approver's question, live rooms."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import PASSWORD
from tests.integration.docs import PDF
from tests.integration.reqs import BASE, act, create, submitted
from tests.integration.test_realtime import Listener, _api, _token


def _comment(client, headers, req_id: int, body: str):
    return client.post(f"{BASE}/{req_id}/comments", json={"body": body}, headers=headers)


def _ops_engineer(app) -> None:
    from sqlalchemy import select

    from reqflow.extensions import db
    from reqflow.identity import service
    from reqflow.identity.models import Department

    with app.app_context():
        ops = db.session.scalar(select(Department).where(Department.code == "OPS"))
        service.create_user(
            actor=None,
            data={
                "username": "opseng",
                "email": "opseng@example.com",
                "full_name": "Ops Engineer",
                "password": PASSWORD,
                "role": "Engineer",
                "department_id": ops.id,
            },
        )


def _mentions(client, headers) -> list[dict]:
    rows = client.get("/api/v1/notifications", headers=headers).json["data"]["notifications"]
    return [row for row in rows if row["type"] == "mention"]


def test_a_comment_is_not_visible_outside_the_documents_audience(app, client, auth):
    _ops_engineer(app)
    req = create(client, auth("engineer"))
    assert _comment(client, auth("engineer"), req["id"], "Quote attached").status_code == 201
    thread = client.get(f"{BASE}/{req['id']}/comments", headers=auth("lead"))
    assert [c["body"] for c in thread.json["data"]["comments"]] == ["Quote attached"]
    for outsider in ("opseng", "engineer2"):
        headers = auth(outsider)
        assert client.get(f"{BASE}/{req['id']}/comments", headers=headers).status_code == 404
        assert _comment(client, headers, req["id"], "hello").status_code == 404


def test_a_mention_notifies_the_person_exactly_once(client, auth):
    req = create(client, auth("engineer"))
    body = "@lead can you check the price? @lead @engineer2 @nobody"
    posted = _comment(client, auth("engineer"), req["id"], body)
    assert posted.status_code == 201, posted.json
    comment = posted.json["data"]["comment"]
    # an edit that keeps the mention tells nobody again
    edited = client.patch(
        f"/api/v1/comments/{comment['id']}",
        json={"body": body + " (thanks)"},
        headers=auth("engineer"),
    )
    assert edited.status_code == 200 and edited.json["data"]["comment"]["edited"] is True
    notes = _mentions(client, auth("lead"))
    assert len(notes) == 1 and notes[0]["link"] == f"/requisitions/{req['id']}"
    # engineer2 may not see the requisition: the mention tells them nothing
    assert _mentions(client, auth("engineer2")) == []
    assert _mentions(client, auth("engineer")) == []


def test_only_the_author_edits_and_only_within_15_minutes(app, client, auth):
    req = create(client, auth("engineer"))
    comment = _comment(client, auth("engineer"), req["id"], "first").json["data"]["comment"]
    url = f"/api/v1/comments/{comment['id']}"
    assert client.patch(url, json={"body": "x"}, headers=auth("lead")).status_code == 403
    assert client.patch(url, json={"body": ""}, headers=auth("engineer")).status_code == 422
    assert client.delete(url, headers=auth("engineer")).status_code == 405
    from reqflow.documents.models import Comment
    from reqflow.extensions import db

    with app.app_context():
        row = db.session.get(Comment, comment["id"])
        row.created_at = row.created_at - timedelta(minutes=16)
        db.session.commit()
    late = client.patch(url, json={"body": "too late"}, headers=auth("engineer"))
    assert late.status_code == 409


def test_the_approvers_question_is_in_the_thread_and_an_answer_keeps_the_chain(client, auth):
    req = submitted(client, auth)
    asked = act(client, auth("lead"), req["id"], "question", question="Which line is this for?")
    assert asked.status_code == 200, asked.json
    thread = client.get(f"{BASE}/{req['id']}/comments", headers=auth("engineer")).json["data"]
    question = thread["comments"][0]
    assert question["kind"] == "question" and question["author"]["username"] == "lead"
    assert question["body"] == "Which line is this for?"
    answer = _comment(client, auth("engineer"), req["id"], "Line 3, the conveyor @lead")
    assert answer.status_code == 201
    after = client.get(f"{BASE}/{req['id']}", headers=auth("engineer")).json["data"]
    assert after["requisition"]["status"] == "Questioned"
    assert after["requisition"]["version"] == req["version"] + 1


def test_an_open_page_sees_comments_and_attachments_live(live_server, users):
    engineer, lead = _token(live_server, "engineer"), _token(live_server, "lead")
    other = _token(live_server, "engineer2")
    req = _api(live_server, engineer, "POST", "/requisitions", json=_payload()).json()["data"][
        "requisition"
    ]
    watching, outsider = Listener(live_server, lead), Listener(live_server, other)
    try:
        room = {"type": "requisition", "id": req["id"]}
        assert watching.client.call("join_document", room, timeout=10) == {"ok": True}
        assert outsider.client.call("join_document", room, timeout=10) == {"ok": False}
        files = {"file": ("quote.pdf", PDF, "application/pdf")}
        up = _api(
            live_server, engineer, "POST", f"/requisitions/{req['id']}/attachments", files=files
        )
        assert up.status_code == 201
        seen = watching.wait_for("document_activity", lambda d: d["kind"] == "attachment")
        assert seen["document_id"] == req["id"] and seen["document_type"] == "requisition"
        said = _api(
            live_server,
            engineer,
            "POST",
            f"/requisitions/{req['id']}/comments",
            json={"body": "hi"},
        )
        assert said.status_code == 201
        watching.wait_for("document_activity", lambda d: d["kind"] == "comment")
        assert not [e for e in outsider.events if e[0] == "document_activity"]
    finally:
        watching.close()
        outsider.close()


def _payload() -> dict:
    from tests.integration.reqs import payload

    return payload()
