"""gunicorn settings for the ReqFlow REST API: a pool of threaded worker processes, one per core.

The API is stateless (JWT, PostgreSQL, Redis), so any worker of any API process may answer any
request: NGINX balances them with ``least_conn`` over keep-alive connections. Socket.IO is NOT
served here: it runs in its own gevent process (``gunicorn.socketio.conf.py``), and this
process's pushes reach it through the Redis message queue (Flask-SocketIO ``message_queue``).

Why ``gthread`` (measured in docs/DEPLOYMENT.md, "Process model"): a request is mostly Python
CPU plus a few short PostgreSQL round trips, so one process per core uses every core, and a
few threads per process keep a core busy while a thread waits on PostgreSQL or Redis. Unlike
``sync`` it keeps NGINX's upstream connections alive; unlike ``gevent`` it needs no
monkey-patching of psycopg2 and no cooperative scheduling of CPU-bound work.

Run: ``gunicorn --config backend/gunicorn.conf.py --chdir backend wsgi:app`` (the image does
this in /app).
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gunicorn_common as common  # noqa: E402 - found next to this file

# Flask-SocketIO must match the worker class: plain threads here (it only emits, through Redis).
os.environ["SOCKETIO_ASYNC_MODE"] = "threading"
# Committed domain events go to the Celery `events` queue, not into the request.
os.environ.setdefault("EVENT_DISPATCH", "celery")
# gunicorn writes the one access line per request (with the app's user and route in it).
os.environ.setdefault("APP_ACCESS_LOG", "0")

# --- server ------------------------------------------------------------------------------
bind = common.bind()
worker_class = "gthread"
# WEB_CONCURRENCY is gunicorn's own variable: worker processes, default one per core.
workers = common.env_int("WEB_CONCURRENCY", common.cores())
# Threads per worker: enough to overlap PostgreSQL/Redis waits, few enough that the GIL and
# DB_POOL_SIZE (>= WEB_THREADS) are not the bottleneck.
threads = common.env_int("WEB_THREADS", 4)
timeout = 60  # a worker that does not report in this long is killed and replaced
graceful_timeout = 30  # on SIGTERM: finish in-flight requests for up to 30 s
keepalive = 5  # NGINX keeps upstream connections idle for less (keepalive_timeout 4s)
# No max_requests: every recycled worker would leave its counter files in the Prometheus
# multiprocess directory, and scrapes would slow down as they pile up.
# The heartbeat file lives in memory: /tmp may be an overlay on slow disk in containers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
control_socket_disable, _socket_path = common.control_socket()
if _socket_path:
    control_socket = _socket_path

# X-Forwarded-Proto is honoured only from these peers.  In compose the backend port is not
# published, so only NGINX (and Prometheus) can reach it and FORWARDED_ALLOW_IPS="*" is set.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- metrics: every worker's samples in one /metrics answer ---------------------------------
if workers > 1:
    common.use_multiprocess_metrics()
else:
    common.single_process_metrics()

# --- logging: JSON lines, shared with the Socket.IO config ----------------------------------
accesslog = "-"
errorlog = "-"
loglevel = common.log_level()
logger_class = common.JsonLogger


# --- hooks -------------------------------------------------------------------------------
def on_starting(server) -> None:
    common.clear_multiprocess_dir(server)


def child_exit(server, worker) -> None:
    common.mark_worker_dead(server, worker)


def on_exit(server) -> None:
    common.remove_own_metrics_dir(server)
