"""gunicorn settings for the floor app (``-c python:tests.bench.floor_gunicorn``): only the
hook ReqFlow's config has, so the master imports nothing of the app before the fork."""

from __future__ import annotations

from typing import Any


def post_fork(server: Any, worker: Any) -> None:
    """Make psycopg2 yield to the gevent loop, as ReqFlow's gunicorn config does."""
    if "gevent" in str(server.cfg.worker_class_str).lower():
        from psycogreen.gevent import patch_psycopg

        patch_psycopg()
        server.log.info("psycopg2 patched for gevent (floor worker pid %s)", worker.pid)
