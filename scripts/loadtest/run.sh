#!/usr/bin/env bash
# The load run (BENCHMARKS.md, "Load run"): Liaison under gunicorn on PostgreSQL with 10,000 demo
# people; 20 logged-in users browse the person list, search, open people and use the candidate
# finder for 60 seconds, from a load client on loopback. Passes with 0 errors and p95 <= 800 ms.
#
#   scripts/loadtest/run.sh                      # the documented run
#   USERS=20 DURATION=60 THINK=0,0 scripts/loadtest/run.sh   # no pauses: the throughput ceiling
#
# Settings (environment): DATABASE_URL (a PostgreSQL database of its own; default
# postgres://postgres@127.0.0.1:5432/liaison_load, created when missing), PEOPLE (10000), USERS (20),
# DURATION (60 s), THINK ("2,8": seconds a user reads before the next click, uniform), WORKERS (3), THREADS (4),
# PORT (8765), OUT (where the results go; default /tmp/liaison-loadtest).
set -euo pipefail
cd "$(dirname "$0")/../.."

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/liaison_load}"
case "$DATABASE_URL" in
    postgres://*|postgresql://*) ;;
    *) echo "The load run needs PostgreSQL (DATABASE_URL=postgres://…)." >&2; exit 2 ;;
esac
PEOPLE="${PEOPLE:-10000}"
USERS="${USERS:-20}"
DURATION="${DURATION:-60}"
THINK="${THINK:-2,8}"
WORKERS="${WORKERS:-3}"
THREADS="${THREADS:-4}"
PORT="${PORT:-8765}"
OUT="${OUT:-/tmp/liaison-loadtest}"
PYTHON=.venv/bin/python
mkdir -p "$OUT"

# Production settings on plain HTTP over loopback: no HTTPS redirect, no HSTS.
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$($PYTHON -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=false
export DJANGO_SECURE_HSTS_SECONDS=0

database="${DATABASE_URL##*/}"
server="${DATABASE_URL%/*}"
if ! psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    psql "$server/postgres" -qc "CREATE DATABASE \"$database\""
fi

$PYTHON scripts/loadtest/prepare.py --people "$PEOPLE" --users "$USERS" --plan "$OUT/plan.json"

.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --worker-class gthread --threads "$THREADS" --keep-alive 30 --error-logfile "$OUT/gunicorn.log" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 60); do
    if $PYTHON -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/admin/login/', timeout=2)" 2>/dev/null; then
        break
    fi
    sleep 0.5
done

echo "gunicorn: $WORKERS workers × $THREADS threads on 127.0.0.1:$PORT; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
$PYTHON scripts/loadtest/loadclient.py --plan "$OUT/plan.json" --port "$PORT" --users "$USERS" \
    --duration "$DURATION" --think "$THINK" --json "$OUT/summary.json"
