#!/usr/bin/env bash
# The action plan's benchmark (docs/performance.md): a generated plan of 50 goals and 2,000
# activities over 5 years with an entry for every activity and month (120,000 entries), then,
# with one connection so that each figure is the time of one request:
#   (m) GET /api/v1/plans/{id}?year=Y          the matrix JSON
#   (r) GET /api/v1/plans/{id}/report?from=Y-01&to=Y-12   the yearly report JSON
# on SQLite, and on PostgreSQL when PSEA_BENCH_PG_URL is set ("cluster" starts a throwaway
# one). Prints p50 and p99 latency and requests/s; target: p50 under 50 ms for each.
# Repeated reads find the matrix and the report cached against the plan's revision, so each
# engine also gets two rows "after a write" (bench/after_write.py): PSEA_BENCH_AFTER_WRITE (30)
# times, a CDT officer writes a progress entry and the timed GET that follows reads the
# database (nothing cached can serve it).
#
#   bench/plan.sh
#
# Settings (environment): PSEA_BINARY (default build-bench/psea, else build/psea),
# PSEA_BENCH_DURATION (10s), PSEA_BENCH_AFTER_WRITE (30), PSEA_BENCH_PG_URL,
# PSEA_BENCH_MAX_LOAD (1.0): before each row,
# wait until the 1-minute load average is below it, polling every 10 s for at most
# PSEA_BENCH_LOAD_WAIT seconds (300), then measure anyway; each row prints the load it started
# at ("!" when it never got below). Everything listens on 127.0.0.1 only and a trap stops
# every process the script started.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PSEA="${PSEA_BINARY:-}"
if [ -z "$PSEA" ]; then
  if [ -x "$ROOT/build-bench/psea" ]; then PSEA="$ROOT/build-bench/psea"; else PSEA="$ROOT/build/psea"; fi
fi
DURATION="${PSEA_BENCH_DURATION:-10s}"
AFTER_WRITE_COUNT="${PSEA_BENCH_AFTER_WRITE:-30}"
MAX_LOAD="${PSEA_BENCH_MAX_LOAD:-1.0}"
LOAD_WAIT_SECONDS="${PSEA_BENCH_LOAD_WAIT:-300}"
PG_URL="${PSEA_BENCH_PG_URL:-}"
# A fresh password each run, from the kernel's random source (never a fixed one in the repo).
PASSWORD="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
YEAR=2021
WORK=$(mktemp -d /tmp/psea-plan-bench.XXXXXX)
chmod 755 "$WORK"
SERVER_PID=""
PG_DIR=""
PG_DB=""

cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  if [ -n "$PG_DB" ] && [ -n "$PG_URL" ]; then
    psql "$PG_URL" -q -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  [ -n "$PG_DIR" ] && "$ROOT/scripts/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
[ -x "$PSEA" ] || { echo "no psea binary at $PSEA: build first (cmake --build build)" >&2; exit 1; }
export PSEA_ARGON2_PROFILE=fast  # logins happen once; the cost of hashing is not measured here

if [ "$PG_URL" = "cluster" ]; then
  PG_DIR=$(mktemp -d /tmp/psea-plan-bench-pg.XXXXXX) && rmdir "$PG_DIR"
  PG_URL=$("$ROOT/scripts/pg-cluster.sh" start "$PG_DIR")
fi

# Sets QUIET_LOAD to the 1-minute load average once it is below MAX_LOAD, or after
# LOAD_WAIT_SECONDS to the load then, flagged with "!".
wait_for_quiet_machine() {
  local deadline=$((SECONDS + LOAD_WAIT_SECONDS)) load
  while true; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v load="$load" -v max="$MAX_LOAD" 'BEGIN { exit !(load < max) }'; then
      QUIET_LOAD="$load"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      QUIET_LOAD="$load!"
      return 0
    fi
    sleep 10
  done
}

