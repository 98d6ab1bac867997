"""Lockout per (account, client address): it reveals nobody and locks nobody else out."""

from __future__ import annotations

from tests.conftest import PASSWORD, login

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OWNER = {"REMOTE_ADDR": "198.51.100.20"}


def _login(client, username, password="wrong-password", environ=ATTACKER):
    return client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password},
        environ_base=environ,
    )


def _shape(response):
    error = response.json["error"]
    return response.status_code, error["code"], error["message"], sorted(error["details"])


def test_unknown_and_known_users_get_the_same_answers_all_the_way_to_the_lock(client, users):
    known = [_shape(_login(client, "admin")) for _ in range(6)]
    unknown = [_shape(_login(client, "nobody-here")) for _ in range(6)]
    assert known == unknown
    assert known[0][:2] == (401, "UNAUTHORIZED")
    assert known[4][:2] == known[5][:2] == (401, "ACCOUNT_LOCKED")


def test_a_stranger_cannot_lock_the_owner_out(client, users):
    for _ in range(5):
        _login(client, "admin")
    locked = _login(client, "admin", PASSWORD)
    assert locked.json["error"]["code"] == "ACCOUNT_LOCKED"
    assert int(locked.headers["Retry-After"]) > 14 * 60
    # The owner, from their own address, signs in as usual.
    assert _login(client, "admin", PASSWORD, OWNER).status_code == 200


def test_the_lock_covers_username_and_email_alike(client, users):
    for i in range(5):
        _login(client, "buyer" if i % 2 else "buyer@example.com")
    assert _login(client, "buyer", PASSWORD).json["error"]["code"] == "ACCOUNT_LOCKED"


def test_change_password_guessing_is_limited(client, users):
    headers = login(client, "engineer")
    url = "/api/v1/auth/change-password"
    body = {"current_password": "guess", "new_password": "Velvet-Comet-Orchard-51"}
    statuses = [client.post(url, json=body, headers=headers).status_code for _ in range(5)]
    assert statuses == [422, 422, 422, 422, 429]
    right = {**body, "current_password": PASSWORD}
    limited = client.post(url, json=right, headers=headers)
    assert limited.status_code == 429 and limited.json["error"]["code"] == "RATE_LIMITED"
    assert int(limited.headers["Retry-After"]) > 14 * 60


def test_change_password_failures_are_audited(client, auth, users):
    headers = login(client, "engineer")
    body = {"current_password": "guess", "new_password": "Velvet-Comet-Orchard-51"}
    client.post("/api/v1/auth/change-password", json=body, headers=headers)
    logs = client.get(
        "/api/v1/audit-logs?action=auth.password_change_failed", headers=auth("admin")
    ).json
    assert logs["data"]["pagination"]["total"] == 1
