"""A decision's live push leaves as soon as its transaction commits: before the events are
handed to their handlers and before the answer is serialised (SPEC §7: commit to client)."""

from __future__ import annotations

from reqflow.notifications import handlers as notification_handlers
from reqflow.requisitions import resources as requisition_resources
from tests.integration.reqs import act, submitted


def test_the_push_precedes_the_hand_over_and_the_answer(app, client, auth, monkeypatch):
    requisition = submitted(client, auth)
    order: list[str] = []
    push_to = notification_handlers.push_to
    detail_body = requisition_resources.detail_body
    dispatcher = app.extensions["reqflow_dispatcher"]
    submit = dispatcher.submit

    def pushed(event, payload, *args, **kwargs):
        if event == "status_update" and payload["resource_id"] == requisition["id"]:
            order.append("push")
        return push_to(event, payload, *args, **kwargs)

    def handed_over(ids):
        order.append("hand-over")
        return submit(ids)

    def answered(*args, **kwargs):
        order.append("answer")
        return detail_body(*args, **kwargs)

    monkeypatch.setattr(notification_handlers, "push_to", pushed)
    monkeypatch.setattr(dispatcher, "submit", handed_over)
    monkeypatch.setattr(requisition_resources, "detail_body", answered)
    response = act(client, auth("lead"), requisition["id"], "approve", comment="ok")
    assert response.status_code == 200, response.json
    # (an earlier commit of the same request may hand over events of its own first)
    assert "push" in order
    assert order[order.index("push") :] == ["push", "hand-over", "answer"]
