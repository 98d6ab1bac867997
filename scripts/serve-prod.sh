#!/usr/bin/env bash
# ReqFlow's production process model on one host, from the project's virtualenv:
# migrations, then the API (gunicorn gthread pool), Socket.IO (one gevent gunicorn), a Celery
# worker for `events`, one for `email,bulk`, and beat. NGINX in front routes /api/ to API_BIND
# and /socket.io/ to SOCKETIO_BIND (nginx/conf.d/upstream.conf). Stops them all on Ctrl-C or
# SIGTERM. Needs DATABASE_URL (PostgreSQL), REDIS_URL, SECRET_KEY and JWT_SECRET_KEY.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-$ROOT/.venv}

for name in DATABASE_URL REDIS_URL SECRET_KEY JWT_SECRET_KEY; do
  if [ -z "${!name:-}" ]; then
    echo "serve-prod: set $name (see .env.example and README, 'Production deployment')" >&2
    exit 2
  fi
done
export EVENT_DISPATCH=${EVENT_DISPATCH:-celery} JOBS_BACKEND=${JOBS_BACKEND:-celery}
API_BIND=${API_BIND:-127.0.0.1:5000}
SOCKETIO_BIND=${SOCKETIO_BIND:-127.0.0.1:5100}

"$VENV/bin/flask" --app reqflow:create_app db upgrade

pids=()
stop() {
  trap - INT TERM EXIT
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

cd "$ROOT/backend"
BIND=$API_BIND "$VENV/bin/gunicorn" -c gunicorn.conf.py wsgi:app & pids+=($!)
BIND=$SOCKETIO_BIND "$VENV/bin/gunicorn" -c gunicorn.socketio.conf.py wsgi:app & pids+=($!)
celery=("$VENV/bin/celery" -A reqflow.worker:celery)
"${celery[@]}" worker -Q events -n "events@%h" -c "${EVENTS_CONCURRENCY:-2}" -l WARNING & pids+=($!)
"${celery[@]}" worker -Q email,bulk -n "jobs@%h" -c "${JOBS_CONCURRENCY:-2}" -l WARNING & pids+=($!)
"${celery[@]}" beat -l WARNING --schedule "${BEAT_SCHEDULE:-/tmp/reqflow-beat-schedule}" & pids+=($!)

# One of them ending ends the whole set: a half-running stack is worse than a stopped one.
wait -n "${pids[@]}"
status=$?
echo "serve-prod: a process exited ($status); stopping the others" >&2
exit "$status"
