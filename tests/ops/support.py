"""Helpers for the deployment-config tests (standard library + pytest only).

Missing tools FAIL the tests: CI installs nginx, openssl, promtool (Debian `prometheus`)
and docker-compose.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CERT_SCRIPT = REPO / "scripts" / "make-self-signed-cert.sh"
# The shipped peers of the two upstreams in nginx/conf.d/upstream.conf.
API_LINE = "server api:5000 "
SOCKETIO_LINE = "server realtime:5000 "


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` is not on PATH; install it (CI does)", pytrace=False)
    return path


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("timeout", 120)
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen | None = None, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"process exited early with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def nginx_version(nginx: str) -> tuple[int, ...]:
    out = run([nginx, "-v"]).stderr
    match = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", out)
    assert match, out
    return tuple(int(part) for part in match.groups())


def point_upstream(path: Path, line: str, ports: int | Sequence[int]) -> None:
    """Replace the shipped `server <line>...;` peer with one loopback `server` line per port,
    each keeping the shipped line's parameters (max_fails, fail_timeout)."""
    ports = [ports] if isinstance(ports, int) else list(ports)
    text = path.read_text()
    pattern = re.compile(rf"^([ \t]*){re.escape(line)}([^;\n]*);", re.M)
    found = pattern.findall(text)
    assert len(found) == 1, f"expected exactly one {line!r}...; in {path}"
    indent, params = found[0]
    servers = "\n".join(f"{indent}server 127.0.0.1:{port} {params};" for port in ports)
    path.write_text(pattern.sub(lambda _: servers, text))


def replace_once(path: Path, old: str, new: str) -> None:
    """Rewrite exactly one occurrence, so a changed config fails loudly instead of silently."""
    text = path.read_text()
    assert text.count(old) == 1, f"expected exactly one {old!r} in {path}"
    path.write_text(text.replace(old, new))


def mime_types(nginx: str) -> Path | None:
    conf_path = re.search(r"--conf-path=(\S+)", run([nginx, "-V"]).stderr)
    candidates = [Path(conf_path.group(1)).parent] if conf_path else []
    candidates.append(Path("/etc/nginx"))
    for directory in candidates:
        if (directory / "mime.types").is_file():
            return directory / "mime.types"
    return None


@dataclass
class NginxCopy:
    nginx: str
    prefix: Path

    @property
    def conf(self) -> Path:
        return self.prefix / "nginx.conf"

    def command(self, *extra: str) -> list[str]:
        """nginx with this copy's prefix, config, stderr log and a pid file inside the copy
        (`nginx -t` opens the pid path too, and /run is not writable for a non-root CI user)."""
        directives = f"pid {self.prefix / 'nginx.pid'};" + "".join(f" {d}" for d in extra)
        return [
            self.nginx,
            "-p",
            f"{self.prefix}/",
            "-c",
            str(self.conf),
            "-e",
            "stderr",
            "-g",
            directives,
        ]

    def test_config(self) -> subprocess.CompletedProcess[str]:
        return run([*self.command(), "-t"])


def open_direct(url_or_request, timeout: float = 5):
    """urlopen without any proxy from the environment (the targets are on loopback)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    return opener.open(url_or_request, timeout=timeout)
