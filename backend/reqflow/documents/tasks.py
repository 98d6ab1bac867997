"""Documents' background jobs: the orphan blob sweep (Celery beat, daily)."""

from __future__ import annotations

from reqflow.core.jobs import BULK, job
from reqflow.documents import service


@job("documents.sweep_orphans", queue=BULK)
def sweep_orphans() -> int:
    """Remove stored blobs that no committed attachment names; returns how many."""
    return service.sweep_orphans(**service.sweep_job_args())
