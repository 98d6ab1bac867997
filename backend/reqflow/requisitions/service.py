"""Requisition use cases; each public function is one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import ARRAY, ColumnElement, Integer, Select, any_, bindparam, select

from reqflow.approvals import service as approvals
from reqflow.approvals.delegation_rules import StepLike
from reqflow.approvals.models import ApprovalStep, StepStatus
from reqflow.catalog.models import Item, Supplier
from reqflow.core.models import utcnow
from reqflow.core.money import money
from reqflow.core.numbering import next_number
from reqflow.core.session import commit_keeping_loaded
from reqflow.core.versioning import expect_version
from reqflow.errors import Conflict, Forbidden, NotFound
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.projects import service as projects
from reqflow.projects.models import Project
from reqflow.requisitions import events as ev
from reqflow.requisitions import queries
from reqflow.requisitions.models import EDITABLE, Purpose, Requisition, RequisitionItem, Status
from reqflow.requisitions.validation import active_ids, check_references

DOC = "requisition"


class RequisitionLike(Protocol):
    """What deciding the allowed actions reads of a requisition (a ``Requisition`` or a row
    of ``detail_rows``)."""

    @property
    def id(self) -> int: ...
    @property
    def requester_id(self) -> int: ...
    @property
    def status(self) -> str: ...


def visible_query(user: User) -> Select[Any]:
    """Requisitions the user may see: all with view:all; otherwise their own, their
    reports', and those whose approval steps reach them."""
    query = select(Requisition)
    if user.scope_of("requisition", "view") == "all":
        return query
    # Two cheap tests on the row itself, each with its own index: who asked (the user or a
    # report), or one of the few documents the user approves for someone else. Both sets are
    # read once per request (approvals.reach) and bound as values, so the statement's SQL
    # and cache key stay the same and PostgreSQL plans a trivial predicate; embedding the
    # sets as subqueries cost ~1 ms of planning per statement and ~2-4 ms of Python to build
    # and key them per request.
    reach = approvals.reach(user, DOC)
    people = [user.id, *reach.reports]
    documents = list(reach.documents[DOC])
    asked: ColumnElement[bool]
    approved: ColumnElement[bool] | None = None
    if db.session.get_bind().dialect.name != "postgresql":
        asked = Requisition.requester_id.in_(people)
        if documents:
            approved = Requisition.id.in_(documents)
    else:
        # `= ANY(:array)`: an index probe per element, one parameter whatever the count.
        asked = Requisition.requester_id == any_(_ids("visible_people", people))
        if documents:
            approved = Requisition.id == any_(_ids("visible_documents", documents))
    return query.where(asked if approved is None else asked | approved)


def _ids(name: str, values: list[int]) -> Any:
    return bindparam(name, values, type_=ARRAY(Integer), unique=True)


def get(*, requisition_id: int, actor: User, lock: bool = False) -> Requisition:
    """One requisition the actor may see (404 otherwise, whether absent or hidden)."""
    query = visible_query(actor).where(Requisition.id == requisition_id)
    requisition = _detail_row(query, lock)
    if requisition is None:
        raise NotFound("Requisition not found")
    return requisition


def _detail_row(query: Select[Any], lock: bool) -> Requisition | None:
    """The row with what its detail shows (its lines in a second statement); a locked one is
    loaded as its detail too (the writer answers with it after the commit)."""
    query = query.options(*queries.DETAIL_PLAN)
    if lock:
        query = query.with_for_update(of=Requisition)
    return db.session.scalar(query)


def _own_editable(requisition_id: int, actor: User, version: int | None) -> Requisition:
    # The requester's own row is a primary-key probe: everyone sees what they asked for,
    # so the visibility test (arrays of reports and approval documents) is only needed to
    # tell a hidden requisition (404) from someone else's (403).
    mine = select(Requisition).where(
        Requisition.id == requisition_id, Requisition.requester_id == actor.id
    )
    requisition = _detail_row(mine, lock=True)
    if requisition is None:
        get(requisition_id=requisition_id, actor=actor)
        raise Forbidden("Only the requester can change this requisition")
    expect_version(requisition, version, "requisition")
    return requisition


def _set_items(requisition: Requisition, items: list[dict[str, Any]]) -> None:
    # The old lines go in the same flush as the new ones (no constraint orders them), so the
    # requisition's row is updated, and its version moved, once.
    requisition.items.clear()
    for line_no, data in enumerate(items, start=1):
        line_total = money(data["quantity"] * data["estimated_unit_price"])
        requisition.items.append(RequisitionItem(line_no=line_no, line_total=line_total, **data))
    requisition.recompute_total()


def _event(
    cls: type[ev._RequisitionEvent],
    r: Requisition,
    actor: User,
    old: str | None = None,
    **extra: Any,
) -> None:
    record(
        cls(
            actor_id=actor.id,
            resource_id=r.id,
            req_number=r.req_number,
            requester_id=r.requester_id,
            status=r.status,
            old_values={"status": old} if old else None,
            new_values={"status": r.status, "total_amount": str(r.total_amount)},
            **extra,
        )
    )


