"""The owner of a background export learns that its file is ready (or why it is not)."""

from __future__ import annotations

from typing import Any

from reqflow.events import handles
from reqflow.exports import events as export_events
from reqflow.notifications import service
from reqflow.notifications.handlers import deliver


@handles(export_events.ExportCompleted, export_events.ExportFailed)
def export_finished(payload: dict[str, Any]) -> None:
    failed = "error" in payload  # only ExportFailed carries one
    what = payload["kind"].replace("_", " ")
    title = (
        f"Your {what} export failed"
        if failed
        else f"Your {what} export is ready ({payload['rows']} rows)"
    )
    rows = service.notify(
        user_ids=[payload["actor_id"]],
        type="export_ready",
        title=title,
        body=payload["error"] if failed else "Download it within 24 hours.",
        link=f"/api/v1/exports/{payload['resource_id']}/file",
        event_id=payload["event_id"],
        resource_type="export",
        resource_id=payload["resource_id"],
    )
    deliver(rows)
