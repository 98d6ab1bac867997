"""Approval cycle time: per policy step and per approver, how many steps were decided, the
median and 90th percentile of the hours from pending (activation) to decision, how many ran
past their due time (decided late, or still pending past it), how many were escalated and how
many were decided by a delegate; and the slowest steps still pending.

One statement: a ``facts`` CTE projects every activated step twice (once keyed by its step
label, once by its approver — the decider, else the named approver, else the role), the counts
are grouped over it, the percentiles come from ``reporting.sql.percentiles`` over the decided
ones, and the slowest open steps are appended with UNION ALL under ``kind = 'open'``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String, and_, case, cast, func, literal, select, union_all

from reqflow.approvals.models import ApprovalStep, StepStatus
from reqflow.core.models import utcnow
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.reporting.sql import day_after, day_start, hours_between, percentiles

DECIDED = (StepStatus.APPROVED, StepStatus.REJECTED, StepStatus.QUESTIONED)
ACTIVE = (StepStatus.PENDING, *DECIDED)
SLOWEST = 10


def _base(filters: dict[str, Any]) -> Any:
    now = literal(utcnow(), ApprovalStep.activated_at.type)
    decided = ApprovalStep.status.in_([s.value for s in DECIDED])
    query = select(
        ApprovalStep.label.label("step"),
        func.coalesce(ApprovalStep.decided_by_id, ApprovalStep.approver_id, 0).label("user_id"),
        func.coalesce(User.full_name, literal("Role: ") + ApprovalStep.role, "").label("who"),
        case((decided, hours_between(ApprovalStep.activated_at, ApprovalStep.decided_at))).label(
            "hours"
        ),
        case(
            (
                and_(
                    ApprovalStep.due_at.is_not(None),
                    func.coalesce(ApprovalStep.decided_at, now) > ApprovalStep.due_at,
                ),
                1,
            ),
            else_=0,
        ).label("overdue"),
        case((ApprovalStep.escalated_at.is_not(None), 1), else_=0).label("escalated"),
        case((ApprovalStep.on_behalf_of_id.is_not(None), 1), else_=0).label("delegated"),
    ).outerjoin(
        User, User.id == func.coalesce(ApprovalStep.decided_by_id, ApprovalStep.approver_id)
    )
    query = query.where(
        ApprovalStep.status.in_([s.value for s in ACTIVE]), ApprovalStep.activated_at.is_not(None)
    )
    return _window(query, filters)


def _window(query: Any, filters: dict[str, Any]) -> Any:
    if filters.get("since"):
        query = query.where(ApprovalStep.activated_at >= day_start(filters["since"]))
    if filters.get("until"):
        query = query.where(ApprovalStep.activated_at < day_after(filters["until"]))
    if filters.get("document_type"):
        query = query.where(ApprovalStep.document_type == filters["document_type"])
    return query


def _facts(filters: dict[str, Any]) -> Any:
    base = _base(filters).cte("r_steps")
    measures = [base.c.hours, base.c.overdue, base.c.escalated, base.c.delegated]
    per_step = select(
        literal("step").label("kind"),
        literal(0).label("key_id"),
        base.c.step.label("key"),
        *measures,
    )
    per_user = select(
        literal("approver").label("kind"),
        base.c.user_id.label("key_id"),
        base.c.who.label("key"),
        *measures,
    )
    return union_all(per_step, per_user).cte("r_facts")


def _open(filters: dict[str, Any]) -> Any:
    now = literal(utcnow(), ApprovalStep.activated_at.type)
    waiting = hours_between(ApprovalStep.activated_at, now)
    query = select(
        literal("open").label("kind"),
        ApprovalStep.document_id.label("key_id"),
        (ApprovalStep.document_number + literal(" · ") + ApprovalStep.label).label("key"),
        literal(0).label("n"),
        waiting.label("median_hours"),
        waiting.label("p90_hours"),
        case((ApprovalStep.due_at < now, 1), else_=0).label("overdue"),
        case((ApprovalStep.escalated_at.is_not(None), 1), else_=0).label("escalations"),
        literal(0).label("delegations"),
    ).where(ApprovalStep.status == StepStatus.PENDING.value, ApprovalStep.activated_at.is_not(None))
    return (
        _window(query, filters)
        .order_by(ApprovalStep.activated_at, ApprovalStep.id)
        .limit(SLOWEST)
        .subquery()
    )


def cycle_time_query(filters: dict[str, Any]) -> Any:
    facts = _facts(filters)
    pct = percentiles(
        select(facts).subquery(), ["kind", "key_id", "key"], "hours", {"median": 0.5, "p90": 0.9}
    )
    on = and_(pct.c.kind == facts.c.kind, pct.c.key_id == facts.c.key_id, pct.c.key == facts.c.key)
    stats = (
        select(
            facts.c.kind,
            cast(facts.c.key_id, Integer).label("key_id"),
            cast(facts.c.key, String).label("key"),
            func.count(facts.c.hours).label("n"),
            func.max(pct.c.median).label("median_hours"),
            func.max(pct.c.p90).label("p90_hours"),
            func.sum(facts.c.overdue).label("overdue"),
            func.sum(facts.c.escalated).label("escalations"),
            func.sum(facts.c.delegated).label("delegations"),
        )
        .outerjoin(pct, on)
        .group_by(facts.c.kind, facts.c.key_id, facts.c.key)
    )
    slow = _open(filters)
    return union_all(stats, select(slow))


def _hours(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def cycle_time(*, filters: dict[str, Any]) -> dict[str, Any]:
    rows = db.session.execute(cycle_time_query(filters)).all()
    out: dict[str, list[dict[str, Any]]] = {"step": [], "approver": [], "open": []}
    for r in rows:
        out[r.kind].append(
            {
                "key_id": r.key_id,
                "label": r.key,
                "count": int(r.n or 0),
                "median_hours": _hours(r.median_hours),
                "p90_hours": _hours(r.p90_hours),
                "overdue": int(r.overdue or 0),
                "escalations": int(r.escalations or 0),
                "delegations": int(r.delegations or 0),
            }
        )
    out["step"].sort(key=lambda s: s["label"])
    out["approver"].sort(key=lambda s: s["label"])
    out["open"].sort(key=lambda s: -(s["median_hours"] or 0))
    slowest = [
        {
            "document_id": o["key_id"],
            "label": o["label"],
            "waiting_hours": o["median_hours"],
            "overdue": bool(o["overdue"]),
            "escalated": bool(o["escalations"]),
        }
        for o in out["open"]
    ]
    return {
        "since": filters.get("since"),
        "until": filters.get("until"),
        "steps": out["step"],
        "approvers": out["approver"],
        "slowest_open": slowest,
    }
