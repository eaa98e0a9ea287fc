#!/usr/bin/env bash
# `make run`: the development server with one background-job worker beside it (django-tasks'
# `db_worker`, which runs large imports and exports). The worker starts first, in a session of its
# own, and is stopped with everything it started when the server stops (Ctrl+C) or this script
# ends for any other reason. Both reload themselves when the code changes (DEBUG).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

setsid "$PY" manage.py db_worker --queue-name default &
worker=$!
stop_worker() {
  kill -TERM -- "-$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'exit 130' INT TERM

echo "Background-job worker started (process $worker); it stops with the server."
"$PY" manage.py runserver "$HOST:$PORT"
