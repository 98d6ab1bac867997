"""Open sockets do not outlive the session: logout, deactivation, password change and a
role change disconnect them within a second, in every Socket.IO process: the second server
is a separate gunicorn process, reached only through the Redis message queue."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.conftest import PASSWORD, REPO
from tests.integration.test_cluster import _env, _free_port, _wait_http
from tests.integration.test_realtime import Listener, _api, _token


def _closed_within(listener: Listener, seconds: float = 1.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not listener.client.connected:
            return True
        time.sleep(0.02)
    return not listener.client.connected


@pytest.fixture(scope="module")
def second_server(app, tmp_path_factory) -> Iterator[str]:
    """Another Socket.IO server, in its own OS process as production runs it (gunicorn, one
    gevent worker), on the same database, Redis and message-queue channel as the test app:
    a revocation made through the test app reaches it only through the Redis message queue."""
    port = _free_port()
    env = _env(
        app,
        tmp_path_factory.mktemp("second"),
        REDIS_NAMESPACE=app.config["REDIS_NAMESPACE"],
        EVENT_DISPATCH="sync",
        JOBS_BACKEND="inline",
    )
    config = str(REPO / "backend" / "gunicorn.socketio.conf.py")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", config, "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=REPO / "backend",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_http(f"http://127.0.0.1:{port}/health", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_logout_disconnects_the_users_sockets_in_every_process(live_server, second_server, users):
    token = _token(live_server, "engineer")
    here = Listener(live_server, token)
    there = Listener(second_server, _token(second_server, "engineer"))
    bystander = Listener(live_server, _token(live_server, "engineer2"))
    try:
        time.sleep(0.2)  # the second server subscribes to the message queue on its first socket
        assert _api(live_server, token, "POST", "/auth/logout").status_code == 200
        assert _closed_within(here) and _closed_within(there)
        assert bystander.client.connected
    finally:
        for listener in (here, there, bystander):
            if listener.client.connected:
                listener.close()


def test_deactivation_disconnects_the_users_sockets(live_server, second_server, users):
    victim = Listener(second_server, _token(second_server, "engineer2"))
    try:
        time.sleep(0.2)
        admin = _token(live_server, "admin")
        path = f"/users/{users['engineer2'].id}/deactivate"
        assert _api(live_server, admin, "POST", path).status_code == 200
        assert _closed_within(victim)
    finally:
        if victim.client.connected:
            victim.close()


def test_deactivation_by_a_users_import_disconnects_the_users_sockets(live_server, users):
    victim = Listener(live_server, _token(live_server, "engineer2"))
    try:
        time.sleep(0.2)
        admin = _token(live_server, "admin")
        user = users["engineer2"]
        row = ["engineer2", "engineer2@example.com", "Engineer2", user.role, "false"]
        data = "username,email,full_name,role,is_active\n" + ",".join(row) + "\n"
        files = {"file": ("users.csv", data.encode(), "text/csv")}
        preview = _api(live_server, admin, "POST", "/imports/users", files=files)
        assert preview.status_code == 201, preview.text
        found = preview.json()["data"]["import"]
        assert found["counts"] == {"create": 0, "update": 1, "skip": 0}, found["errors"]
        done = _api(live_server, admin, "POST", f"/imports/{found['id']}/commit")
        assert done.json()["data"]["import"]["status"] == "committed"
        assert _closed_within(victim)
    finally:
        if victim.client.connected:
            victim.close()


def test_password_change_disconnects_the_users_sockets(live_server, users):
    token = _token(live_server, "buyer")
    listener = Listener(live_server, token)
    try:
        body = {"current_password": PASSWORD, "new_password": "Velvet-Comet-Orchard-51"}
        changed = _api(live_server, token, "POST", "/auth/change-password", json=body)
        assert changed.status_code == 200
        assert _closed_within(listener)
    finally:
        if listener.client.connected:
            listener.close()


def test_a_role_change_disconnects_the_users_sockets(live_server, users):
    listener = Listener(live_server, _token(live_server, "storekeeper"))
    try:
        admin = _token(live_server, "admin")
        path = f"/users/{users['storekeeper'].id}"
        version = _api(live_server, admin, "GET", path).json()["data"]["user"]["version"]
        body = {"role": "Accountant", "version": version}
        assert _api(live_server, admin, "PUT", path, json=body).status_code == 200
        assert _closed_within(listener)
    finally:
        if listener.client.connected:
            listener.close()
