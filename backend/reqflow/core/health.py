"""Liveness and readiness probes (outside /api/v1)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy import text

from reqflow.core.redis import get_redis
from reqflow.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> Any:
    return jsonify({"status": "ok"})


@bp.get("/health/ready")
def ready() -> Any:
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # a probe reports, it never raises
        db.session.rollback()
        checks["database"] = f"error: {type(exc).__name__}"
    client = get_redis()
    if client is None:
        checks["redis"] = "not configured"
    else:
        try:
            client.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    healthy = all(v in ("ok", "not configured") for v in checks.values())
    return jsonify({"status": "ok" if healthy else "unavailable", "checks": checks}), (
        200 if healthy else 503
    )
