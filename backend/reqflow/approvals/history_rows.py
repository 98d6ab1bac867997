"""A document's approval history from one prebuilt Core statement (issue 17): the steps
with the names of the people they show, shaped as ``ApprovalStepRead`` dumps them, without
loading four ``User`` rows per step. The rows also answer what eligibility asks of a step
(``status``, ``approver_id``, ``role``, ``requester_id``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from reqflow.approvals.models import ApprovalStep
from reqflow.core.schemas import utc_text
from reqflow.extensions import db
from reqflow.identity.models import User

_S = ApprovalStep.__table__
_APPROVER = User.__table__.alias("approver")
_DECIDER = User.__table__.alias("decider")
_PRINCIPAL = User.__table__.alias("principal")

HISTORY_ROWS = (
    select(
        _S.c.id,
        _S.c.round,
        _S.c.sequence,
        _S.c.kind,
        _S.c.label,
        _S.c.role,
        _S.c.approver_id,
        _APPROVER.c.full_name.label("approver_name"),
        _S.c.status,
        _S.c.due_at,
        _S.c.activated_at,
        _S.c.decided_by_id,
        _DECIDER.c.full_name.label("decided_by_name"),
        _S.c.decided_at,
        _S.c.on_behalf_of_id,
        _PRINCIPAL.c.full_name.label("on_behalf_of_name"),
        _S.c.comment,
        _S.c.requester_id,
    )
    .select_from(_S)
    .outerjoin(_APPROVER, _APPROVER.c.id == _S.c.approver_id)
    .outerjoin(_DECIDER, _DECIDER.c.id == _S.c.decided_by_id)
    .outerjoin(_PRINCIPAL, _PRINCIPAL.c.id == _S.c.on_behalf_of_id)
    .where(_S.c.document_type == bindparam("document_type"))
    .where(_S.c.document_id == bindparam("document_id"))
    .order_by(_S.c.round, _S.c.sequence)
)


def history_rows(document_type: str, document_id: int) -> list[Any]:
    """Every step of a document in order (rows with the attributes of a step)."""
    params = {"document_type": document_type, "document_id": document_id}
    return list(db.session.connection().execute(HISTORY_ROWS, params))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def step_dict(r: Any) -> dict[str, Any]:
    """One step, in ``ApprovalStepRead``'s field order and formats."""
    return {
        "id": r.id,
        "round": r.round,
        "sequence": r.sequence,
        "kind": _text(r.kind),
        "label": _text(r.label),
        "role": _text(r.role),
        "approver_id": r.approver_id,
        "approver_name": r.approver_name,
        "status": _text(r.status),
        "due_at": utc_text(r.due_at),
        "activated_at": utc_text(r.activated_at),
        "decided_by_id": r.decided_by_id,
        "decided_by_name": r.decided_by_name,
        "decided_at": utc_text(r.decided_at),
        "on_behalf_of_id": r.on_behalf_of_id,
        "on_behalf_of_name": r.on_behalf_of_name,
        "comment": _text(r.comment),
    }
