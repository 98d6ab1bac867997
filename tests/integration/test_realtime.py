"""A real python-socketio client against the app served on loopback."""

from __future__ import annotations

import threading

import pytest
import requests
import socketio

from tests.conftest import PASSWORD
from tests.integration.reqs import payload


def _token(base, username):
    response = requests.post(
        f"{base}/api/v1/auth/login", timeout=10, json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200
    return response.json()["data"]["access_token"]


class Listener:
    """A connected client that records every event it receives."""

    def __init__(self, base, token):
        self.events: list[tuple[str, dict]] = []
        self.arrived = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)
        self.client.connect(
            base,
            auth={"token": token},
            transports=["polling"],
            wait_timeout=10,
            headers={"Origin": "http://127.0.0.1:5000"},
        )

    def _record(self, event, data):
        self.events.append((event, data))
        self.arrived.set()

    def wait_for(self, event, predicate=lambda d: True, timeout=10.0):
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, data in list(self.events):
                if name == event and predicate(data):
                    return data
            self.arrived.wait(0.1)
            self.arrived.clear()
        raise AssertionError(f"no {event} within {timeout}s; got {self.events}")

    def close(self):
        self.client.disconnect()


def _api(base, token, method, path, **kw):
    return requests.request(
        method,
        f"{base}/api/v1{path}",
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
        **kw,
    )


def test_requester_gets_status_update_and_notification_when_approved(live_server, users):
    engineer = _token(live_server, "engineer")
    req = _api(live_server, engineer, "POST", "/requisitions", json=payload()).json()["data"][
        "requisition"
    ]
    _api(live_server, engineer, "POST", f"/requisitions/{req['id']}/submit")
    mine = Listener(live_server, engineer)
    other = Listener(live_server, _token(live_server, "engineer2"))
    try:
        lead = _token(live_server, "lead")
        approved = _api(
            live_server,
            lead,
            "POST",
            f"/requisitions/{req['id']}/approve",
            json={"comment": "Go ahead"},
        )
        assert approved.status_code == 200
        status = mine.wait_for("status_update", lambda d: d["resource_id"] == req["id"])
        assert status["resource"] == "requisition" and status["status"] == "Under Review"
        assert status["number"] == req["req_number"] and status["timestamp"].endswith("Z")
        note = mine.wait_for("notification")
        assert req["req_number"] in note["title"] and "Go ahead" in note["body"]
        assert note["link"] == f"/requisitions/{req['id']}"
        # The stored notification is the one pushed, and a reconnect can fetch it.
        listed = _api(live_server, engineer, "GET", "/notifications?since_id=0").json()["data"]
        assert listed["notifications"][0]["id"] == note["id"]
        assert listed["unread_count"] == 1
        # Another engineer sees neither the requisition's status nor the notification.
        assert not [e for e in other.events if e[0] in ("notification", "status_update")]
    finally:
        mine.close()
        other.close()


def test_approver_is_told_when_a_step_reaches_them(live_server, users):
    lead = Listener(live_server, _token(live_server, "lead"))
    try:
        engineer = _token(live_server, "engineer")
        req = _api(live_server, engineer, "POST", "/requisitions", json=payload()).json()["data"][
            "requisition"
        ]
        _api(live_server, engineer, "POST", f"/requisitions/{req['id']}/submit")
        note = lead.wait_for("notification", lambda d: d["title"].startswith("Approval needed"))
        assert req["req_number"] in note["title"]
    finally:
        lead.close()


def test_connection_without_a_valid_token_is_refused(live_server, users):
    for auth in (None, {"token": "garbage"}, {}):
        client = socketio.Client(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(live_server, auth=auth, transports=["polling"], wait_timeout=5)


def test_revoked_token_is_refused(live_server, users):
    token = _token(live_server, "engineer")
    assert _api(live_server, token, "POST", "/auth/logout").status_code == 200
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(live_server, auth={"token": token}, transports=["polling"], wait_timeout=5)


def test_handshake_from_a_foreign_origin_is_refused(live_server, users):
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            live_server,
            auth={"token": _token(live_server, "engineer")},
            transports=["polling"],
            wait_timeout=5,
            headers={"Origin": "https://evil.example"},
        )
