"""Authentication over real PostgreSQL and Redis: tokens, cookies, CSRF, lockout, revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt as pyjwt

from tests.conftest import PASSWORD, login

ME = "/api/v1/auth/me"


def _token(client, username="engineer", **kw):
    body = {"username": username, "password": PASSWORD, **kw}
    return client.post("/api/v1/auth/login", json=body)


def test_login_by_username_returns_tokens_and_profile(client, users):
    response = _token(client)
    assert response.status_code == 200
    data = response.json["data"]
    assert data["token_type"] == "Bearer" and data["expires_in"] == 3600
    assert data["user"]["username"] == "engineer"
    assert "requisition:create" in data["user"]["permissions"]
    claims = pyjwt.decode(data["access_token"], options={"verify_signature": False})
    assert claims["iss"] == "erp-system" and claims["aud"] == "erp-users"
    assert claims["exp"] - claims["iat"] == 3600
    refresh = pyjwt.decode(data["refresh_token"], options={"verify_signature": False})
    assert refresh["exp"] - refresh["iat"] == 30 * 24 * 3600


def test_login_by_email_is_case_insensitive(client, users):
    response = client.post(
        "/api/v1/auth/login", json={"email": "Buyer@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json["data"]["user"]["role"] == "Procurement"


def test_wrong_password_is_401_without_saying_which_part_was_wrong(client, users):
    wrong = client.post("/api/v1/auth/login", json={"username": "buyer", "password": "nope"})
    unknown = client.post("/api/v1/auth/login", json={"username": "ghost", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["error"]["message"] == unknown.json["error"]["message"]


def test_bearer_token_authenticates_without_csrf(client, users):
    headers = login(client, "buyer")
    fresh = client.application.test_client()
    assert fresh.get(ME, headers=headers).json["data"]["user"]["username"] == "buyer"
    assert fresh.post("/api/v1/auth/logout", headers=headers).status_code == 200


def test_cookie_session_needs_the_csrf_header_on_writes(client, users):
    assert _token(client).status_code == 200
    set_cookies = " ".join(client.get_cookie(n).value for n in ["csrf_access_token"])
    assert set_cookies
    assert client.get(ME).status_code == 200  # reads need no CSRF header
    refused = client.post("/api/v1/auth/logout")
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "CSRF_FAILED"
    csrf = client.get_cookie("csrf_access_token").value
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-TOKEN": csrf}).status_code == 200


def test_login_sets_http_only_same_site_cookies(client, users):
    response = _token(client)
    cookies = response.headers.getlist("Set-Cookie")
    access = next(c for c in cookies if c.startswith("access_token_cookie="))
    assert "HttpOnly" in access and "SameSite=Lax" in access
    csrf = next(c for c in cookies if c.startswith("csrf_access_token="))
    assert "HttpOnly" not in csrf


def test_refresh_rotates_and_reuse_revokes_the_family(client, users):
    first = _token(client).json["data"]
    r1 = client.post(
        "/api/v1/auth/refresh", headers={"Authorization": f"Bearer {first['refresh_token']}"}
    )
    assert r1.status_code == 200
    second = r1.json["data"]
    assert second["refresh_token"] != first["refresh_token"]
    # Presenting the rotated token again is reuse: refused, and the family dies.
    reuse = client.post(
        "/api/v1/auth/refresh", headers={"Authorization": f"Bearer {first['refresh_token']}"}
    )
    assert reuse.status_code == 401
    later = client.post(
        "/api/v1/auth/refresh", headers={"Authorization": f"Bearer {second['refresh_token']}"}
    )
    assert later.status_code == 401
    assert (
        client.get(ME, headers={"Authorization": f"Bearer {second['access_token']}"}).status_code
        == 401
    )


def test_refresh_reuse_is_audited(app, client, users, auth):
    first = _token(client).json["data"]
    bearer = {"Authorization": f"Bearer {first['refresh_token']}"}
    client.post("/api/v1/auth/refresh", headers=bearer)
    client.post("/api/v1/auth/refresh", headers=bearer)
    logs = client.get("/api/v1/audit-logs?action=auth.refresh_reuse", headers=auth("admin"))
    assert logs.json["data"]["pagination"]["total"] == 1


def test_access_token_cannot_be_used_to_refresh(client, users):
    access = _token(client).json["data"]["access_token"]
    response = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {access}"})
    assert response.status_code == 401


def test_logout_revokes_every_token_of_the_user(client, users):
    one = _token(client).json["data"]
    two = _token(client).json["data"]
    headers_one = {"Authorization": f"Bearer {one['access_token']}"}
    assert client.post("/api/v1/auth/logout", headers=headers_one).status_code == 200
    for token in (one["access_token"], two["access_token"]):
        assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    refresh = client.post(
        "/api/v1/auth/refresh", headers={"Authorization": f"Bearer {two['refresh_token']}"}
    )
    assert refresh.status_code == 401


def _forge(app, **claims):
    now = datetime.now(UTC)
    payload = {
        "sub": "1",
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(hours=1),
        "jti": "x",
        "type": "access",
        "fresh": False,
        "iss": "erp-system",
        "aud": "erp-users",
        "fam": "f",
        "tv": 1,
        **claims,
    }
    return pyjwt.encode(payload, app.config["JWT_SECRET_KEY"], algorithm="HS256")


def test_expired_tampered_wrong_audience_wrong_issuer_and_none_tokens_get_401(app, client, users):
    sub = str(users["engineer"].id)
    good = _forge(app, sub=sub)
    assert client.get(ME, headers={"Authorization": f"Bearer {good}"}).status_code == 200
    past = datetime.now(UTC) - timedelta(hours=2)
    bad_tokens = [
        _forge(app, sub=sub, iat=past, nbf=past, exp=past + timedelta(hours=1)),
        good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB"),
        _forge(app, sub=sub, aud="someone-else"),
        _forge(app, sub=sub, iss="not-erp"),
        pyjwt.encode(
            {
                "sub": sub,
                "type": "access",
                "iss": "erp-system",
                "aud": "erp-users",
                "jti": "y",
                "exp": datetime.now(UTC) + timedelta(hours=1),
            },
            None,
            algorithm="none",
        ),
        pyjwt.encode(
            {
                "sub": sub,
                "type": "access",
                "iss": "erp-system",
                "aud": "erp-users",
                "jti": "z",
                "fam": "f",
                "tv": 1,
                "exp": datetime.now(UTC) + timedelta(hours=1),
            },
            "another-secret-of-sufficient-length-0123456789",
            algorithm="HS256",
        ),
        "not-a-jwt",
    ]
    for token in bad_tokens:
        response = client.get(ME, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, token
        assert response.json["success"] is False


def test_five_failures_lock_the_account_for_fifteen_minutes(app, client, users):
    for _ in range(4):
        assert (
            client.post(
                "/api/v1/auth/login", json={"username": "buyer", "password": "wrong"}
            ).status_code
            == 401
        )
    locked = client.post("/api/v1/auth/login", json={"username": "buyer", "password": "wrong"})
    assert locked.status_code == 401
    assert locked.json["error"]["code"] == "ACCOUNT_LOCKED"
    assert int(locked.headers["Retry-After"]) > 14 * 60
    # Even the right password is refused while locked, from this address; the lock is
    # per (account, client address), so it expires or another address gets in.
    again = _token(client, "buyer")
    assert again.json["error"]["code"] == "ACCOUNT_LOCKED"
    elsewhere = client.post(
        "/api/v1/auth/login",
        json={"username": "buyer", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "198.51.100.77"},
    )
    assert elsewhere.status_code == 200


def test_lockout_is_audited(client, users, auth):
    for _ in range(5):
        client.post("/api/v1/auth/login", json={"username": "buyer", "password": "wrong"})
    logs = client.get("/api/v1/audit-logs?action=auth.lockout", headers=auth("admin")).json
    assert logs["data"]["pagination"]["total"] == 1
    failures = client.get("/api/v1/audit-logs?action=auth.login_failed", headers=auth("admin")).json
    assert failures["data"]["pagination"]["total"] == 5


def test_success_resets_the_failure_count(client, users):
    for _ in range(4):
        client.post("/api/v1/auth/login", json={"username": "buyer", "password": "wrong"})
    assert _token(client, "buyer").status_code == 200
    for _ in range(4):
        client.post("/api/v1/auth/login", json={"username": "buyer", "password": "wrong"})
    assert _token(client, "buyer").status_code == 200


def test_deactivated_user_is_refused_at_once(client, users, auth):
    victim = login(client, "engineer2")
    assert client.get(ME, headers=victim).status_code == 200
    deactivated = client.post(
        f"/api/v1/users/{users['engineer2'].id}/deactivate", headers=auth("admin")
    )
    assert deactivated.status_code == 200
    assert deactivated.json["data"]["user"]["is_active"] is False
    assert client.get(ME, headers=victim).status_code == 401
    assert _token(client, "engineer2").status_code == 401


def test_change_password_enforces_policy_and_history(client, users):
    headers = login(client, "engineer")
    url = "/api/v1/auth/change-password"

    def change(current, new, hdrs):
        return client.post(
            url, json={"current_password": current, "new_password": new}, headers=hdrs
        )

    wrong = change("nope", "Velvet-Comet-Orchard-51", headers)
    assert wrong.status_code == 422 and "current_password" in wrong.json["error"]["details"]
    short = change(PASSWORD, "Short-1", headers)
    assert short.status_code == 422 and "new_password" in short.json["error"]["details"]
    guessable = change(PASSWORD, "password1234", headers)
    assert guessable.status_code == 422
    same = change(PASSWORD, PASSWORD, headers)
    assert same.status_code == 422

    passwords = [
        PASSWORD,
        "Velvet-Comet-Orchard-51",
        "Granite-Willow-Beacon-72",
        "Saffron-Meadow-Tundra-38",
        "Cobalt-Prairie-Lantern-64",
    ]
    for old, new in zip(passwords, passwords[1:], strict=False):
        assert change(old, new, headers).status_code == 200
        headers = login(client, "engineer", new)
    # The original password is among the last five: refused.
    reused = change(passwords[-1], passwords[0], headers)
    assert reused.status_code == 422
    assert "last 5" in reused.json["error"]["details"]["new_password"][0]
    # Two more distinct passwords push the first one out of the last five.
    for old, new in (
        (passwords[-1], "Harbor-Quill-Nebula-27"),
        ("Harbor-Quill-Nebula-27", "Ember-Falcon-Glacier-19"),
    ):
        assert change(old, new, headers).status_code == 200
        headers = login(client, "engineer", new)
    assert change("Ember-Falcon-Glacier-19", passwords[0], headers).status_code == 200


def test_change_password_ends_existing_sessions(client, users):
    headers = login(client, "engineer")
    other = login(client, "engineer")
    response = client.post(
        "/api/v1/auth/change-password",
        headers=headers,
        json={"current_password": PASSWORD, "new_password": "Velvet-Comet-Orchard-51"},
    )
    assert response.status_code == 200
    assert client.get(ME, headers=other).status_code == 401
    assert client.get(ME, headers=headers).status_code == 401
    assert _token(client).status_code == 401


def test_passwords_are_hashed_with_bcrypt_cost_12_by_default():
    from flask import Flask

    from reqflow.config import load_config
    from reqflow.identity.passwords import hash_password, verify_password

    plain = Flask("cost-check")
    plain.config["BCRYPT_ROUNDS"] = load_config({})["BCRYPT_ROUNDS"]
    with plain.app_context():
        hashed = hash_password("Velvet-Comet-Orchard-51")
    assert "$2b$12$" in hashed  # bcrypt of a pre-digest: "$bcrypt-hmac-sha256$$2b$12$..."
    assert verify_password("Velvet-Comet-Orchard-51", hashed)


def test_me_and_login_carry_the_base_currency(client, users, monkeypatch):
    monkeypatch.setitem(client.application.config, "BASE_CURRENCY", "EUR")
    logged_in = _token(client, "buyer").json["data"]["user"]
    assert logged_in["currency"] == "EUR"
    assert client.get(ME).json["data"]["user"]["currency"] == "EUR"
