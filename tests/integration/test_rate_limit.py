"""Login is rate limited per client IP (Redis counters); X-Forwarded-For is trusted only
when the request comes from a configured proxy."""

from __future__ import annotations

import pytest

from reqflow import create_app
from tests.conftest import make_config


@pytest.fixture
def limited_app(app, pg_database, tmp_path):
    return create_app(
        make_config(
            tmp_path, pg_database, LOGIN_RATE_LIMIT="3 per minute", TRUSTED_PROXIES=["10.9.9.9"]
        )
    )


def _attempt(client, remote, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        "/api/v1/auth/login",
        json={"username": "x", "password": "y"},
        headers=headers,
        environ_base={"REMOTE_ADDR": remote},
    )


def test_fourth_login_in_a_minute_is_429_with_retry_after(limited_app):
    client = limited_app.test_client()
    statuses = [_attempt(client, "198.51.100.7").status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    limited = _attempt(client, "198.51.100.7")
    assert limited.status_code == 429
    assert limited.json["error"]["code"] == "RATE_LIMITED"
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    # Another address has its own budget.
    assert _attempt(client, "198.51.100.8").status_code == 401


def test_forwarded_for_from_an_untrusted_peer_is_ignored(limited_app):
    client = limited_app.test_client()
    for i in range(3):
        _attempt(client, "203.0.113.5", forwarded=f"192.0.2.{i}")
    # Spoofed headers did not buy new budgets: the peer address is what counts.
    assert _attempt(client, "203.0.113.5", forwarded="192.0.2.99").status_code == 429


def test_forwarded_for_from_the_trusted_proxy_identifies_the_client(limited_app):
    client = limited_app.test_client()
    for _ in range(3):
        _attempt(client, "10.9.9.9", forwarded="192.0.2.10")
    assert _attempt(client, "10.9.9.9", forwarded="192.0.2.10").status_code == 429
    assert _attempt(client, "10.9.9.9", forwarded="192.0.2.11").status_code == 401
