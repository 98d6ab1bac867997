"""Approval chains: build, decide, inbox, eligibility, delegation, policies."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

from flask import current_app, g, has_request_context
from sqlalchemy import (
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    all_,
    and_,
    any_,
    bindparam,
    func,
    inspect,
    literal_column,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import joinedload

from reqflow.approvals.delegation_rules import Delegator, StepLike, may_stand_in, stand_in_hint
from reqflow.approvals.events import (
    ApprovalPoliciesChanged,
    ApprovalStepAssigned,
    DelegationCancelled,
    DelegationCreated,
)
from reqflow.approvals.models import ApprovalPolicy, ApprovalStep, Delegation, StepStatus
from reqflow.approvals.policy import (
    DEFAULT_POLICY,
    Subject,
    add_business_days,
    choose,
    plan,
    unreachable,
)
from reqflow.core.models import rows_changed, utcnow
from reqflow.errors import Conflict, Forbidden, NotFound, ValidationFailed
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User

OPEN = (StepStatus.WAITING, StepStatus.PENDING)


_POLICY_FIELDS = (
    "id",
    "name",
    "priority",
    "purpose",
    "department_id",
    "min_amount",
    "max_amount",
    "steps",
    "is_active",
)


def list_policies(document_type: str = "requisition") -> list[dict[str, Any]]:
    """Active policies by priority; the built-in default when none are stored."""
    # The columns as rows, not loaded policies: every submit reads them.
    columns = [getattr(ApprovalPolicy, name) for name in _POLICY_FIELDS]
    rows = db.session.execute(
        select(*columns)
        .where(ApprovalPolicy.document_type == document_type, ApprovalPolicy.is_active)
        .order_by(ApprovalPolicy.priority, ApprovalPolicy.id)
    ).all()
    return [dict(row._mapping) for row in rows] or [dict(DEFAULT_POLICY, id=None, is_active=True)]


def replace_policies(*, actor: User, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Replace the active policy set (old rows are kept, deactivated). A rule that comes after
    a catch-all rule (no purpose, department or amounts) could never match: 422."""
    shadowed = unreachable(rules)
    if shadowed:
        raise ValidationFailed(
            "A rule after a catch-all rule can never match",
            details={
                "policies": {
                    index: {
                        "priority": [
                            f"Never matches: the catch-all rule '{name}' comes first. Give "
                            f"this rule a lower priority number, or narrow '{name}'."
                        ]
                    }
                    for index, name in sorted(shadowed.items())
                }
            },
        )
    old = list_policies()
    db.session.execute(
        update(ApprovalPolicy).where(ApprovalPolicy.is_active).values(is_active=False)
    )
    for rule in rules:
        db.session.add(ApprovalPolicy(document_type="requisition", **rule))
    db.session.flush()
    new = list_policies()
    record(
        ApprovalPoliciesChanged(
            actor_id=actor.id,
            old_values={"policies": _plain(old)},
            new_values={"policies": _plain(new)},
        )
    )
    db.session.commit()
    return new


def _plain(policies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in p.items()} for p in policies]


def _activate(step: ApprovalStep, actor_id: int | None) -> None:
    now = utcnow()
    step.status = StepStatus.PENDING
    step.activated_at = now
    days = int(current_app.config.get("APPROVAL_DUE_BUSINESS_DAYS", 2))
    step.due_at = add_business_days(now, days)
    db.session.flush()
    approver_ids = (
        [step.approver_id]
        if step.approver_id
        else [
            uid
            for uid in db.session.scalars(
                select(User.id).where(
                    User.role == step.role, User.is_active, User.id != step.requester_id
                )
            )
        ]
    )
    record(
        ApprovalStepAssigned(
            actor_id=actor_id,
            resource_id=step.id,
            document_type=step.document_type,
            document_id=step.document_id,
            document_number=step.document_number,
            role=step.role,
            approver_ids=approver_ids,
            new_values={"label": step.label, "due_at": step.due_at.isoformat()},
        )
    )


