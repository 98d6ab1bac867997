"""The embedded default (SQLite, jobs on a thread, Socket.IO in process) exports too: a
streamed list and a background export whose file lands under instance/exports."""

from __future__ import annotations

import time

import requests

from tests.integration.test_embedded_default import REPO, _env, serve_embedded


def test_the_embedded_default_streams_and_builds_exports(tmp_path):
    from reqflow.identity.cli import DEMO_PASSWORD

    env = {**_env(tmp_path / "instance"), "PYTHONPATH": str(REPO / "backend")}  # this checkout
    env["MFA_REQUIRED_ROLES"] = ""  # the admin signs in with a password here; MFA: test_mfa.py
    server, base = serve_embedded(tmp_path, env)
    try:
        login = requests.post(
            f"{base}/api/v1/auth/login",
            json={"username": "admin", "password": DEMO_PASSWORD},
            timeout=10,
        )
        headers = {"Authorization": f"Bearer {login.json()['data']['access_token']}"}
        users = requests.get(f"{base}/api/v1/users?per_page=100", headers=headers, timeout=10)
        streamed = requests.get(
            f"{base}/api/v1/exports/users?format=csv", headers=headers, timeout=10
        )
        assert streamed.status_code == 200
        names = [line.split(",")[0] for line in streamed.text.lstrip("\ufeff").splitlines()[1:]]
        assert names == [u["username"] for u in users.json()["data"]["users"]]

        body = {"kind": "audit_logs", "format": "xlsx", "filters": {"sort": "id"}}
        started = requests.post(f"{base}/api/v1/exports", json=body, headers=headers, timeout=10)
        assert started.status_code == 201, started.text
        url = f"{base}/api/v1/exports/{started.json()['data']['export']['id']}"
        for _ in range(300):
            export = requests.get(url, headers=headers, timeout=10).json()["data"]["export"]
            if export["state"] not in ("Queued", "Running"):
                break
            time.sleep(0.1)
        assert export["state"] == "Done", export
        file = requests.get(f"{url}/file", headers=headers, timeout=10)
        assert file.status_code == 200 and file.content.startswith(b"PK")  # a zip: XLSX
        stored = list((tmp_path / "instance" / "exports").iterdir())
        assert [p.stat().st_size for p in stored] == [len(file.content)]
    finally:
        server.terminate()
        server.wait(timeout=20)
