"""Which browser origins may open a Socket.IO connection (a pure rule)."""

from __future__ import annotations

import pytest

from reqflow.notifications.realtime import origin_checker

CHECK = origin_checker(["https://erp.example.com", "http://localhost:5173/"])
SERVED_AT = {"wsgi.url_scheme": "http", "HTTP_HOST": "10.0.0.7:8080"}


@pytest.mark.parametrize(
    ("origin", "environ", "allowed"),
    [
        ("https://erp.example.com", {}, True),
        ("http://localhost:5173", {}, True),  # listed with a trailing slash
        ("http://10.0.0.7:8080", SERVED_AT, True),  # the SPA this server served itself
        ("http://10.0.0.7:8080/", SERVED_AT, True),
        ("https://10.0.0.7:8080", SERVED_AT, False),  # other scheme: another origin
        ("http://10.0.0.7:9090", SERVED_AT, False),  # other port
        ("https://evil.example", SERVED_AT, False),
        ("http://erp.example.com", {}, False),
        ("null", SERVED_AT, False),
        ("", SERVED_AT, False),
        (None, SERVED_AT, False),
        ("http://10.0.0.7:8080", {}, False),  # no Host header: nothing to compare with
    ],
)
def test_listed_origins_and_the_servers_own_origin_only(origin, environ, allowed):
    assert CHECK(origin, environ) is allowed


def test_older_engineio_calling_with_the_origin_only_gets_the_list():
    assert CHECK("https://erp.example.com") is True
    assert CHECK("http://10.0.0.7:8080") is False
