"""The one serializer of a requisition's detail answer (``RequisitionDetail``): the record, its
approval history and what the caller may do next. Every endpoint that answers a requisition
detail (its own resources, the low-stock replenishment) builds it here: a write from the
objects it loaded and changed (``detail_body``), a read from Core rows (``read_body``); the
two give the same answer (``tests/integration/test_request_cost.py``)."""

from __future__ import annotations

from typing import Any

from reqflow.approvals import history_rows
from reqflow.core.schemas import shared
from reqflow.errors import NotFound
from reqflow.requisitions import detail_rows, queries, service
from reqflow.requisitions.models import Requisition, Status
from reqflow.requisitions.schemas import RequisitionDetail


def _finish(body: dict[str, Any], requisition: service.RequisitionLike, user: Any) -> None:
    """The history from Core rows, shaped as ApprovalStepRead dumps it (history_rows), and
    what the user may do. A Draft was never submitted (nothing leads back to Draft): it has
    no approval steps to read."""
    steps = (
        []
        if requisition.status == Status.DRAFT
        else history_rows.history_rows(service.DOC, requisition.id)
    )
    body["approvals"] = [history_rows.step_dict(step) for step in steps]
    body["allowed_actions"] = service.allowed_actions(requisition, user, steps)


def detail_body(requisition: Requisition, user: Any) -> dict[str, Any]:
    """The detail of a requisition loaded as ORM objects (what a write answers with)."""
    queries.count_loaded_items(requisition)
    body: dict[str, Any] = shared(RequisitionDetail).dump(requisition)
    _finish(body, requisition, user)
    return body


def read_body(requisition_id: int, user: Any) -> dict[str, Any]:
    """The detail of a requisition the user may see, read from Core rows (404 otherwise,
    whether absent or hidden, as ``service.get``)."""
    record = detail_rows.record_row(requisition_id, service.visible_query(user).whereclause)
    if record is None:
        raise NotFound("Requisition not found")
    body = detail_rows.record_dict(record, detail_rows.line_rows(requisition_id))
    _finish(body, record, user)
    return body
