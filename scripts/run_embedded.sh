#!/usr/bin/env bash
# Web + Celery worker + beat on embedded defaults: SQLite database, Celery's broker on a
# SQLite file (Kombu's SQLAlchemy transport), no Redis, no Docker. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
export FLASK_APP=wsgi.py
mkdir -p "${NASTAVNIK_INSTANCE_DIR:-instance}"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

$BIN/celery -A make_celery worker --loglevel=INFO --concurrency=1 --without-gossip --without-mingle &
pids+=($!)
$BIN/celery -A make_celery beat --loglevel=INFO &
pids+=($!)
$BIN/flask run --host "$HOST" --port "$PORT" &
pids+=($!)

sleep 3
echo
echo "Nastavnik is running: http://$HOST:$PORT/"
$BIN/flask demo load
echo "Press Ctrl-C to stop web, worker and beat."
wait -n "${pids[@]}"
