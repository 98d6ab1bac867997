"""Documents react to other domains' events: an approver's question joins the thread."""

from __future__ import annotations

from typing import Any

from reqflow.documents import comments
from reqflow.events import handles
from reqflow.requisitions.events import RequisitionQuestioned


@handles(RequisitionQuestioned)
def question_joins_thread(payload: dict[str, Any]) -> None:
    if payload.get("actor_id") and payload.get("comment"):
        comments.add_question(
            approver_id=payload["actor_id"],
            requisition_id=payload["resource_id"],
            question=payload["comment"],
        )
