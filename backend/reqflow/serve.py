"""``python -m reqflow.serve``: the embedded single-process server used by ``make run``.

It serves through Werkzeug's threaded WSGI server (Socket.IO in ``threading`` mode, WebSockets
by simple-websocket), started directly with ``make_server``: Flask-SocketIO's ``run()`` and
``app.run()`` would greet with "Werkzeug appears to be used in a production deployment" /
"This is a development server", which misleads here. Why Werkzeug stays for this mode (and
not gevent): docs/DEPLOYMENT.md, "The embedded default's server"."""

from __future__ import annotations

import argparse
import logging

from werkzeug.serving import make_server

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
    # Flask-SocketIO wrapped app.wsgi_app at init: this is what its run() serves in threading
    # mode (app.run(threaded=True)), without the banners.
    server = make_server(args.host, args.port, app, threaded=True)
    logging.getLogger("reqflow").info(
        "ReqFlow embedded default on http://%s:%s (one process, SQLite; for many users run the "
        "compose stack, docs/DEPLOYMENT.md)",
        args.host,
        server.server_port,
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