def create(*, actor: User, data: dict[str, Any]) -> Requisition:
    """Create a Draft requisition with its items."""
    check_references(data)
    items = data.pop("items")
    if data["purpose"] != Purpose.PROJECT:
        data["project_id"] = None
    requisition = Requisition(
        req_number=next_number("REQ"),
        requester_id=actor.id,
        department_id=actor.department_id,
        status=Status.DRAFT,
        **data,
    )
    # The people it names are the actor and their department, already loaded with the actor:
    # the answer shows them without reading them again.
    requisition.requester = actor
    requisition.department = actor.department
    db.session.add(requisition)
    _set_items(requisition, items)
    db.session.flush()
    _event(ev.RequisitionCreated, requisition, actor)
    # A new row nobody else can see before the commit, every column set from Python: what
    # the flush wrote is what the answer shows (no re-read of the row, its lines and names).
    commit_keeping_loaded()
    return requisition


def copy(*, actor: User, requisition_id: int) -> Requisition:
    """A new Draft of the actor's with the purpose, justification and lines of a requisition
    they may see (a rejected one to ask again, or any other). Catalog items, suppliers and
    the project that are no longer active are left out; a past need-by date is dropped."""
    source = get(requisition_id=requisition_id, actor=actor)
    lines = source.items
    items = active_ids(Item, {x.item_id for x in lines if x.item_id})
    suppliers = active_ids(
        Supplier, {x.suggested_supplier_id for x in lines if x.suggested_supplier_id}
    )
    project_id = source.project_id if active_ids(Project, {source.project_id or 0}) else None
    needed_by = source.needed_by if source.needed_by and source.needed_by >= date.today() else None
    requisition = Requisition(
        req_number=next_number("REQ"),
        requester_id=actor.id,
        department_id=actor.department_id,
        status=Status.DRAFT,
        purpose=source.purpose,
        project_id=project_id if source.purpose == Purpose.PROJECT else None,
        needed_by=needed_by,
        justification=source.justification,
    )
    db.session.add(requisition)
    _set_items(
        requisition,
        [
            {
                "description": x.description,
                "item_id": x.item_id if x.item_id in items else None,
                "quantity": x.quantity,
                "uom": x.uom,
                "estimated_unit_price": x.estimated_unit_price,
                "suggested_supplier_id": (
                    x.suggested_supplier_id if x.suggested_supplier_id in suppliers else None
                ),
            }
            for x in lines
        ],
    )
    db.session.flush()
    record(
        ev.RequisitionCopied(
            actor_id=actor.id,
            resource_id=requisition.id,
            req_number=requisition.req_number,
            requester_id=requisition.requester_id,
            status=requisition.status,
            comment=f"Copied from {source.req_number}",
            new_values={
                "status": requisition.status,
                "total_amount": str(requisition.total_amount),
                "copied_from": source.req_number,
                "copied_from_id": source.id,
            },
        )
    )
    db.session.commit()
    return requisition


def update(*, actor: User, requisition_id: int, data: dict[str, Any]) -> Requisition:
    """Edit a Draft or Questioned requisition (owner only, optimistic locking)."""
    requisition = _own_editable(requisition_id, actor, data.pop("version"))
    if requisition.status not in EDITABLE:
        raise Conflict(
            f"A {requisition.status} requisition cannot be edited",
            details={"status": requisition.status},
        )
    check_references(data)
    _set_items(requisition, data.pop("items"))
    if data["purpose"] != Purpose.PROJECT:
        data["project_id"] = None
    moved = data["project_id"] != requisition.project_id
    for field, value in data.items():
        setattr(requisition, field, value)
    if moved:  # the answer is built from the object in hand: its project is read again
        db.session.expire(requisition, ["project"])
    db.session.flush()
    _event(ev.RequisitionUpdated, requisition, actor)
    commit_keeping_loaded()
    return requisition


def delete_draft(*, actor: User, requisition_id: int) -> None:
    """Delete a Draft (only drafts; later states are cancelled, never deleted)."""
    requisition = _own_editable(requisition_id, actor, None)
    if requisition.status != Status.DRAFT:
        raise Conflict(
            "Only a Draft can be deleted; cancel it instead", details={"status": requisition.status}
        )
    _event(ev.RequisitionDeleted, requisition, actor)
    db.session.delete(requisition)
    db.session.commit()


def submit(*, actor: User, requisition_id: int, version: int | None = None) -> Requisition:
    """Submit for approval: flags budget overruns and builds a fresh approval chain."""
    requisition = _own_editable(requisition_id, actor, version)
    old, _ = requisition.apply("submit")
    requisition.submitted_at = utcnow()
    requisition.approved_at, requisition.approved_by_id = None, None
    requisition.over_budget = False
    if requisition.purpose == Purpose.PROJECT and requisition.project_id:
        requisition.over_budget, _remaining = projects.check_budget(
            requisition.project_id, requisition.total_amount
        )
    db.session.flush()
    steps = approvals.start_chain(
        # A Draft was never submitted (nothing leads back to Draft): it has no steps yet.
        first=old == Status.DRAFT,
        document_type=DOC,
        document_id=requisition.id,
        document_number=requisition.req_number,
        title=requisition.justification,
        amount=requisition.total_amount,
        requester=requisition.requester,
        purpose=requisition.purpose,
        over_budget=requisition.over_budget,
        actor_id=actor.id,
    )
    _event(ev.RequisitionSubmitted, requisition, actor, old, over_budget=requisition.over_budget)
    if not steps:  # a policy without steps approves on submit
        _finish_approval(requisition, actor, "Approved on submit: no approval steps")
    # The row is locked and every column set from Python: the answer needs no re-read.
    commit_keeping_loaded()
    return requisition


