"""A Redis client when REDIS_URL is set; None in the embedded default."""

from __future__ import annotations

from typing import Any

import redis
from flask import Flask, current_app


def init_redis(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    app.extensions["reqflow_redis"] = (
        redis.Redis.from_url(url, decode_responses=True, socket_timeout=5) if url else None
    )


def get_redis(app: Flask | None = None) -> Any:
    return (app or current_app).extensions.get("reqflow_redis")


def key(*parts: Any) -> str:
    namespace = current_app.config.get("REDIS_NAMESPACE", "reqflow")
    return ":".join([namespace, *map(str, parts)])
