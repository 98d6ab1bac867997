"""The deployment files parse and say what they should: nginx -t, docker-compose config,
promtool, the certificate script, the Dockerfiles and the docs (the gunicorn configs:
test_gunicorn_configs.py).

No Docker engine is needed. Standard library + pytest only; tools come from PATH and their
absence fails the test (CI installs them).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from .support import REPO, require_tool, run

COMPOSE = REPO / "docker-compose.yml"
COMPOSE_DEV = REPO / "docker-compose.dev.yml"
PROMETHEUS = REPO / "deploy" / "prometheus"
DOCS = REPO / "docs" / "DEPLOYMENT.md"

PROD_ENV = {
    "SECRET_KEY": "test-secret",
    "JWT_SECRET_KEY": "test-jwt-secret",
    "POSTGRES_PASSWORD": "test-db-password",
    "APP_BASE_URL": "https://erp.example.com",
    "CORS_ORIGINS": "https://erp.example.com",
    "SMTP_HOST": "smtp.example.com",
    "MAIL_FROM": "ReqFlow <erp@example.com>",
}
REQUIRED = sorted(set(re.findall(r"\$\{(\w+):\?", COMPOSE.read_text())))


# --- nginx ----------------------------------------------------------------------------------
def test_nginx_config_passes_nginx_t(make_nginx_copy) -> None:
    result = make_nginx_copy().test_config()
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """(block header, its own simple directives) for every {...} block of an nginx file."""
    text = re.sub(r"(?m)#.*$", "", text)
    tokens = re.findall(r"'(?:\\.|[^'])*'|\"(?:\\.|[^\"])*\"|[{};]|[^\s{};'\"]+", text)
    stack: list[tuple[str, list[str]]] = [("main", [])]
    done: list[tuple[str, list[str]]] = []
    words: list[str] = []
    for token in tokens:
        if token == "{":
            stack.append((" ".join(words), []))
            words = []
        elif token == "}":
            done.append(stack.pop())
        elif token == ";":
            stack[-1][1].append(" ".join(words))
            words = []
        else:
            words.append(token)
    return done


def test_every_block_with_its_own_headers_repeats_the_security_headers() -> None:
    site = (REPO / "nginx" / "conf.d" / "reqflow.conf").read_text()
    blocks = _blocks(site)
    include = "include snippets/security-headers.conf"
    https = [d for head, d in blocks if head == "server" and "listen 443 ssl default_server" in d]
    assert https and include in https[0]
    for head, directives in blocks:
        if any(d.startswith("add_header") for d in directives):
            assert include in directives, f"`{head}` drops the server's security headers"


def test_security_headers_snippet_has_the_required_policy() -> None:
    snippet = (REPO / "nginx" / "snippets" / "security-headers.conf").read_text()
    for expected in (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self' wss:; font-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        "Strict-Transport-Security",
        'X-Content-Type-Options "nosniff"',
        'X-Frame-Options "DENY"',
        'Referrer-Policy "strict-origin-when-cross-origin"',
    ):
        assert expected in snippet
    assert all(
        line.rstrip().endswith("always;")
        for line in snippet.splitlines()
        if line.startswith("add_header")
    )


# --- certificate script -------------------------------------------------------------------------
def test_cert_script_makes_a_localhost_cert_once(tmp_path: Path) -> None:
    openssl = require_tool("openssl")
    target = tmp_path / "certs"
    first = run(["sh", str(REPO / "scripts" / "make-self-signed-cert.sh"), str(target)])
    assert first.returncode == 0, first.stderr
    crt, key = target / "reqflow.crt", target / "reqflow.key"
    before = crt.read_bytes(), key.read_bytes()
    assert key.stat().st_mode & 0o077 == 0, "the private key must not be group/world readable"

    text = run([openssl, "x509", "-in", str(crt), "-noout", "-subject", "-ext", "subjectAltName"])
    assert "CN = localhost" in text.stdout or "CN=localhost" in text.stdout
    assert "DNS:localhost" in text.stdout and "IP Address:127.0.0.1" in text.stdout

    second = run(["sh", str(REPO / "scripts" / "make-self-signed-cert.sh"), str(target)])
    assert second.returncode == 0 and "kept" in second.stdout
    assert (crt.read_bytes(), key.read_bytes()) == before

    key.unlink()  # half a pair is replaced, not kept
    third = run(["sh", str(REPO / "scripts" / "make-self-signed-cert.sh"), str(target)])
    assert third.returncode == 0 and key.exists() and crt.read_bytes() != before[0]


def test_cert_script_wants_a_directory() -> None:
    assert run(["sh", str(REPO / "scripts" / "make-self-signed-cert.sh")]).returncode == 2


# --- docker-compose --------------------------------------------------------------------------
def compose_config(path: Path, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    """`docker-compose config` with exactly `env` (plus PATH/HOME), ignoring any local .env."""
    tool = require_tool("docker-compose")
    empty = tmp_path / "empty.env"
    empty.write_text("")
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), **env}
    return run([tool, "--env-file", str(empty), "-f", str(path), "config"], env=clean, cwd=REPO)


def test_production_compose_is_valid(tmp_path: Path) -> None:
    result = compose_config(COMPOSE, PROD_ENV, tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    section = re.search(r"(?ms)^services:\n(.*?)(?=^\S|\Z)", out)
    assert section, out
    services = set(re.findall(r"(?m)^  ([a-z][a-z0-9-]*):$", section.group(1)))
    assert services == {
        "postgres",
        "redis",
        "migrate",
        "api",
        "realtime",
        "worker-events",
        "worker-jobs",
        "beat",
        "nginx",
        "prometheus",
    }
    assert "service_completed_successfully" in out
    assert "reqflow.worker:celery" in out
    assert re.search(r"published: '?443'?|- 443:443|443:443", out)


def _service(compose: str, name: str) -> str:
    """One service's block of `docker-compose config` output."""
    match = re.search(rf"(?ms)^  {re.escape(name)}:\n(.*?)(?=^  \S|^\S|\Z)", compose)
    assert match, name
    return match.group(1)


