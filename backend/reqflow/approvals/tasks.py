"""Beat job: remind approvers of overdue steps, then escalate to the role's manager."""

from __future__ import annotations

from sqlalchemy import select

from reqflow.approvals.events import ApprovalStepEscalated, ApprovalStepOverdue
from reqflow.approvals.models import ApprovalStep, StepStatus
from reqflow.approvals.policy import add_business_days
from reqflow.core.jobs import BULK, job
from reqflow.core.models import utcnow
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User

# Who an overdue step escalates to, by the role of the step.
ESCALATE_TO = {
    "Procurement": "ProcurementMgr",
    "ProcurementMgr": "Admin",
    "Accountant": "Admin",
    "Warehouse": "Admin",
    "Engineer": "ProcurementMgr",
}


def _approvers(step: ApprovalStep) -> list[int]:
    if step.approver_id:
        return [step.approver_id]
    return list(
        db.session.scalars(
            select(User.id).where(
                User.role == step.role, User.is_active, User.id != step.requester_id
            )
        )
    )


def _escalation_targets(step: ApprovalStep) -> list[int]:
    if step.approver_id:
        boss = db.session.scalar(select(User.manager_id).where(User.id == step.approver_id))
        if boss:
            return [boss]
        role = "ProcurementMgr"
    else:
        role = ESCALATE_TO.get(step.role or "", "Admin")
    return list(
        db.session.scalars(
            select(User.id).where(User.role == role, User.is_active, User.id != step.requester_id)
        )
    )


@job("approvals.remind", queue=BULK)
def remind_and_escalate() -> dict[str, int]:
    """Idempotent: each step is reminded once and escalated once."""
    now = utcnow()
    overdue = db.session.scalars(
        select(ApprovalStep).where(
            ApprovalStep.status == StepStatus.PENDING, ApprovalStep.due_at < now
        )
    ).all()
    reminded = escalated = 0
    for step in overdue:
        if step.reminded_at is None:
            step.reminded_at = now
            record(
                ApprovalStepOverdue(
                    resource_id=step.id,
                    document_id=step.document_id,
                    document_number=step.document_number,
                    approver_ids=_approvers(step),
                )
            )
            reminded += 1
        elif step.escalated_at is None and add_business_days(step.due_at or now, 2) < now:
            step.escalated_at = now
            record(
                ApprovalStepEscalated(
                    resource_id=step.id,
                    document_id=step.document_id,
                    document_number=step.document_number,
                    escalated_to=_escalation_targets(step),
                )
            )
            escalated += 1
    db.session.commit()
    return {"reminded": reminded, "escalated": escalated}
