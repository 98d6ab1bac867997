"""The edge config behaves: a copy of nginx/ runs on loopback ports in front of a stand-in
backend that records what it receives, and real HTTPS requests check headers, caching,
proxying, WebSocket upgrade, the login rate limit and the JSON error envelopes.
"""

from __future__ import annotations

import gzip
import http.client
import json
import re
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .support import free_port

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'",
    "Strict-Transport-Security": "max-age=",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
INDEX = "<!doctype html><title>ReqFlow</title><div id=app></div>"


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[dict] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        Recorder.seen.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
            }
        )
        body = json.dumps({"success": True, "path": self.path, "pad": "x" * 4000}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def backend() -> Iterator[int]:
    Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    html = tmp_path / "html"
    (html / "assets").mkdir(parents=True)
    (html / "index.html").write_text(INDEX)
    (html / "assets" / "index-3f9a1c.js").write_text("console.log('reqflow');\n" * 200)
    return html


@pytest.fixture
def edge(start_nginx, backend: int, site: Path):
    return start_nginx(backend, site)


def https(edge, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    conn = http.client.HTTPSConnection(
        "127.0.0.1", edge.https_port, context=edge.tls_context(), timeout=10
    )
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def assert_security_headers(response) -> None:
    for name, expected in SECURITY_HEADERS.items():
        value = response.getheader(name) or ""
        assert expected in value, f"{name}: {value!r}"


def test_spa_index_and_history_routes_are_never_cached(edge) -> None:
    for path in ("/", "/index.html", "/requisitions/42"):
        response, body = https(edge, "GET", path)
        assert response.status == 200, path
        assert body.decode() == INDEX
        assert response.getheader("Cache-Control") == "no-cache", path
        assert_security_headers(response)


def test_hashed_assets_are_cached_for_a_year_and_gzipped(edge) -> None:
    response, body = https(edge, "GET", "/assets/index-3f9a1c.js", {"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(body).startswith(b"console.log")
    assert_security_headers(response)


def test_a_missing_asset_is_a_404_not_the_index(edge) -> None:
    response, body = https(edge, "GET", "/assets/gone-000.js")
    assert response.status == 404
    assert INDEX not in body.decode(errors="replace")
    assert_security_headers(response)


def test_api_requests_reach_the_backend_with_trusted_forwarding_headers(edge) -> None:
    response, body = https(
        edge,
        "GET",
        "/api/v1/requisitions?page=2",
        {
            "X-Forwarded-For": "6.6.6.6",
            "X-Request-ID": "req-abc-123",
            "Accept-Encoding": "gzip",
        },
    )
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(body))["path"] == "/api/v1/requisitions?page=2"
    assert_security_headers(response)
    seen = Recorder.seen[-1]["headers"]
    assert seen["x-forwarded-for"] == "127.0.0.1"  # replaced: a client cannot forge it
    assert seen["x-forwarded-proto"] == "https"
    assert seen["x-request-id"] == "req-abc-123"
    assert seen.get("connection", "").lower() != "upgrade"


def test_a_request_id_is_minted_when_missing_or_malformed(edge) -> None:
    https(edge, "GET", "/api/v1/items")
    https(edge, "GET", "/api/v1/items", {"X-Request-ID": "<script>alert(1)</script>"})
    for seen in Recorder.seen[-2:]:
        assert re.fullmatch(r"[0-9a-f]{32}", seen["headers"]["x-request-id"])


def test_socket_io_is_upgraded_to_websocket(edge) -> None:
    response, _ = https(
        edge,
        "GET",
        "/socket.io/?EIO=4&transport=websocket",
        {
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13",
        },
    )
    assert response.status == 200  # the stand-in backend does not switch protocols
    seen = Recorder.seen[-1]
    assert seen["path"].startswith("/socket.io/")
    assert seen["headers"]["upgrade"] == "websocket"
    assert seen["headers"]["connection"].lower() == "upgrade"


def test_health_and_metrics_are_proxied(edge) -> None:
    for path in ("/health", "/health/ready", "/metrics"):
        response, _ = https(edge, "GET", path)
        assert response.status == 200, path
        assert Recorder.seen[-1]["path"] == path


def test_login_posts_are_rate_limited_with_a_json_429(edge) -> None:
    statuses = []
    for _ in range(9):
        response, body = https(
            edge,
            "POST",
            "/api/v1/auth/login",
            {"Content-Type": "application/json"},
            b'{"username":"a","password":"b"}',
        )
        statuses.append(response.status)
    assert statuses[:6] == [200] * 6  # one + burst of 5
    assert statuses[6:] == [429] * 3
    assert response.getheader("Retry-After")
    assert response.getheader("Content-Type") == "application/json"
    envelope = json.loads(body)
    assert envelope["success"] is False and envelope["error"]["code"] == "rate_limited"
    assert envelope["request_id"]
    assert_security_headers(response)
    # reading the login page's API is not limited
    assert https(edge, "GET", "/api/v1/auth/login")[0].status == 200


def test_oversized_uploads_get_a_json_413(edge) -> None:
    import ssl as ssl_lib

    raw = socket.create_connection(("127.0.0.1", edge.https_port), timeout=10)
    context: ssl_lib.SSLContext = edge.tls_context()
    with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall(
            b"POST /api/v1/imports/items HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: text/csv\r\nContent-Length: 60000000\r\n\r\n"
        )
        reply = b""
        while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
            chunk = tls.recv(65536)
            if not chunk:
                break
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert json.loads(body)["error"]["code"] == "payload_too_large"


def test_plain_http_redirects_to_https_except_the_health_check(edge) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", edge.http_port, timeout=10)
    conn.request("GET", "/requisitions?status=draft")
    response = conn.getresponse()
    response.read()
    assert response.status == 301
    assert response.getheader("Location") == "https://127.0.0.1/requisitions?status=draft"
    conn.request("GET", "/health")
    response = conn.getresponse()
    response.read()
    assert response.status == 200
    conn.close()


def test_api_answers_a_json_envelope_when_no_backend_is_up(start_nginx, site: Path) -> None:
    edge = start_nginx(free_port(), site)  # nothing listens there
    response, body = https(edge, "GET", "/api/v1/requisitions")
    assert response.status == 502  # NGINX keeps its status (502 refused, 504 timed out)
    assert response.getheader("Content-Type") == "application/json"
    assert json.loads(body)["error"]["code"] == "service_unavailable"
    assert_security_headers(response)