def _command(block: str) -> list[str]:
    match = re.search(r"(?ms)^    command:\n((?:    - .*\n)+)", block)
    assert match, block
    return [line.strip()[2:].strip("'\"") for line in match.group(1).splitlines()]


def test_one_process_kind_per_service(tmp_path: Path) -> None:
    out = compose_config(COMPOSE, PROD_ENV, tmp_path).stdout
    api, realtime = _service(out, "api"), _service(out, "realtime")
    assert "command:" not in api, "api runs the image's CMD: gunicorn.conf.py (the API pool)"
    assert "/app/gunicorn.socketio.conf.py" in _command(realtime)
    for block in (api, realtime):
        assert re.search(r"replicas: 1\b", block)
    events, jobs = _command(_service(out, "worker-events")), _command(_service(out, "worker-jobs"))
    assert events[events.index("-Q") + 1] == "events"
    assert jobs[jobs.index("-Q") + 1] == "email,bulk"
    assert "beat" in _command(_service(out, "beat"))
    assert re.search(r"replicas: 1\b", _service(out, "beat"))
    assert "DB_MAX_OVERFLOW: '5'" in api and "DB_POOL_SIZE: '5'" in api


def test_replicas_and_workers_come_from_the_environment(tmp_path: Path) -> None:
    env = {**PROD_ENV, "API_REPLICAS": "3", "REALTIME_REPLICAS": "2", "WEB_CONCURRENCY": "5"}
    result = compose_config(COMPOSE, env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.search(r"replicas: 3\b", _service(result.stdout, "api"))
    assert re.search(r"replicas: 2\b", _service(result.stdout, "realtime"))
    assert "WEB_CONCURRENCY: '5'" in _service(result.stdout, "api")


def test_the_important_secrets_are_required() -> None:
    assert {"SECRET_KEY", "JWT_SECRET_KEY", "POSTGRES_PASSWORD"} <= set(REQUIRED)
    assert set(REQUIRED) <= set(PROD_ENV), "PROD_ENV must provide every required variable"


@pytest.mark.parametrize("missing", REQUIRED)
def test_compose_refuses_to_run_without_a_required_variable(missing: str, tmp_path: Path) -> None:
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = compose_config(COMPOSE, env, tmp_path)
    assert result.returncode != 0
    assert f"set {missing}" in result.stderr + result.stdout


def test_no_secret_values_are_written_into_the_compose_file() -> None:
    for line in COMPOSE.read_text().splitlines():
        match = re.match(r"\s*(\w*(SECRET|PASSWORD)\w*):\s*(\S.*)$", line)
        if match:
            assert match.group(3).startswith("${"), f"literal secret: {line.strip()}"


def test_dev_compose_is_valid_without_any_settings(tmp_path: Path) -> None:
    result = compose_config(COMPOSE_DEV, {}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "flask run --debug" in result.stdout
    assert "npm run dev -- --host" in result.stdout
    assert "/app/backend/gunicorn.socketio.conf.py" in _command(_service(result.stdout, "realtime"))
    frontend = _service(result.stdout, "frontend")
    assert "REQFLOW_SOCKETIO_URL: http://realtime:5000" in frontend
    for worker, queues in (("worker-events", "events"), ("worker-jobs", "email,bulk")):
        command = _command(_service(result.stdout, worker))
        assert command[command.index("-Q") + 1] == queues


# --- Prometheus ---------------------------------------------------------------------------------
def test_alert_rules_pass_promtool() -> None:
    result = run([require_tool("promtool"), "check", "rules", str(PROMETHEUS / "alerts.yml")])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 rules found" in result.stdout


def test_prometheus_config_passes_promtool() -> None:
    result = run([require_tool("promtool"), "check", "config", str(PROMETHEUS / "prometheus.yml")])
    assert result.returncode == 0, result.stdout + result.stderr


def test_prometheus_scrapes_every_api_and_realtime_process() -> None:
    text = (PROMETHEUS / "prometheus.yml").read_text()
    jobs = dict(
        re.findall(
            r"(?ms)- job_name: (\S+)\n.*?names: \[\"(\w+)\"\]\n\s+type: A\n\s+port: 5000", text
        )
    )
    assert jobs == {"reqflow-api": "api", "reqflow-realtime": "realtime"}


SERIES = 'job="reqflow-api",instance="b1:5000"'
REQ = SERIES + ',method="GET",endpoint="/api/v1/requisitions"'

ALERT_TESTS = f"""
rule_files:
  - {PROMETHEUS / "alerts.yml"}
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - {{series: 'erp_requests_total{{{REQ},status="200"}}', values: '0+90x30'}}
      - {{series: 'erp_requests_total{{{REQ},status="500"}}', values: '0+10x30'}}
      - {{series: 'erp_request_duration_seconds_bucket{{{REQ},le="0.1"}}', values: '0+50x30'}}
      - {{series: 'erp_request_duration_seconds_bucket{{{REQ},le="0.25"}}', values: '0+60x30'}}
      - {{series: 'erp_request_duration_seconds_bucket{{{REQ},le="0.5"}}', values: '0+100x30'}}
      - {{series: 'erp_request_duration_seconds_bucket{{{REQ},le="+Inf"}}', values: '0+100x30'}}
      - {{series: 'erp_db_pool_checked_out{{{SERIES}}}', values: '9x30'}}
      - {{series: 'erp_db_pool_size{{{SERIES}}}', values: '10x30'}}
      - {{series: 'up{{{SERIES}}}', values: '1x30'}}
      - {{series: 'up{{job="reqflow-realtime",instance="b2:5000"}}', values: '0x30'}}
    alert_rule_test:
      - eval_time: 20m
        alertname: HighErrorRate
        exp_alerts:
          - exp_labels: {{severity: critical}}
            exp_annotations:
              summary: More than 5% of API requests fail with 5xx
              description: 10% of requests answered 5xx over the last 5 minutes.
      - eval_time: 20m
        alertname: SlowP95
        exp_alerts:
          - exp_labels: {{severity: warning}}
            exp_annotations:
              summary: API p95 latency above 200 ms
              description: p95 over the last 5 minutes is 468.7ms (target < 200 ms).
      - eval_time: 20m
        alertname: DBConnectionsHigh
        exp_alerts:
          - exp_labels: {{severity: warning, job: reqflow-api, instance: "b1:5000"}}
            exp_annotations:
              summary: Database pool of b1:5000 more than 80% in use
              description: 90% of the pool is in use; raise DB_POOL_SIZE or add replicas.
      - eval_time: 20m
        alertname: BackendDown
        exp_alerts:
          - exp_labels: {{severity: critical, job: reqflow-realtime, instance: "b2:5000"}}
            exp_annotations:
              summary: Scrape target b2:5000 (reqflow-realtime) is down
              description: Prometheus could not scrape b2:5000 for 1 minute.
  - interval: 1m
    input_series:
      - {{series: 'erp_requests_total{{{REQ},status="200"}}', values: '0+100x30'}}
      - {{series: 'erp_requests_total{{{REQ},status="500"}}', values: '0+1x30'}}
      - {{series: 'erp_request_duration_seconds_bucket{{{REQ},le="0.1"}}', values: '0+99x30'}}
      - {{series: 'erp_request_duration_seconds_bucket{{{REQ},le="+Inf"}}', values: '0+100x30'}}
      - {{series: 'erp_db_pool_checked_out{{{SERIES}}}', values: '3x30'}}
      - {{series: 'erp_db_pool_size{{{SERIES}}}', values: '10x30'}}
      - {{series: 'up{{{SERIES}}}', values: '1x30'}}
    alert_rule_test:
      - {{eval_time: 20m, alertname: HighErrorRate, exp_alerts: []}}
      - {{eval_time: 20m, alertname: SlowP95, exp_alerts: []}}
      - {{eval_time: 20m, alertname: DBConnectionsHigh, exp_alerts: []}}
      - {{eval_time: 20m, alertname: BackendDown, exp_alerts: []}}
"""


def test_alerts_fire_on_trouble_and_stay_quiet_otherwise(tmp_path: Path) -> None:
    tests = tmp_path / "alerts_test.yml"
    tests.write_text(ALERT_TESTS)
    result = run([require_tool("promtool"), "test", "rules", str(tests)])
    assert result.returncode == 0, result.stdout + result.stderr


# --- Dockerfiles and docs -----------------------------------------------------------------------
def _copy_sources(dockerfile: Path) -> list[str]:
    sources = []
    for line in dockerfile.read_text().splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            sources += line.split()[1:-1]
    return sources


@pytest.mark.parametrize("dockerfile", ["backend/Dockerfile", "frontend/Dockerfile"])
def test_dockerfiles_copy_only_files_that_exist(dockerfile: str) -> None:
    for source in _copy_sources(REPO / dockerfile):
        assert (REPO / source).exists(), f"{dockerfile} copies missing {source}"


def test_backend_image_runs_gunicorn_as_a_non_root_user() -> None:
    text = (REPO / "backend" / "Dockerfile").read_text()
    assert text.count("\nFROM ") + text.startswith("FROM ") >= 2
    assert "FROM python:3.11-slim" in text
    assert re.search(r"(?m)^USER reqflow$", text)
    assert "HEALTHCHECK" in text and "/health" in text
    assert '"--config", "/app/gunicorn.conf.py"' in text


def test_frontend_image_builds_with_node_20_and_serves_with_nginx() -> None:
    text = (REPO / "frontend" / "Dockerfile").read_text()
    assert re.search(r"FROM node:20\S* AS build", text)
    assert "npm ci" in text and "npm run build" in text
    assert "FROM nginx:1.27-alpine" in text


def test_every_environment_variable_is_documented() -> None:
    docs = DOCS.read_text()
    config = (REPO / "backend" / "reqflow" / "config.py").read_text()
    names = set(re.findall(r"env\.get\(\"([A-Z][A-Z0-9_]*)\"", config))
    # ${VAR} is compose interpolation; $${VAR} is left to the container's shell
    names |= set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", COMPOSE.read_text()))
    names |= set(re.findall(r"(?m)^  ([A-Z][A-Z0-9_]*):", COMPOSE.read_text()))
    names |= set(re.findall(r"(?m)^      ([A-Z][A-Z0-9_]*):", COMPOSE.read_text()))
    for config in ("gunicorn_common.py", "gunicorn.conf.py", "gunicorn.socketio.conf.py"):
        text = (REPO / "backend" / config).read_text()
        setting = r"(?:env_int\(|os\.environ\.get\(|os\.environ\[)\"(\w+)\""
        names |= set(re.findall(setting, text))
    undocumented = sorted(name for name in names if f"`{name}`" not in docs)
    assert not undocumented, f"add to docs/DEPLOYMENT.md: {undocumented}"
