"""The requisitions list page from Core rows (issue 17): one prebuilt statement reads the
page's rows with the names they show and their line counts, and each row becomes the
``RequisitionRead`` dictionary directly — the same keys, order and formats as the schema's
dump (``tests/integration/test_request_cost.py`` holds them side by side), without loading
ORM objects or walking marshmallow fields for 20 rows × 20 fields."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Select, bindparam, func, select

from reqflow.core.money import CENT
from reqflow.core.schemas import utc_text
from reqflow.documents.counts import live_count
from reqflow.extensions import db
from reqflow.identity.models import Department, User
from reqflow.projects.models import Project
from reqflow.requisitions.models import Requisition, RequisitionItem

_R = Requisition.__table__
_ITEMS = RequisitionItem.__table__
_REQUESTER = User.__table__.alias("requester")
_APPROVER = User.__table__.alias("approver")
_DEPARTMENT = Department.__table__
_PROJECT = Project.__table__

# What a requisition's record shows, with the names it shows (the detail reads the same
# record for one requisition: detail_rows).
RECORD_COLUMNS = (
    _R.c.created_at,
    _R.c.updated_at,
    _R.c.id,
    _R.c.req_number,
    _REQUESTER.c.full_name.label("requester_full_name"),
    _REQUESTER.c.username.label("requester_username"),
    _R.c.requester_id,
    _R.c.department_id,
    _DEPARTMENT.c.name.label("department_name"),
    _R.c.purpose,
    _R.c.project_id,
    _PROJECT.c.code.label("project_code"),
    _PROJECT.c.name.label("project_name"),
    _R.c.needed_by,
    _R.c.justification,
    _R.c.status,
    _R.c.total_amount,
    _R.c.over_budget,
    _R.c.submitted_at,
    _R.c.approved_at,
    _R.c.approved_by_id,
    _APPROVER.c.full_name.label("approver_full_name"),
    _APPROVER.c.username.label("approver_username"),
    _R.c.version,
)


def named(query: Select[Any]) -> Select[Any]:
    """``query`` from the requisitions joined to the people, department and project named."""
    return (
        query.select_from(_R)
        .join(_REQUESTER, _REQUESTER.c.id == _R.c.requester_id)
        .outerjoin(_APPROVER, _APPROVER.c.id == _R.c.approved_by_id)
        .outerjoin(_DEPARTMENT, _DEPARTMENT.c.id == _R.c.department_id)
        .outerjoin(_PROJECT, _PROJECT.c.id == _R.c.project_id)
    )


PAGE_ROWS = named(
    select(
        *RECORD_COLUMNS,
        select(func.count(_ITEMS.c.id))
        .where(_ITEMS.c.requisition_id == _R.c.id)
        .scalar_subquery()
        .label("item_count"),
        live_count("requisition", _R.c.id).label("attachment_count"),
    )
).where(_R.c.id.in_(bindparam("ids", expanding=True)))


def money_text(value: Any) -> str | None:
    """As ``Money()`` writes it."""
    if value is None:
        return None
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def record_dict(r: Any, item_count: int) -> dict[str, Any]:
    """A requisition's record in ``RequisitionRead``'s field order, up to ``version`` (what a
    list row and a detail have in common)."""
    return {
        "created_at": utc_text(r.created_at),
        "updated_at": utc_text(r.updated_at),
        "id": r.id,
        "req_number": r.req_number,
        "requester": {
            "id": r.requester_id,
            "full_name": r.requester_full_name,
            "username": r.requester_username,
        },
        "requester_id": r.requester_id,
        "department_id": r.department_id,
        "department_name": r.department_name,
        "purpose": _text(r.purpose),
        "project_id": r.project_id,
        "project": None
        if r.project_id is None
        else {"id": r.project_id, "code": r.project_code, "name": r.project_name},
        "needed_by": None if r.needed_by is None else r.needed_by.isoformat(),
        "justification": r.justification,
        "status": _text(r.status),
        "total_amount": money_text(r.total_amount),
        "over_budget": None if r.over_budget is None else bool(r.over_budget),
        "submitted_at": utc_text(r.submitted_at),
        "approved_at": utc_text(r.approved_at),
        "approved_by": None
        if r.approved_by_id is None
        else {
            "id": r.approved_by_id,
            "full_name": r.approver_full_name,
            "username": r.approver_username,
        },
        "item_count": item_count,
        "version": r.version,
    }


def row_dict(r: Any) -> dict[str, Any]:
    """One list row, in ``RequisitionRead``'s field order."""
    row = record_dict(r, int(r.item_count))
    row["attachment_count"] = int(r.attachment_count)
    return row


def page_dicts(ids: list[int]) -> list[dict[str, Any]]:
    """The rows of ``ids``, in that order (one statement)."""
    if not ids:
        return []
    found = {r.id: r for r in db.session.connection().execute(PAGE_ROWS, {"ids": ids})}
    return [row_dict(found[i]) for i in ids if i in found]
