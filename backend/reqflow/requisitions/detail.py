"""The one serializer of a requisition's detail answer (``RequisitionDetail``): the record, its
approval history and what the caller may do next. Every endpoint that answers a requisition
detail (its own resources, the low-stock replenishment) builds it here."""

from __future__ import annotations

from typing import Any

from reqflow.approvals import history_rows
from reqflow.core.schemas import shared
from reqflow.requisitions import queries, service
from reqflow.requisitions.models import Requisition, Status
from reqflow.requisitions.schemas import RequisitionDetail


def detail_body(requisition: Requisition, user: Any) -> dict[str, Any]:
    queries.count_loaded_items(requisition)
    body: dict[str, Any] = shared(RequisitionDetail).dump(requisition)
    # The history from Core rows, shaped as ApprovalStepRead dumps it (history_rows). A Draft
    # was never submitted (nothing leads back to Draft): it has no approval steps to read.
    steps = (
        []
        if requisition.status == Status.DRAFT
        else history_rows.history_rows(service.DOC, requisition.id)
    )
    body["approvals"] = [history_rows.step_dict(step) for step in steps]
    body["allowed_actions"] = service.allowed_actions(requisition, user, steps)
    return body
