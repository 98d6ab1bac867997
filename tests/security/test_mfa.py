"""TOTP MFA with the production default (Admin, ProcurementMgr and Accountant must enrol):
the two-step login, enrolment at login, replay, recovery codes, throttling, the challenge
token's limits and the admin's audited reset."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from reqflow.config import MFA_DEFAULT_ROLES
from tests.conftest import PASSWORD

API = "/api/v1"


@pytest.fixture(autouse=True)
def production_default(app, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", list(MFA_DEFAULT_ROLES))


def _password(client, username):
    response = client.post(f"{API}/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return response.json["data"]


def _secret(setup):
    return re.search(r"secret=([A-Z2-7]+)", setup["otpauth_uri"]).group(1)


def _code(secret, steps_back=0):
    return pyotp.TOTP(secret).at(time.time() - 30 * steps_back)


def enrol_at_login(client, username):
    """Password → enrolment challenge → QR → confirm: (secret, recovery codes, tokens)."""
    step = _password(client, username)
    assert step["mfa_required"] and step["mfa_enrolment"] and "access_token" not in step
    setup = client.post(f"{API}/auth/mfa/enrol", json={"challenge": step["mfa_challenge"]})
    assert setup.status_code == 200 and setup.json["data"]["qr_svg"].startswith("<svg")
    secret = _secret(setup.json["data"])
    body = {"challenge": step["mfa_challenge"], "code": _code(secret, steps_back=1)}
    done = client.post(f"{API}/auth/mfa/enrol/confirm", json=body)
    assert done.status_code == 200, done.json
    return secret, done.json["data"]["recovery_codes"], done.json["data"]


def _verify(client, challenge, code):
    return client.post(f"{API}/auth/mfa/verify", json={"challenge": challenge, "code": code})


def _bearer(data):
    return {"Authorization": f"Bearer {data['access_token']}"}


def test_required_role_enrols_at_login_then_signs_in_with_a_code(client, users):
    secret, codes, tokens = enrol_at_login(client, "admin")
    assert len(codes) == len(set(codes)) == 10
    assert client.get(f"{API}/auth/me", headers=_bearer(tokens)).status_code == 200
    step = _password(client, "admin")
    assert step["mfa_required"] and not step["mfa_enrolment"]
    signed = _verify(client, step["mfa_challenge"], _code(secret))
    assert signed.status_code == 200 and signed.json["data"]["user"]["username"] == "admin"
    status = client.get(f"{API}/auth/mfa", headers=_bearer(signed.json["data"])).json["data"]
    assert status["enabled"] and status["required"] and status["recovery_codes_left"] == 10


def test_optional_role_signs_in_with_the_password_alone(client, users):
    data = _password(client, "engineer")
    assert "access_token" in data and not data.get("mfa_required")


def test_wrong_and_replayed_codes_are_refused(client, users):
    secret, _codes, _tokens = enrol_at_login(client, "accountant")
    step = _password(client, "accountant")
    wrong = _verify(client, step["mfa_challenge"], "000000" if _code(secret) != "000000" else "1")
    assert wrong.status_code == 422 and wrong.json["error"]["code"] == "VALIDATION_ERROR"
    # The code used to confirm the enrolment (last step) cannot be used again.
    assert _verify(client, step["mfa_challenge"], _code(secret, 1)).status_code == 422
    code = _code(secret)
    assert _verify(client, step["mfa_challenge"], code).status_code == 200
    again = _password(client, "accountant")
    assert _verify(client, again["mfa_challenge"], code).status_code == 422


def test_a_recovery_code_works_once(client, users):
    _secret_, codes, _tokens = enrol_at_login(client, "procmgr")
    first = _password(client, "procmgr")
    assert _verify(client, first["mfa_challenge"], codes[3]).status_code == 200
    second = _password(client, "procmgr")
    refused = _verify(client, second["mfa_challenge"], codes[3])
    assert refused.status_code == 422
    assert _verify(client, second["mfa_challenge"], codes[4].upper()).status_code == 200


def test_wrong_codes_are_throttled_per_account(client, users):
    secret, _codes, _tokens = enrol_at_login(client, "admin")
    step = _password(client, "admin")
    statuses = [_verify(client, step["mfa_challenge"], "abcdef-ghij").status_code for _ in range(5)]
    assert statuses == [422, 422, 422, 422, 429]
    limited = _verify(client, step["mfa_challenge"], _code(secret))
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 14 * 60


def test_the_challenge_is_no_access_token_and_is_single_use(client, users, app, monkeypatch):
    secret, _codes, _tokens = enrol_at_login(client, "admin")
    step = _password(client, "admin")
    challenge = step["mfa_challenge"]
    as_bearer = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {challenge}"})
    assert as_bearer.status_code == 401
    # A verify challenge does not open the enrolment, and vice versa.
    assert client.post(f"{API}/auth/mfa/enrol", json={"challenge": challenge}).status_code == 401
    tampered = challenge[:-2] + ("AA" if not challenge.endswith("AA") else "BB")
    assert _verify(client, tampered, _code(secret)).status_code == 401
    assert _verify(client, challenge, _code(secret)).status_code == 200
    used = _verify(client, challenge, _code(secret))
    assert used.status_code == 401 and used.json["error"]["code"] == "UNAUTHORIZED"


def test_an_expired_challenge_is_refused(client, users, app, monkeypatch):
    secret, _codes, _tokens = enrol_at_login(client, "admin")
    step = _password(client, "admin")
    monkeypatch.setitem(app.config, "MFA_CHALLENGE_SECONDS", -1)
    expired = _verify(client, step["mfa_challenge"], _code(secret))
    assert expired.status_code == 401 and "expired" in expired.json["error"]["message"]


def test_admin_reset_is_audited_and_forces_a_new_enrolment(client, users):
    secret, _codes, admin_tokens = enrol_at_login(client, "admin")
    _secret2, _codes2, _tokens2 = enrol_at_login(client, "accountant")
    reset = client.post(
        f"{API}/users/{users['accountant'].id}/mfa/reset", headers=_bearer(admin_tokens)
    )
    assert reset.status_code == 200 and reset.json["data"]["enabled"] is False
    assert _password(client, "accountant")["mfa_enrolment"] is True
    logs = client.get(
        f"{API}/audit-logs?action=auth.mfa_reset", headers=_bearer(admin_tokens)
    ).json["data"]
    assert logs["pagination"]["total"] == 1
    entry = logs["audit_logs"][0]
    assert entry["actor_id"] == users["admin"].id
    assert entry["resource_id"] == users["accountant"].id


def test_only_an_admin_resets(client, users):
    engineer = _bearer(_password(client, "engineer"))
    refused = client.post(f"{API}/users/{users['admin'].id}/mfa/reset", headers=engineer)
    assert refused.status_code == 403


def test_optional_role_enrols_from_the_profile_and_disables(client, users):
    headers = _bearer(_password(client, "engineer"))
    setup = client.post(f"{API}/auth/mfa/setup", headers=headers).json["data"]
    secret = _secret(setup)
    codes = client.post(
        f"{API}/auth/mfa/activate", json={"code": _code(secret, 1)}, headers=headers
    ).json["data"]["recovery_codes"]
    assert len(codes) == 10
    step = _password(client, "engineer")
    assert step["mfa_required"] and not step["mfa_enrolment"]
    fresh = client.post(
        f"{API}/auth/mfa/recovery-codes", json={"code": _code(secret)}, headers=headers
    )
    assert fresh.status_code == 200 and set(fresh.json["data"]["recovery_codes"]).isdisjoint(codes)
    off = client.post(f"{API}/auth/mfa/disable", json={"code": codes[0]}, headers=headers)
    assert off.status_code == 422  # the old codes were replaced
    new_code = fresh.json["data"]["recovery_codes"][0]
    off = client.post(f"{API}/auth/mfa/disable", json={"code": new_code}, headers=headers)
    assert off.status_code == 200 and off.json["data"]["enabled"] is False
    assert "access_token" in _password(client, "engineer")


def test_a_required_role_cannot_disable(client, users):
    secret, _codes, tokens = enrol_at_login(client, "admin")
    off = client.post(
        f"{API}/auth/mfa/disable", json={"code": _code(secret)}, headers=_bearer(tokens)
    )
    assert off.status_code == 403


def test_the_secret_is_encrypted_at_rest(client, users, app):
    from reqflow.extensions import db
    from reqflow.identity.models import MfaCredential

    secret, codes, _tokens = enrol_at_login(client, "admin")
    with app.app_context():
        row = db.session.get(MfaCredential, users["admin"].id)
        assert secret not in row.secret_encrypted
        assert not set(codes) & set(row.recovery_hashes)
