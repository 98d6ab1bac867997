"""Who is told what (SPEC §2.8): stored, pushed over Socket.IO, e-mailed by preference."""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from sqlalchemy import select, union_all

from reqflow.approvals.events import (
    ApprovalStepAssigned,
    ApprovalStepEscalated,
    ApprovalStepOverdue,
)
from reqflow.approvals.models import ApprovalStep
from reqflow.core.jobs import enqueue
from reqflow.core.models import utcnow
from reqflow.events import handles
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.identity.permissions import MATRIX
from reqflow.notifications import digest, service
from reqflow.notifications.models import Notification
from reqflow.notifications.realtime import push_to, push_to_users
from reqflow.requisitions import events as req_events

VIEW_ALL_ROLES = sorted(r.value for r, perms in MATRIX.items() if "requisition:view:all" in perms)


def deliver(rows: list[Notification], role_step: ApprovalStep | None = None) -> None:
    """Commit, then push each notification and queue its e-mail if the user wants one; for a
    step assigned to a whole role the e-mail follows each user's digest choice."""
    # What the pushes show, taken before the commit expires the rows (no re-read of each).
    pushes = [(service.as_payload(row), row.user_id) for row in rows]
    wanting = {
        (uid, kind)
        for kind in {row.type for row in rows}
        for uid in service.wanting_email([row.user_id for row in rows if row.type == kind], kind)
    }
    mailed = [row for row in rows if (row.user_id, row.type) in wanting]
    mailed_ids = [row.id for row in mailed]
    db.session.commit()
    for payload, user_id in pushes:
        push_to_users("notification", payload, [user_id])
    if role_step is not None:
        digest.route_role_assignment(mailed, role_step)
        return
    for notification_id in mailed_ids:
        enqueue("notifications.email", notification_id)


def requisition_audience(requisition_id: int, requester_id: int) -> list[int]:
    """Users (besides view-all roles) who see a requisition: requester, their manager,
    and everyone a step of it was addressed to or decided by."""
    # One statement: the manager and the people of every step (a push per write).
    of_document = (
        ApprovalStep.document_type == "requisition",
        ApprovalStep.document_id == requisition_id,
    )
    people = union_all(
        select(User.manager_id).where(User.id == requester_id),
        select(ApprovalStep.approver_id).where(*of_document),
        select(ApprovalStep.decided_by_id).where(*of_document),
    )
    ids = {requester_id, *db.session.scalars(people)}
    return [i for i in ids if i is not None]


def _draft_audience(requester_id: int) -> list[int]:
    """A Draft's audience: its requester and their manager (a Draft was never submitted,
    so no step names anyone). The requester's manager is known without a statement when
    the requester is the signed-in user (who creates and edits their own Drafts)."""
    user = g.get("reqflow_user") if has_request_context() else None
    if user is not None and user.id == requester_id:
        manager_id = user.manager_id
    else:
        manager_id = db.session.scalar(select(User.manager_id).where(User.id == requester_id))
    return [i for i in (requester_id, manager_id) if i is not None]


def push_status(payload: dict[str, Any]) -> None:
    status = {
        "resource": "requisition",
        "resource_id": payload["resource_id"],
        "number": payload["req_number"],
        "status": payload["status"],
        "timestamp": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    users = (
        _draft_audience(payload["requester_id"])
        if payload["status"] == "Draft"
        else requisition_audience(payload["resource_id"], payload["requester_id"])
    )
    push_to("status_update", status, users, VIEW_ALL_ROLES)


@handles(
    req_events.RequisitionSubmitted,
    req_events.RequisitionCreated,
    req_events.RequisitionCopied,
    req_events.RequisitionUpdated,
    req_events.RequisitionCancelled,
    req_events.RequisitionStepApproved,
    req_events.RequisitionApproved,
    req_events.RequisitionRejected,
    req_events.RequisitionQuestioned,
    push=True,
)
def requisition_status_changed(payload: dict[str, Any]) -> None:
    push_status(payload)


DECISIONS = {
    "RequisitionStepApproved": "{number}: a step was approved",
    "RequisitionApproved": "{number} was approved",
    "RequisitionRejected": "{number} was rejected",
    "RequisitionQuestioned": "{number}: a question for you",
}


def _decided(kind: str, payload: dict[str, Any]) -> None:
    title = DECISIONS[kind].format(number=payload["req_number"])
    actor = db.session.get(User, payload["actor_id"]) if payload.get("actor_id") else None
    body = f"{actor.full_name if actor else 'Someone'}: {payload.get('comment') or 'no comment'}"
    rows = service.notify(
        user_ids=[payload["requester_id"]],
        type="requisition_decision",
        title=title,
        body=body,
        link=f"/requisitions/{payload['resource_id']}",
        event_id=payload["event_id"],
        resource_type="requisition",
        resource_id=payload["resource_id"],
    )
    deliver(rows)


@handles(req_events.RequisitionStepApproved)
def step_approved(payload: dict[str, Any]) -> None:
    _decided("RequisitionStepApproved", payload)


@handles(req_events.RequisitionApproved)
def approved(payload: dict[str, Any]) -> None:
    _decided("RequisitionApproved", payload)


@handles(req_events.RequisitionRejected)
def rejected(payload: dict[str, Any]) -> None:
    _decided("RequisitionRejected", payload)


@handles(req_events.RequisitionQuestioned)
def questioned(payload: dict[str, Any]) -> None:
    _decided("RequisitionQuestioned", payload)


@handles(ApprovalStepAssigned)
def approval_assigned(payload: dict[str, Any]) -> None:
    step = db.session.get(ApprovalStep, payload["resource_id"])
    if step is None:
        return
    body = (
        f"{step.document_title}\nAmount: {step.amount} · Step: {step.label}"
        f" · Due: {step.due_at:%Y-%m-%d %H:%M} UTC"
        if step.due_at
        else step.document_title
    )
    rows = service.notify(
        user_ids=payload.get("approver_ids") or [],
        type="approval_assigned",
        title=f"Approval needed: {payload['document_number']}",
        body=body,
        link=f"/requisitions/{payload['document_id']}",
        event_id=payload["event_id"],
        resource_type="requisition",
        resource_id=payload["document_id"],
    )
    deliver(rows, role_step=step if step.approver_id is None else None)


@handles(ApprovalStepOverdue)
def approval_overdue(payload: dict[str, Any]) -> None:
    rows = service.notify(
        user_ids=payload.get("approver_ids") or [],
        type="approval_reminder",
        title=f"Overdue approval: {payload['document_number']}",
        body="This approval is past its due time.",
        link=f"/requisitions/{payload['document_id']}",
        event_id=payload["event_id"],
        resource_type="requisition",
        resource_id=payload["document_id"],
    )
    deliver(rows)


@handles(ApprovalStepEscalated)
def approval_escalated(payload: dict[str, Any]) -> None:
    rows = service.notify(
        user_ids=payload.get("escalated_to") or [],
        type="approval_escalated",
        title=f"Escalated: {payload['document_number']} waits too long",
        body="An approval step stayed pending after its reminder.",
        link=f"/requisitions/{payload['document_id']}",
        event_id=payload["event_id"],
        resource_type="requisition",
        resource_id=payload["document_id"],
    )
    deliver(rows)