# measure NAME DB_URL
measure() {
  local name="$1" db="$2" dir="$WORK/$1"
  mkdir -p "$dir"
  # Only migrate (and demo) create a database; generate fills one.
  timeout 120 "$PSEA" migrate --db "$db" --data-dir "$dir/data" >/dev/null
  echo "$PASSWORD" | timeout 900 "$PSEA" generate --db "$db" --data-dir "$dir/data" \
    --users-per-role 1 --plan-goals 50 --plan-activities 2000 --plan-years 5 \
    --plan-entry-share 1.0 --password-stdin >/dev/null
  # Autovacuum would visit the freshly loaded tables within a minute or so; until it has, the
  # planner has no statistics and index-only scans visit the heap, which measures the
  # minute after a bulk load rather than the database the users see.
  if [[ "$db" == postgres* ]]; then psql "$db" -q -c "VACUUM ANALYZE" >/dev/null; fi
  "$PSEA" serve --db "$db" --data-dir "$dir/data" --listen 127.0.0.1:0 --port-file "$dir/port" \
    --threads 2 --log-level warn >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
  local port cookie plan
  port=$(cat "$dir/port")
  curl -sf -c "$dir/cookies" -H 'content-type: application/json' \
    -d "{\"username\":\"gen.leadership.1\",\"password\":\"$PASSWORD\"}" \
    "http://127.0.0.1:$port/api/v1/auth/login" >/dev/null
  cookie=$(awk '$6 == "psea_session" {print $7}' "$dir/cookies")
  plan=$(curl -sf -b "psea_session=$cookie" "http://127.0.0.1:$port/api/v1/plans" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["plans"][0]["id"])')
  local matrix="/api/v1/plans/$plan?year=$YEAR"
  local report="/api/v1/plans/$plan/report?from=$YEAR-01&to=$YEAR-12"
  for target in matrix report; do
    local path
    [ "$target" = matrix ] && path="$matrix" || path="$report"
    local bytes
    bytes=$(curl -sf -b "psea_session=$cookie" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port$path")
    wait_for_quiet_machine
    wrk -t1 -c1 -d2s -H "Cookie: psea_session=$cookie" "http://127.0.0.1:$port$path" >/dev/null
    wrk -t1 -c1 -d"$DURATION" --latency -H "Cookie: psea_session=$cookie" \
      "http://127.0.0.1:$port$path" >"$dir/$target.wrk"
    local p50 p99 rps
    p50=$(awk '$1 == "50%" {print $2}' "$dir/$target.wrk")
    p99=$(awk '$1 == "99%" {print $2}' "$dir/$target.wrk")
    rps=$(awk '/Requests\/sec/ {print $2}' "$dir/$target.wrk")
    printf '%-10s %-8s p50 %-9s p99 %-9s %8s req/s  %9s bytes  load %s\n' "$name" "$target" \
      "$p50" "$p99" "$rps" "$bytes" "$QUIET_LOAD"
  done
  wait_for_quiet_machine
  PSEA_BENCH_PASSWORD="$PASSWORD" python3 "$ROOT/bench/after_write.py" "$port" gen.cdt_officer.1 \
    "$plan" "$YEAR" "$AFTER_WRITE_COUNT" >"$dir/after_write.txt"
  while read -r target _ p50 _ p99; do
    printf '%-10s %-8s p50 %-9s p99 %-9s after a write, %s requests     load %s\n' "$name" \
      "$target" "$p50" "$p99" "$AFTER_WRITE_COUNT" "$QUIET_LOAD"
  done <"$dir/after_write.txt"
  kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "plan: 50 goals, 2000 activities, 5 years, 120000 entries; year $YEAR; one connection, $DURATION each"
measure sqlite "sqlite:$WORK/sqlite.db"
if [ -n "$PG_URL" ]; then
  PG_DB="psea_plan_bench_$$"
  psql "$PG_URL" -q -c "CREATE DATABASE $PG_DB" >/dev/null
  measure postgres "${PG_URL%/*}/$PG_DB"
fi
