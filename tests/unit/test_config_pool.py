"""The database pool is sized from the environment, per process (DB_POOL_SIZE/DB_MAX_OVERFLOW)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reqflow.config import load_config

PG = "postgresql+psycopg2://reqflow@db:5432/reqflow"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in ("DB_POOL_SIZE", "DB_MAX_OVERFLOW", "PROMETHEUS_MULTIPROC_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", PG)
    return monkeypatch


def test_defaults_fit_a_two_core_stack_in_postgres_default_max_connections(env) -> None:
    options = load_config()["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options == {"pool_size": 5, "max_overflow": 5, "pool_pre_ping": False}
    # 2 API workers + 1 Socket.IO + 2 + 2 Celery processes + beat, plus 10 for tools.
    assert 8 * (options["pool_size"] + options["max_overflow"]) + 10 <= 100 - 3


def test_pool_and_overflow_come_from_the_environment(env) -> None:
    env.setenv("DB_POOL_SIZE", "8")
    env.setenv("DB_MAX_OVERFLOW", "0")
    options = load_config()["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_size"] == 8 and options["max_overflow"] == 0


def test_sqlite_has_no_pool_sizing(env) -> None:
    env.setenv("DATABASE_URL", "sqlite:///:memory:")
    assert "pool_size" not in load_config()["SQLALCHEMY_ENGINE_OPTIONS"]


def test_multiprocess_metrics_directory_is_read_from_the_environment(env) -> None:
    assert load_config()["PROMETHEUS_MULTIPROC_DIR"] is None
    env.setenv("PROMETHEUS_MULTIPROC_DIR", "/dev/shm/reqflow-metrics-x")
    assert load_config()["PROMETHEUS_MULTIPROC_DIR"] == "/dev/shm/reqflow-metrics-x"
