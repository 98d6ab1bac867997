"""With no configuration at all, ReqFlow boots on SQLite from an empty directory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
FLASK = [sys.executable, "-m", "flask", "--app", "reqflow:create_app"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(instance: Path) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({"INSTANCE_DIR": str(instance), "LOG_LEVEL": "WARNING"})
    return env


def test_empty_directory_migrates_seeds_serves_and_logs_in(tmp_path):
    env = _env(tmp_path / "instance")
    for command in (["db", "upgrade"], ["seed-demo"], ["seed-demo"]):
        done = subprocess.run(
            FLASK + command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "instance" / "reqflow.db").is_file()

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "reqflow.serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if requests.get(f"{base}/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        ready = requests.get(f"{base}/health/ready", timeout=5).json()
        assert ready["checks"] == {"database": "ok", "redis": "not configured"}
        from reqflow.identity.cli import DEMO_PASSWORD

        # Roles that move money or rights enrol a second factor at their first sign-in (the
        # demo's password alone does not open them); the others are signed in at once.
        tokens = {}
        for username, enrols in (
            ("admin", True),
            ("procmgr", True),
            ("buyer", False),
            ("engineer", False),
            ("storekeeper", False),
            ("accountant", True),
            ("controller", True),
        ):
            login = requests.post(
                f"{base}/api/v1/auth/login",
                timeout=10,
                json={"username": username, "password": DEMO_PASSWORD},
            )
            assert login.status_code == 200, login.text
            data = login.json()["data"]
            assert bool(data.get("mfa_enrolment")) is enrols, (username, data)
            tokens[username] = data.get("access_token")
        token = tokens["storekeeper"]
        me = requests.get(
            f"{base}/api/v1/auth/me", timeout=5, headers={"Authorization": f"Bearer {token}"}
        )
        assert me.json()["data"]["user"]["role"] == "Warehouse"
        # In-process Socket.IO accepts the token.
        import socketio

        client = socketio.Client(reconnection=False)
        client.connect(base, auth={"token": token}, wait_timeout=10)
        assert client.connected
        client.disconnect()
        # The audit trail works on SQLite too, and stays append-only.
        import sqlite3

        conn = sqlite3.connect(tmp_path / "instance" / "reqflow.db")
        try:
            conn.execute("UPDATE audit_logs SET action = 'x'")
            raise AssertionError("audit log was updated")
        except sqlite3.IntegrityError as exc:
            assert "append-only" in str(exc)
        finally:
            conn.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def serve_embedded(home: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """Migrate and seed an instance directory, then serve it with ``reqflow.serve``."""
    for command in (["db", "upgrade"], ["seed-demo"]):
        done = subprocess.run(
            FLASK + command, cwd=home, env=env, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, done.stderr[-2000:]
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "reqflow.serve", "--port", str(port)],
        cwd=home,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if requests.get(f"{base}/health", timeout=1).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    return server, base
