"""Without Redis (the embedded default) the cache lives in the process, and the event that
changes a cached value still shows on the next read."""

from __future__ import annotations

import pytest

from reqflow import create_app
from reqflow.core.cache import MemoryBackend, get_cache
from tests.conftest import login, make_config
from tests.integration.reqs import act, submitted


@pytest.fixture
def embedded_app(app, pg_database, tmp_path):
    return create_app(make_config(tmp_path, pg_database, REDIS_URL=None))


def _board(client, headers) -> dict:
    response = client.get("/api/v1/dashboard", headers=headers)
    assert response.status_code == 200, response.json
    return response.json["data"]["dashboard"]


def test_without_redis_the_dashboard_is_cached_in_process_and_invalidated(embedded_app, users):
    assert isinstance(get_cache(embedded_app).backend, MemoryBackend)
    client = embedded_app.test_client()
    heads = {name: login(client, name) for name in ("engineer", "lead", "buyer", "procmgr")}
    req = submitted(client, lambda name: heads[name])
    first = _board(client, heads["procmgr"])
    assert first["requisitions_by_status"]["Submitted"] == 1
    assert _board(client, heads["procmgr"]) == first
    assert _board(client, heads["buyer"])["approvals_waiting"] == 0

    assert act(client, heads["lead"], req["id"], "approve").status_code == 200
    assert _board(client, heads["buyer"])["approvals_waiting"] == 1
    assert act(client, heads["buyer"], req["id"], "approve").status_code == 200

    after = _board(client, heads["procmgr"])
    assert after["requisitions_by_status"]["Approved"] == 1
    assert after["requisitions_by_status"]["Submitted"] == 0
