"""``python -m reqflow.serve``: the embedded single-process server used by ``make run``."""

from __future__ import annotations

import argparse
import logging

from reqflow import create_app
from reqflow.core.scheduler import start_scheduler


def main() -> None:
    parser = argparse.ArgumentParser(description="Run ReqFlow (embedded default).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    app = create_app({"EVENT_DISPATCH": "thread", "JOBS_BACKEND": "thread"})
    # reqflow.access already logs every request as JSON; werkzeug's own lines would repeat it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    start_scheduler(app)
    app.extensions["socketio"].run(
        app,
        host=args.host,
        port=args.port,
        use_reloader=False,
        log_output=False,
        allow_unsafe_werkzeug=True,
    )


if __name__ == "__main__":
    main()