def start_chain(
    *,
    document_type: str,
    document_id: int,
    document_number: str,
    title: str,
    amount: Decimal,
    requester: User,
    purpose: str,
    over_budget: bool,
    actor_id: int,
    first: bool = False,
) -> list[ApprovalStep]:
    """Build a new round of steps from the policy and make the first one pending
    (``first``: the document has no steps yet, so none to cancel and this is round 1)."""
    last = None
    if not first:
        cancel_open(document_type, document_id)
        last = db.session.scalar(
            select(func.max(ApprovalStep.round)).where(
                ApprovalStep.document_type == document_type,
                ApprovalStep.document_id == document_id,
            )
        )
    subject = Subject(
        purpose=purpose,
        department_id=requester.department_id,
        amount=amount,
        manager_id=requester.manager_id if _manager_active(requester) else None,
        over_budget=over_budget,
    )
    planned = plan(choose(list_policies(document_type), subject), subject)
    steps = [
        ApprovalStep(
            document_type=document_type,
            document_id=document_id,
            document_number=document_number,
            document_title=title[:300],
            amount=amount,
            requester_id=requester.id,
            round=(last or 0) + 1,
            sequence=i,
            kind=p.kind,
            role=p.role,
            approver_id=p.approver_id,
            label=p.label,
            status=StepStatus.WAITING,
        )
        for i, p in enumerate(planned, start=1)
    ]
    db.session.add_all(steps)
    if steps:
        _activate(steps[0], actor_id)
    return steps


def _manager_active(user: User) -> bool:
    """Whether the user's line manager is active: no statement when the manager's
    ``is_active`` is already loaded, one column otherwise."""
    if user.manager_id is None:
        return False
    manager: User | None = inspect(user).dict.get("manager")
    if manager is not None and "is_active" in inspect(manager).dict:
        return bool(manager.is_active)
    return _active(user.manager_id)


def _active(user_id: int | None) -> bool:
    return user_id is not None and bool(
        db.session.scalar(select(User.is_active).where(User.id == user_id))
    )


def cancel_open(document_type: str, document_id: int) -> None:
    db.session.execute(
        update(ApprovalStep)
        .where(
            ApprovalStep.document_type == document_type,
            ApprovalStep.document_id == document_id,
            ApprovalStep.status.in_(OPEN),
        )
        .values(status=StepStatus.CANCELLED, version=ApprovalStep.version + 1)
        .execution_options(synchronize_session=False)
    )


def current_step(document_type: str, document_id: int) -> ApprovalStep | None:
    return db.session.scalar(
        select(ApprovalStep).where(
            ApprovalStep.document_type == document_type,
            ApprovalStep.document_id == document_id,
            ApprovalStep.status == StepStatus.PENDING,
        )
    )


class Reach(NamedTuple):
    """Who stands behind a user's approval work today, read once per request (``reach``):
    their direct reports, the active delegators whose steps reach them, and, per document
    type asked for, the documents they approve for someone else (``documents``)."""

    reports: tuple[int, ...]
    delegators: tuple[Delegator, ...]
    documents: Mapping[str, tuple[int, ...]]


_U = User.__table__
_D = Delegation.__table__
_S = ApprovalStep.__table__


