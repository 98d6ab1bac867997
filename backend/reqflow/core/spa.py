"""Serves the built single-page app, with history fallback to index.html."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, send_from_directory
from werkzeug.exceptions import NotFound

bp = Blueprint("spa", __name__)

_RESERVED = ("api/", "socket.io", "health", "metrics")


@bp.get("/")
@bp.get("/<path:path>")
def spa(path: str = "") -> Any:
    if path.startswith(_RESERVED):
        raise NotFound()
    dist = Path(current_app.config["FRONTEND_DIST"])
    if path and (dist / path).is_file():
        immutable = path.startswith("assets/")
        response = send_from_directory(dist, path, max_age=31536000 if immutable else 0)
        if immutable:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response
    if not (dist / "index.html").is_file():
        return current_app.response_class(
            "<h1>ReqFlow</h1><p>The web app is not built yet: run <code>make run</code>.</p>"
            '<p>API docs: <a href="/api/docs">/api/docs</a></p>',
            mimetype="text/html",
        )
    response = send_from_directory(dist, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