def _finish_approval(requisition: Requisition, actor: User, comment: str | None) -> None:
    old, _ = requisition.apply("approve")
    requisition.approved_at, requisition.approved_by = utcnow(), actor
    _event(ev.RequisitionApproved, requisition, actor, old, comment=comment)


def _decide(
    actor: User, requisition_id: int, decision: str, comment: str | None, version: int | None
) -> tuple[Requisition, ApprovalStep | None]:
    """Lock the requisition, then decide the step that was pending when the request began."""
    seen = approvals.current_step(DOC, requisition_id)
    requisition = get(requisition_id=requisition_id, actor=actor, lock=True)
    expect_version(requisition, version, "requisition")
    step = approvals.current_step(DOC, requisition_id)
    if step is None or requisition.status not in (Status.SUBMITTED, Status.UNDER_REVIEW):
        raise Conflict(
            f"A {requisition.status} requisition awaits no decision",
            details={"status": requisition.status},
        )
    if seen is not None and seen.id != step.id:
        raise Conflict("This step was already decided")
    return requisition, approvals.decide(step=step, actor=actor, decision=decision, comment=comment)


def approve(
    *, actor: User, requisition_id: int, comment: str | None = None, version: int | None = None
) -> Requisition:
    """Approve the current step; the last one approves the requisition."""
    requisition, following = _decide(actor, requisition_id, StepStatus.APPROVED, comment, version)
    if following is not None:
        old, _ = requisition.apply("advance")
        _event(ev.RequisitionStepApproved, requisition, actor, old, comment=comment)
    else:
        _finish_approval(requisition, actor, comment)
    db.session.commit()
    return requisition


def reject(
    *, actor: User, requisition_id: int, reason: str, version: int | None = None
) -> Requisition:
    """Reject with a reason; terminal."""
    requisition, _ = _decide(actor, requisition_id, StepStatus.REJECTED, reason, version)
    old, _ = requisition.apply("reject")
    _event(ev.RequisitionRejected, requisition, actor, old, comment=reason)
    db.session.commit()
    return requisition


def question(
    *, actor: User, requisition_id: int, question: str, version: int | None = None
) -> Requisition:
    """Send back to the requester with a question; resubmitting restarts the chain."""
    requisition, _ = _decide(actor, requisition_id, StepStatus.QUESTIONED, question, version)
    old, _ = requisition.apply("question")
    _event(ev.RequisitionQuestioned, requisition, actor, old, comment=question)
    db.session.commit()
    return requisition


def cancel(*, actor: User, requisition_id: int, version: int | None = None) -> Requisition:
    """The owner cancels a Draft or Questioned requisition."""
    requisition = _own_editable(requisition_id, actor, version)
    old, _ = requisition.apply("cancel")
    approvals.cancel_open(DOC, requisition.id)
    _event(ev.RequisitionCancelled, requisition, actor, old)
    db.session.commit()
    return requisition


def allowed_actions(
    requisition: RequisitionLike, actor: User, steps: Sequence[StepLike] | None = None
) -> list[str]:
    """What the UI may offer this user now (``steps``: the history, when already loaded)."""
    actions: list[str] = []
    if requisition.requester_id == actor.id:
        if requisition.status in EDITABLE:
            actions += ["edit", "submit", "cancel"]
        if requisition.status == Status.DRAFT:
            actions.append("delete")
    step: StepLike | None
    if steps is None:
        step = approvals.current_step(DOC, requisition.id)
    else:
        step = next((s for s in steps if s.status == StepStatus.PENDING), None)
    if step is not None and approvals.eligibility(actor, step)[0]:
        actions += ["approve", "reject", "question"]
    return actions


def approved_unordered_amounts(project_ids: list[int]) -> dict[int, Decimal]:
    """Committed spend source: approved requisition lines not yet on a purchase order."""
    from sqlalchemy import func

    rows = db.session.execute(
        select(Requisition.project_id, func.coalesce(func.sum(RequisitionItem.line_total), 0))
        .join(RequisitionItem, RequisitionItem.requisition_id == Requisition.id)
        .where(
            Requisition.project_id.in_(project_ids),
            Requisition.status == Status.APPROVED,
            RequisitionItem.po_line_id.is_(None),
        )
        .group_by(Requisition.project_id)
    ).all()
    return {pid: Decimal(total) for pid, total in rows}


projects.register_commitment_source(approved_unordered_amounts)