@cache
def _reach_statement(postgresql: bool, documents: bool) -> CompoundSelect:
    """One prebuilt statement (its SQL and cache key never change; the user, day, role and
    document type are bound): rows ``(kind, id, role)`` — ``r`` a report, ``d`` a delegator,
    ``x`` a document the user approves for someone else: a step addressed to them or a
    delegator, one they decided, or a pending role step of their role or a delegator's, of a
    document neither they nor a report asked for."""
    user_id = bindparam("reach_user_id", type_=Integer)
    today = bindparam("reach_today", type_=Date)
    delegators = (
        select(_U.c.id, _U.c.role)
        .select_from(_U.join(_D, _D.c.delegator_id == _U.c.id))
        .where(
            _D.c.delegate_id == user_id,
            _D.c.is_active,
            _U.c.is_active,
            _D.c.starts_on <= today,
            _D.c.ends_on >= today,
        )
        .cte("reach_delegators")
    )
    reports = select(_U.c.id).where(_U.c.manager_id == user_id).cte("reach_reports")
    parts = [
        select(literal_column("'r'").label("kind"), reports.c.id, null().label("role")),
        select(literal_column("'d'"), delegators.c.id, delegators.c.role),
    ]
    if documents:
        role = bindparam("reach_role", type_=String)

        def among(column: Any, names: Any, also: Any) -> Any:
            # PostgreSQL: one array per set, so each arm of the OR is an index condition
            # (a bitmap OR of three indexes); an IN (subquery) arm would scan every step.
            if postgresql:
                return column == any_(
                    func.array_append(func.array(select(names).scalar_subquery()), also)
                )
            return or_(column == also, column.in_(select(names)))

        if postgresql:
            others = _S.c.requester_id != all_(
                func.array_append(func.array(select(reports.c.id).scalar_subquery()), user_id)
            )
        else:
            others = and_(
                _S.c.requester_id != user_id, _S.c.requester_id.not_in(select(reports.c.id))
            )
        parts.append(
            select(literal_column("'x'"), _S.c.document_id, null())
            .where(
                _S.c.document_type == bindparam("reach_document_type", type_=String),
                others,
                or_(
                    among(_S.c.approver_id, delegators.c.id, user_id),
                    _S.c.decided_by_id == user_id,
                    and_(
                        _S.c.status == StepStatus.PENDING,
                        _S.c.approver_id.is_(None),
                        among(_S.c.role, delegators.c.role, role),
                    ),
                ),
            )
            .distinct()
        )
    return union_all(*parts)


def reach(user: User, document_type: str | None = None) -> Reach:
    """The user's ``Reach`` today, with the documents of ``document_type`` when asked: one
    statement, read once per request (kept on ``flask.g`` for the request, so the list's two
    statements, the detail's eligibility and the inbox share it; outside a request, read
    every time)."""
    memo: dict[int, Reach] = g.setdefault("reqflow_reach", {}) if has_request_context() else {}
    known = memo.get(user.id)
    if known is not None and (document_type is None or document_type in known.documents):
        return known
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    params = {
        "reach_user_id": user.id,
        "reach_today": utcnow().date(),
        "reach_role": user.role,
        "reach_document_type": document_type,
    }
    statement = _reach_statement(postgresql, document_type is not None)
    reports: list[int] = []
    delegators: list[Delegator] = []
    documents: list[int] = []
    for kind, id_, role in db.session.connection().execute(statement, params):
        if kind == "r":
            reports.append(id_)
        elif kind == "d":
            delegators.append(Delegator(id_, role, True))
        else:
            documents.append(id_)
    found = dict(known.documents) if known is not None else {}
    if document_type is not None:
        found[document_type] = tuple(documents)
    memo[user.id] = Reach(tuple(reports), tuple(delegators), found)
    return memo[user.id]


def delegators_of(user: User) -> tuple[Delegator, ...]:
    """Users whose steps currently reach ``user`` through an active delegation (the columns
    eligibility needs, not loaded users: this runs on every detail view)."""
    return reach(user).delegators


def _directly_eligible(user: User | Delegator, step: StepLike) -> bool:
    if step.approver_id is not None:
        return step.approver_id == user.id
    return step.role == user.role and user.is_active


def _stand_in_for(user: User) -> list[Delegator]:
    """The delegators whose steps ``user`` may take today (a role change since the
    delegation was made can end it)."""
    return [d for d in delegators_of(user) if may_stand_in(user, d)]


def eligibility(user: User, step: StepLike) -> tuple[bool, int | None]:
    """(may act, on behalf of whom); nobody approves their own document."""
    if user.id == step.requester_id:
        return False, None
    if _directly_eligible(user, step):
        return True, None
    for delegator in _stand_in_for(user):
        if delegator.id != step.requester_id and _directly_eligible(delegator, step):
            return True, delegator.id
    return False, None


