"""Purchasing's reactions to other domains' events."""

from __future__ import annotations

from typing import Any

from reqflow.events import handles
from reqflow.purchasing import sourcing
from reqflow.requisitions.events import RequisitionApproved


@handles(RequisitionApproved)
def source_approved_requisition(payload: dict[str, Any]) -> None:
    """An approved requisition's lines become Draft POs per supplier (idempotent)."""
    sourcing.source_requisition(
        requisition_id=payload["resource_id"],
        actor_id=payload.get("actor_id"),
        event_id=payload["event_id"],
    )
