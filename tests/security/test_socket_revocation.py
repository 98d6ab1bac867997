"""Open sockets do not outlive the session: logout, deactivation, password change and a
role change disconnect them within a second, in every Socket.IO process."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from reqflow import create_app
from tests.conftest import PASSWORD, free_port, make_config
from tests.integration.test_realtime import Listener, _api, _token


def _closed_within(listener: Listener, seconds: float = 1.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not listener.client.connected:
            return True
        time.sleep(0.02)
    return not listener.client.connected


@pytest.fixture(scope="module")
def second_server(app, pg_database, tmp_path_factory) -> Iterator[str]:
    """Another Socket.IO server on the same database, Redis and message-queue channel: a
    second web process, as gunicorn would run it."""
    config = make_config(
        tmp_path_factory.mktemp("second"),
        pg_database,
        REDIS_NAMESPACE=app.config["REDIS_NAMESPACE"],
        RATELIMIT_KEY_PREFIX=app.config["RATELIMIT_KEY_PREFIX"],
        CORS_ORIGINS=["http://127.0.0.1:5000"],
    )
    server = make_server("127.0.0.1", free_port(), create_app(config), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


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