def decide(
    *, step: ApprovalStep, actor: User, decision: str, comment: str | None
) -> ApprovalStep | None:
    """Record the decision once (a concurrent second decision gets 409); returns the next
    step made pending, or None when the chain ended here."""
    allowed, on_behalf = eligibility(actor, step)
    if not allowed:
        raise Forbidden("You are not an approver of the current step")
    changed = rows_changed(
        db.session.execute(
            update(ApprovalStep)
            .where(ApprovalStep.id == step.id, ApprovalStep.status == StepStatus.PENDING)
            .values(
                status=decision,
                decided_by_id=actor.id,
                decided_at=utcnow(),
                comment=comment,
                on_behalf_of_id=on_behalf,
                version=ApprovalStep.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
    )
    if changed != 1:
        raise Conflict("This step was already decided")
    db.session.refresh(step)
    if decision != StepStatus.APPROVED:
        cancel_open(step.document_type, step.document_id)
        return None
    following = db.session.scalar(
        select(ApprovalStep)
        .where(
            ApprovalStep.document_type == step.document_type,
            ApprovalStep.document_id == step.document_id,
            ApprovalStep.round == step.round,
            ApprovalStep.status == StepStatus.WAITING,
        )
        .order_by(ApprovalStep.sequence)
        .limit(1)
    )
    if following is not None:
        _activate(following, actor.id)
    return following


# The people a step names, as the step schemas show them.
STEP_PEOPLE = ("approver", "decided_by", "on_behalf_of", "requester")


def history(document_type: str, document_id: int) -> list[ApprovalStep]:
    """Every step of a document in order, with the people it names (one statement)."""
    return list(
        db.session.scalars(
            select(ApprovalStep)
            .where(
                ApprovalStep.document_type == document_type, ApprovalStep.document_id == document_id
            )
            .options(*(joinedload(getattr(ApprovalStep, name)) for name in STEP_PEOPLE))
            .order_by(ApprovalStep.round, ApprovalStep.sequence)
        )
    )


def _ids_and_roles(user: User) -> tuple[list[int], list[str]]:
    """User ids and roles whose steps reach ``user`` (their own plus delegators')."""
    people: list[User | Delegator] = [user, *_stand_in_for(user)]
    return [p.id for p in people], sorted({p.role for p in people})


def inbox_query(user: User) -> Select[Any]:
    """Pending steps the user may decide, oldest due first."""
    ids, roles = _ids_and_roles(user)
    return select(ApprovalStep).where(
        ApprovalStep.status == StepStatus.PENDING,
        ApprovalStep.requester_id != user.id,
        or_(
            ApprovalStep.approver_id.in_(ids),
            and_(ApprovalStep.approver_id.is_(None), ApprovalStep.role.in_(roles)),
        ),
    )


def create_delegation(
    *, actor: User, delegate_id: int, starts_on: date, ends_on: date, reason: str | None
) -> Delegation:
    """Route the actor's approval steps to a colleague for a date range."""
    delegate = db.session.get(User, delegate_id)
    errors: dict[str, list[str]] = {}
    if delegate is None or not delegate.is_active:
        errors["delegate_id"] = ["No such active user."]
    elif delegate.id == actor.id:
        errors["delegate_id"] = ["Choose someone other than yourself."]
    elif not may_stand_in(delegate, actor):
        errors["delegate_id"] = [stand_in_hint(actor)]
    if ends_on < starts_on:
        errors["ends_on"] = ["Must not be before starts_on."]
    if errors:
        raise ValidationFailed("Validation failed", details=errors)
    delegation = Delegation(
        delegator_id=actor.id,
        delegate_id=delegate_id,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
    )
    db.session.add(delegation)
    db.session.flush()
    record(
        DelegationCreated(
            actor_id=actor.id,
            resource_id=delegation.id,
            new_values={
                "delegate_id": delegate_id,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
            },
        )
    )
    db.session.commit()
    return delegation


def cancel_delegation(*, actor: User, delegation_id: int) -> Delegation:
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or delegation.delegator_id != actor.id:
        raise NotFound("Delegation not found")
    delegation.is_active = False
    record(DelegationCancelled(actor_id=actor.id, resource_id=delegation.id))
    db.session.commit()
    return delegation


def delegations_query(user: User) -> Select[Any]:
    return select(Delegation).where(
        or_(Delegation.delegator_id == user.id, Delegation.delegate_id == user.id)
    )
