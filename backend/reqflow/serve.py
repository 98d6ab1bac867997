"""``python -m reqflow.serve``: the embedded single-process server used by ``make run``."""

from __future__ import annotations

import argparse

from reqflow import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description="Run ReqFlow (embedded default).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    app = create_app({"EVENT_DISPATCH": "thread"})
    app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
