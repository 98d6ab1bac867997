"""Fixtures for the deployment-config tests: a test certificate and runnable copies of nginx/."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .support import (
    API_LINE,
    CERT_SCRIPT,
    REPO,
    SOCKETIO_LINE,
    NginxCopy,
    free_port,
    mime_types,
    nginx_version,
    point_upstream,
    replace_once,
    require_tool,
    run,
    wait_for_port,
)


@pytest.fixture(scope="session")
def nginx_bin() -> str:
    return require_tool("nginx")


@pytest.fixture(scope="session")
def cert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tool("openssl")
    directory = tmp_path_factory.mktemp("certs")
    result = run(["sh", str(CERT_SCRIPT), str(directory)])
    assert result.returncode == 0, result.stderr
    return directory


@pytest.fixture
def make_nginx_copy(
    nginx_bin: str, cert_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., NginxCopy]:
    """A copy of nginx/ that this machine's nginx can load: upstreams on loopback (the Socket.IO
    one on `socketio_port`, or on the API ports when not given), the test certificate, temp
    paths inside the copy, and `http2 on;` dropped for NGINX < 1.25.1 (the image runs 1.27,
    where `http2 on;` replaced `listen ... http2`)."""

    def make(
        backend_port: int | Sequence[int] = 5000, socketio_port: int | Sequence[int] | None = None
    ) -> NginxCopy:
        prefix = tmp_path_factory.mktemp("nginx")
        shutil.copytree(REPO / "nginx", prefix, dirs_exist_ok=True)
        mime = mime_types(nginx_bin)
        if mime is not None:
            shutil.copy(mime, prefix / "mime.types")
        else:
            (prefix / "mime.types").write_text(
                "types { text/html html; text/css css; application/javascript js;"
                " application/json json; image/svg+xml svg; }\n"
            )
        shutil.copytree(cert_dir, prefix / "certs")
        upstream = prefix / "conf.d" / "upstream.conf"
        point_upstream(upstream, API_LINE, backend_port)
        point_upstream(
            upstream, SOCKETIO_LINE, backend_port if socketio_port is None else socketio_port
        )
        if nginx_version(nginx_bin) < (1, 25, 1):
            replace_once(prefix / "conf.d" / "reqflow.conf", "http2 on;", "")
        temp = prefix / "temp"
        temp.mkdir()
        (prefix / "conf.d" / "zz-test-temp-paths.conf").write_text(
            "".join(
                f"{kind}_temp_path {temp / kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
        )
        return NginxCopy(nginx_bin, prefix)

    return make


@dataclass
class RunningNginx:
    http_port: int
    https_port: int
    prefix: Path
    cafile: Path
    proc: subprocess.Popen | None = field(default=None, repr=False)

    def tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cafile))

    def stop(self) -> None:
        """Stop NGINX now (the fixture's teardown then has nothing left to do): closing its
        idle upstream keepalive connections lets gunicorn's graceful shutdown finish at once."""
        if self.proc is not None:
            _terminate(self.proc)


def _terminate(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def start_nginx(make_nginx_copy: Callable[..., NginxCopy]) -> Iterator[Callable[..., RunningNginx]]:
    """Run a copy of the edge on free loopback ports, serving `html` as the SPA root, in front
    of one API port or several (one upstream `server` line each) and the Socket.IO port(s)
    (the API's when not given)."""
    procs: list[tuple[subprocess.Popen, object]] = []

    def start(
        backend_port: int | Sequence[int],
        html: Path,
        socketio_port: int | Sequence[int] | None = None,
    ) -> RunningNginx:
        copy = make_nginx_copy(backend_port, socketio_port)
        http_port, https_port = free_port(), free_port()
        site = copy.prefix / "conf.d" / "reqflow.conf"
        replace_once(
            site, "listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;"
        )
        replace_once(
            site,
            "listen 443 ssl default_server;",
            f"listen 127.0.0.1:{https_port} ssl default_server;",
        )
        replace_once(site, "root /usr/share/nginx/html;", f"root {html};")
        checked = copy.test_config()
        assert checked.returncode == 0, checked.stderr
        extra = ["daemon off;"]
        if os.geteuid() == 0:  # workers must read pytest's private temp dirs
            extra.append("user root;")
        log = open(copy.prefix / "error.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(copy.command(*extra), stdout=subprocess.DEVNULL, stderr=log)
        procs.append((proc, log))
        wait_for_port(https_port, proc)
        wait_for_port(http_port, proc)
        return RunningNginx(
            http_port, https_port, copy.prefix, copy.prefix / "certs" / "reqflow.crt", proc
        )

    yield start
    for proc, log in procs:
        _terminate(proc)
        log.close()
