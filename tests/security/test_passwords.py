"""Passwords of any length up to 128 characters, pre-digested for bcrypt; history of 5."""

from __future__ import annotations

import bcrypt
from sqlalchemy import update

from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.identity.passwords import PREFIX
from tests.conftest import PASSWORD, login

LONG = "Quartz-Lantern-Harbor-93 " * 5  # 125 characters
NON_ASCII = "Żółć-gęślą-jaźń-Ünïcødé-Ωμέγα-東京タワー" + "ß" * 29  # 64 characters, 100+ bytes


def _create(client, auth, username, password):
    return client.post(
        "/api/v1/users",
        headers=auth("admin"),
        json={
            "username": username,
            "email": f"{username}@example.com",
            "full_name": username.title(),
            "password": password,
            "role": "Engineer",
        },
    )


def test_long_and_non_ascii_passwords_are_accepted_and_checked_in_full(client, auth):
    assert len(LONG) > 72 and len(NON_ASCII) == 64 and len(NON_ASCII.encode()) > 72
    for username, password in (("longpass", LONG), ("unicodepass", NON_ASCII)):
        created = _create(client, auth, username, password)
        assert created.status_code == 201, created.json
        assert login(client, username, password)
        # Every character counts: a password equal in its first 72 bytes is not the same.
        near = password[:-1] + ("x" if password[-1] != "x" else "y")
        wrong = client.post("/api/v1/auth/login", json={"username": username, "password": near})
        assert wrong.status_code == 401


def test_passwords_over_128_characters_are_a_422_not_a_500(client, auth):
    response = _create(client, auth, "toolong", LONG + "-Extra-Words")
    assert response.status_code == 422
    assert "password" in response.json["error"]["details"]


def test_change_password_to_a_long_one(client, users):
    headers = login(client, "engineer")
    changed = client.post(
        "/api/v1/auth/change-password",
        headers=headers,
        json={"current_password": PASSWORD, "new_password": NON_ASCII},
    )
    assert changed.status_code == 200, changed.json
    assert login(client, "engineer", NON_ASCII)


def test_a_legacy_hash_still_verifies_and_is_upgraded_at_login(app, client, users):
    legacy = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    with app.app_context():
        db.session.execute(
            update(User).where(User.username == "buyer").values(password_hash=legacy)
        )
        db.session.commit()
    assert login(client, "buyer")
    with app.app_context():
        stored = db.session.query(User).filter_by(username="buyer").one().password_hash
    assert stored.startswith(PREFIX) and stored != legacy
    assert login(client, "buyer")


def test_the_fifth_previous_password_is_refused_too(client, users):
    passwords = [
        PASSWORD,
        "Velvet-Comet-Orchard-51",
        "Granite-Willow-Beacon-72",
        "Saffron-Meadow-Tundra-38",
        "Cobalt-Prairie-Lantern-64",
        "Harbor-Quill-Nebula-27",
    ]
    headers = login(client, "engineer")

    def change(current, new):
        return client.post(
            "/api/v1/auth/change-password",
            json={"current_password": current, "new_password": new},
            headers=headers,
        )

    for old, new in zip(passwords, passwords[1:], strict=False):
        assert change(old, new).status_code == 200
        headers = login(client, "engineer", new)
    # The first password is now the fifth previous one: still refused.
    reused = change(passwords[-1], passwords[0])
    assert reused.status_code == 422
    assert "last 5" in reused.json["error"]["details"]["new_password"][0]
    assert change(passwords[-1], "Ember-Falcon-Glacier-19").status_code == 200
    headers = login(client, "engineer", "Ember-Falcon-Glacier-19")
    assert change("Ember-Falcon-Glacier-19", passwords[0]).status_code == 200


def test_auth_cookies_expire_with_their_tokens(client, users):
    response = client.post("/api/v1/auth/login", json={"username": "buyer", "password": PASSWORD})
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    for name in ("access_token_cookie", "csrf_access_token"):
        assert "Max-Age=3600" in cookies[name], cookies[name]
    for name in ("refresh_token_cookie", "csrf_refresh_token"):
        assert f"Max-Age={30 * 24 * 3600}" in cookies[name], cookies[name]
