"""gunicorn settings for the ReqFlow Socket.IO process: ONE gevent worker.

Socket.IO clients open a WebSocket first and fall back to long-polling; every polling request
of a session must reach the process that holds it. Within one gunicorn nothing can route a
request to a given worker, so this process runs exactly one worker, and several such processes
sit behind NGINX's ``ip_hash`` (conf.d/upstream.conf). They share rooms through the Redis
message queue, where the API processes and the Celery workers publish their pushes.

One gevent worker holds thousands of idle connections but uses one core; the REST API runs
apart (``gunicorn.conf.py``) so its CPU work never delays a push.

Run: ``gunicorn --config backend/gunicorn.socketio.conf.py --chdir backend wsgi:app``.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gunicorn_common as common  # noqa: E402 - found next to this file

# Flask-SocketIO must match the worker class; events go to Celery workers in production.
os.environ["SOCKETIO_ASYNC_MODE"] = "gevent"
os.environ.setdefault("EVENT_DISPATCH", "celery")
# gunicorn writes the one access line per request (with the app's user and route in it).
os.environ.setdefault("APP_ACCESS_LOG", "0")

# --- server ------------------------------------------------------------------------------
bind = common.bind()
worker_class = "gevent"
workers = 1  # never more: see the module docstring (WEB_CONCURRENCY is ignored here)
worker_connections = 2000  # greenlets per worker: open Socket.IO connections + in-flight requests
timeout = 60  # a worker whose event loop is blocked this long is killed and replaced
graceful_timeout = 30  # on SIGTERM: finish in-flight requests for up to 30 s
keepalive = 5
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
control_socket_disable, _socket_path = common.control_socket()
if _socket_path:
    control_socket = _socket_path
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One worker: its own registry is complete; never share an API gunicorn's metric files.
common.single_process_metrics()

# --- logging: JSON lines, shared with the API config -----------------------------------------
accesslog = "-"
errorlog = "-"
loglevel = common.log_level()
logger_class = common.JsonLogger


# --- hooks -------------------------------------------------------------------------------
def post_fork(server, worker) -> None:
    """Make psycopg2 yield to the gevent loop instead of blocking the whole worker on I/O."""
    from psycogreen.gevent import patch_psycopg

    patch_psycopg()
    server.log.info("psycopg2 patched for gevent (worker pid %s)", worker.pid)
