"""Export jobs: build a file (queue ``bulk``) and the hourly sweep of expired files."""

from __future__ import annotations

from reqflow.core.jobs import BULK, job
from reqflow.exports import service


@job("exports.build", queue=BULK)
def build(export_id: int) -> None:
    service.build(export_id=export_id)


@job("exports.expire", queue=BULK)
def expire() -> int:
    return service.expire()
