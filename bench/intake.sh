#!/usr/bin/env bash
# The intake benchmark (docs/performance.md): anonymous public reports POSTed to /report by wrk
# on loopback (bench/report_post.lua), on a Release server with encryption on (every report
# sealed for the intake readers, a receipt hashed with Argon2id) and SQLite in WAL with
# synchronous=FULL, so that each 201 is on disk before the receipt code is sent. After the run
# the server is killed with SIGKILL and the complaints in the database are counted: at least
# as many as 201 answers, or the run fails.
#
#   bench/intake.sh                        SQLite
#   PSEA_BENCH_PG_URL=cluster bench/intake.sh   and PostgreSQL (a throwaway cluster)
#
# Settings: PSEA_BINARY (default build-bench/psea, else build/psea), PSEA_BENCH_DURATION (20s),
# PSEA_BENCH_CONNECTIONS (16: reporters submitting at the same moment; with 64 the queue alone
# makes p99 about 64 / rate). Target: at least 1,000 reports/s with p99 under 50 ms on SQLite.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PSEA="${PSEA_BINARY:-}"
if [ -z "$PSEA" ]; then
  if [ -x "$ROOT/build-bench/psea" ]; then PSEA="$ROOT/build-bench/psea"; else PSEA="$ROOT/build/psea"; fi
fi
DURATION="${PSEA_BENCH_DURATION:-20s}"
CONNECTIONS="${PSEA_BENCH_CONNECTIONS:-16}"
PG_URL="${PSEA_BENCH_PG_URL:-}"
# A fresh password each run, from the kernel's random source (never a fixed one in the repo).
PASSWORD="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
WORK=$(mktemp -d /tmp/psea-intake-bench.XXXXXX)
chmod 755 "$WORK"
SERVER_PID=""
PG_DIR=""
PG_DB=""

cleanup() {
  [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  if [ -n "$PG_DB" ] && [ -n "$PG_URL" ]; then
    psql "$PG_URL" -q -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  [ -n "$PG_DIR" ] && "$ROOT/scripts/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
command -v sqlite3 >/dev/null || { echo "installing sqlite3"; apt-get install -y -qq sqlite3 >/dev/null; }
[ -x "$PSEA" ] || { echo "no psea binary at $PSEA: build first" >&2; exit 1; }

if [ "$PG_URL" = "cluster" ]; then
  PG_DIR=$(mktemp -d /tmp/psea-intake-bench-pg.XXXXXX) && rmdir "$PG_DIR"
  PG_URL=$("$ROOT/scripts/pg-cluster.sh" start "$PG_DIR")
fi

count_complaints() {
  local db="$1"
  if [[ "$db" == sqlite:* ]]; then
    sqlite3 "${db#sqlite:}" "SELECT COUNT(*) FROM intake_complaints"
  else
    psql "$db" -A -t -q -c "SELECT COUNT(*) FROM intake_complaints"
  fi
}

# measure NAME DB_URL
measure() {
  local name="$1" db="$2" dir="$WORK/$1"
  mkdir -p "$dir"
  # Real Argon2id cost for the users' keys; the receipt hash has its own fixed cost.
  # Only migrate (and demo) create a database; generate fills one.
  timeout 120 "$PSEA" migrate --db "$db" --data-dir "$dir/data" >/dev/null
  echo "$PASSWORD" | PSEA_ARGON2_PROFILE=fast timeout 900 "$PSEA" generate --db "$db" \
    --data-dir "$dir/data" --users-per-role 2 --plan-goals 1 --plan-activities 1 \
    --plan-years 1 --password-stdin >/dev/null
  "$PSEA" serve --db "$db" --data-dir "$dir/data" --listen 127.0.0.1:0 --port-file "$dir/port" \
    --threads 2 --log-level warn --public-reports-per-hour 1000000 >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
  local port before after
  port=$(cat "$dir/port")
  before=$(count_complaints "$db")
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/report_post.lua" \
    "http://127.0.0.1:$port" >"$dir/wrk.txt"
  # The process dies as in a power loss of the process (not of the machine): whatever it
  # answered 201 for must be in the database.
  kill -9 "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  after=$(count_complaints "$db")
  local requests errors rps p50 p99 non2xx acknowledged
  requests=$(awk '$1 == "requests" {print $2}' "$dir/wrk.txt")
  errors=$(awk '$1 == "errors" {print $2}' "$dir/wrk.txt")
  rps=$(awk '$1 == "per_second" {print $2}' "$dir/wrk.txt")
  p50=$(awk '$1 == "latency_p50_ms" {print $2}' "$dir/wrk.txt")
  p99=$(awk '$1 == "latency_p99_ms" {print $2}' "$dir/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $4}' "$dir/wrk.txt")
  acknowledged=$((requests - ${non2xx:-0}))
  local stored=$((after - before))
  printf '%-9s %8s reports/s  p50 %6s ms  p99 %6s ms  answered %7s  errors %s  stored after SIGKILL %7s  %s\n' \
    "$name" "$rps" "$p50" "$p99" "$acknowledged" "$errors" "$stored" \
    "$([ "$stored" -ge "$acknowledged" ] && echo ok || echo LOST)"
  [ "$stored" -ge "$acknowledged" ]
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t2 -c$CONNECTIONS -d$DURATION, POST /report (bench/report_post.lua); server --threads 2"
measure sqlite "sqlite:$WORK/sqlite.db"
if [ -n "$PG_URL" ]; then
  PG_DB="psea_intake_bench_$$"
  psql "$PG_URL" -q -c "CREATE DATABASE $PG_DB" >/dev/null
  measure postgres "${PG_URL%/*}/$PG_DB"
fi
