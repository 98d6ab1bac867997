"""The job registry: each job names its queue; an undeclared one goes to bulk."""

from __future__ import annotations

import pytest

from reqflow.core.jobs import DEFAULT_QUEUE, JOB_QUEUES, JOBS, job, queue_of


def test_a_job_without_a_queue_goes_to_bulk_not_events():
    job("test.undeclared")(lambda: None)
    try:
        assert DEFAULT_QUEUE == "bulk"
        assert queue_of("test.undeclared") == "bulk"
    finally:
        JOBS.pop("test.undeclared")
        JOB_QUEUES.pop("test.undeclared")


def test_a_misspelt_queue_is_refused_at_registration():
    with pytest.raises(ValueError, match="unknown queue"):
        job("test.misspelt", queue="emails")
    assert "test.misspelt" not in JOBS
