#!/usr/bin/env bash
# The service tracking table over a generated mission (docs/performance.md, issue 13): `psea
# generate --providers 300 --assistance-files 5000 --referrals 40000` on a fresh database (300
# providers through their service, 5,000 files without identity, each with a referral consent
# and 2 to 4 needs, 40,000 referrals over three years, about one active referral in six
# overdue), then bench/assistance.py times, one request at a time on one connection as the
# generated VRA, the table plain, deep in its pages, and with each filter and some together,
# the provider portal and the figures. Target: the table and its filters under 50 ms p50 on
# SQLite and, when PSEA_BENCH_PG_URL is set ("cluster" starts a throwaway one), PostgreSQL.
#
#   nice taskset -c 0,1 bench/assistance.sh      # 2 cores
#
# Settings (environment): PSEA_BINARY (default build-bench/psea, else build/psea),
# PSEA_BENCH_FILES (5000), PSEA_BENCH_PROVIDERS (300), PSEA_BENCH_REFERRALS (40000),
# PSEA_BENCH_REQUESTS (200 per row), PSEA_BENCH_PG_URL.
# Everything listens on 127.0.0.1 only and a trap stops every process the script started.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PSEA="${PSEA_BINARY:-}"
if [ -z "$PSEA" ]; then
  if [ -x "$ROOT/build-bench/psea" ]; then PSEA="$ROOT/build-bench/psea"; else PSEA="$ROOT/build/psea"; fi
fi
FILES="${PSEA_BENCH_FILES:-5000}"
PROVIDERS="${PSEA_BENCH_PROVIDERS:-300}"
REFERRALS="${PSEA_BENCH_REFERRALS:-40000}"
REQUESTS="${PSEA_BENCH_REQUESTS:-200}"
PG_URL="${PSEA_BENCH_PG_URL:-}"
# A fresh password each run, from the kernel's random source (never a fixed one in the repo).
PASSWORD="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
WORK=$(mktemp -d /tmp/psea-assistance-bench.XXXXXX)
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

[ -x "$PSEA" ] || { echo "no psea binary at $PSEA: build first (cmake --build build)" >&2; exit 1; }
export PSEA_ARGON2_PROFILE=fast  # the generated accounts' hashing is not what is measured here

if [ "$PG_URL" = "cluster" ]; then
  PG_DIR=$(mktemp -d /tmp/psea-assistance-pg.XXXXXX) && rmdir "$PG_DIR"
  PG_URL=$("$ROOT/scripts/pg-cluster.sh" start "$PG_DIR")
fi

# measure NAME DB_URL
measure() {
  local name="$1" db="$2" dir="$WORK/$1" started=$SECONDS
  mkdir -p "$dir"
  # Only migrate (and demo) create a database; generate fills one.
  timeout 120 "$PSEA" migrate --db "$db" --data-dir "$dir/data" >/dev/null
  echo "$PASSWORD" | timeout 3600 "$PSEA" generate --db "$db" --data-dir "$dir/data" \
    --users-per-role 2 --providers "$PROVIDERS" --assistance-files "$FILES" \
    --referrals "$REFERRALS" --password-stdin >/dev/null
  echo "$name: generated $PROVIDERS providers, $FILES files, $REFERRALS referrals in $((SECONDS - started)) s"
  if [[ "$db" == postgres* ]]; then psql "$db" -q -c "VACUUM ANALYZE" >/dev/null; fi
  "$PSEA" serve --db "$db" --data-dir "$dir/data" --listen 127.0.0.1:0 --port-file "$dir/port" \
    --threads 2 --log-level warn >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
  PSEA_BENCH_PASSWORD="$PASSWORD" python3 "$ROOT/bench/assistance.py" "$(cat "$dir/port")" \
    "$REQUESTS" | sed "s/^/$name  /"
  kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
measure sqlite "sqlite:$WORK/sqlite.db"
if [ -n "$PG_URL" ]; then
  PG_DB="psea_assistance_bench_$$"
  psql "$PG_URL" -q -c "CREATE DATABASE $PG_DB" >/dev/null
  measure postgres "${PG_URL%/*}/$PG_DB"
fi
