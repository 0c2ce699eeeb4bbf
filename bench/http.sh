#!/usr/bin/env bash
# psea's HTTP benchmark. Builds Release (build-bench/), then on 127.0.0.1 only measures with wrk:
#   (a) psea GET /healthz                (the request path down to one database read)
#   (b) psea GET /api/v1/auth/me          with a session cookie (session lookup, user read)
#   (c) bench/ceiling_server.cc GET /     (Beast with psea's threading, doing nothing else)
# on a fresh SQLite database, and again (a) and (b) on PostgreSQL when PSEA_BENCH_PG_URL is set.
# It prints for each: requests/s, p99 latency, the server's CPU per request (and PostgreSQL's,
# when it started the cluster) and the share of the CPUs other processes took meanwhile; then the
# ratio (b)/(c), psea's resident memory after start-up and after the load, and whether the
# targets are met.
#
#   bench/http.sh
#
# Settings (environment):
#   PSEA_BENCH_PG_URL         admin URL of a PostgreSQL server on 127.0.0.1, as printed by
#                             `scripts/pg-cluster.sh start DIR`; a database is created in it for
#                             the run and dropped after. "cluster": start a throwaway cluster.
#   PSEA_BENCH_DURATION       wrk duration of each measurement (20s)
#   PSEA_BENCH_CONNECTIONS    wrk connections (64); PSEA_BENCH_WRK_THREADS wrk threads (2)
#   PSEA_BENCH_SERVER_THREADS `psea serve --threads` (2)
#   PSEA_BENCH_USERS_PER_ROLE `psea generate --users-per-role` (20; 0 skips generated users)
#   PSEA_BENCH_MAX_LOAD       wait before each measurement until the 1-minute load average is
#                             below this (0.7), polling every 20 s for at most
#                             PSEA_BENCH_LOAD_WAIT seconds (2400), then measure anyway (flagged)
#   PSEA_BENCH_ATTEMPTS       measurements of a target in all while other processes take more
#                             than 5 % of the CPUs during it (3); the last one is reported
#   PSEA_BENCH_LOG_LEVEL      psea's --log-level (psea's default, info, when unset)
#   PSEA_BENCH_BUILD_DIR      build directory (build-bench); PSEA_BENCH_JOBS ninja -j (1)
#   PSEA_BENCH_SKIP_BUILD=1   use the binaries already in the build directory
#   PSEA_BENCH_RESULTS        where wrk's raw output and the summary go
#                             (BUILD_DIR/bench-results/DATE-TIME)
# Exit status: 0 when every measurement ran cleanly (targets missed or not), 1 otherwise.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly BUILD_DIR="${PSEA_BENCH_BUILD_DIR:-${ROOT}/build-bench}"
readonly JOBS="${PSEA_BENCH_JOBS:-1}"
readonly DURATION="${PSEA_BENCH_DURATION:-20s}"
readonly CONNECTIONS="${PSEA_BENCH_CONNECTIONS:-64}"
readonly WRK_THREADS="${PSEA_BENCH_WRK_THREADS:-2}"
readonly SERVER_THREADS="${PSEA_BENCH_SERVER_THREADS:-2}"
readonly USERS_PER_ROLE="${PSEA_BENCH_USERS_PER_ROLE:-20}"
readonly MAX_LOAD="${PSEA_BENCH_MAX_LOAD:-0.7}"
readonly LOAD_WAIT_SECONDS="${PSEA_BENCH_LOAD_WAIT:-2400}"
readonly LOAD_POLL_SECONDS=20
readonly ATTEMPTS="${PSEA_BENCH_ATTEMPTS:-3}"
readonly PG_URL="${PSEA_BENCH_PG_URL:-}"
readonly RESULTS="${PSEA_BENCH_RESULTS:-${BUILD_DIR}/bench-results/$(date +%Y%m%d-%H%M%S)}"
readonly WARMUP="2s"
readonly BENCH_USER="bench.leader"
# The targets (docs/performance.md).
readonly TARGET_RATIO=0.40
readonly TARGET_P99_MS=10
readonly TARGET_RSS_MB=30
# Above this share of the CPUs taken by other processes during a measurement, it is flagged.
readonly OTHERS_TOLERATED_PERCENT=5

PSEA="${BUILD_DIR}/psea"
CEILING="${BUILD_DIR}/psea_bench_ceiling"
WORK=""
PG_CLUSTER_PARENT=""
PG_DATABASE=""
PG_ADMIN_URL=""
PG_DB_URL=""
PIDS=()
FAILED=0
# One row per measurement, keyed by target (sqlite.healthz, sqlite.me, ceiling, ...).
ORDER=()
declare -A LABEL RPS P99 CPU_US PG_CPU_US NON2XX ERRORS LOAD OTHERS
# The PostgreSQL server's processes, when this script started it: part of the system measured.
POSTGRES_PIDS=()
declare -A RSS_START RSS_AFTER RSS_PEAK

log() { echo "==> $*" >&2; }
die() {
  echo "http.sh: $*" >&2
  exit 1
}

# A shell function, so it must come first: `timeout` runs programs and cannot find it
# (`as_root timeout 600 cmd`, never `timeout 600 as_root cmd`).
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# Ends the servers this script started (by pid), the database or cluster it made, its files.
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_process "${pid}"; done
  if [[ -n "${PG_DATABASE}" ]]; then
    timeout 30 psql "${PG_ADMIN_URL}" -qX -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS ${PG_DATABASE}" >/dev/null 2>&1 || true
  fi
  if [[ -n "${PG_CLUSTER_PARENT}" ]]; then
    timeout 60 "${ROOT}/scripts/pg-cluster.sh" stop "${PG_CLUSTER_PARENT}/cluster" >/dev/null 2>&1 ||
      true
    rm -rf -- "${PG_CLUSTER_PARENT}"
  fi
  if [[ -n "${WORK}" ]]; then rm -rf -- "${WORK}"; fi
}

# SIGTERM, up to 10 s of grace, then SIGKILL.
stop_process() {
  local pid="$1" _
  kill -0 "${pid}" 2>/dev/null || return 0
  kill -TERM "${pid}" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "${pid}" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "${pid}" 2>/dev/null || true
  wait "${pid}" 2>/dev/null || true
}

ensure_wrk() {
  command -v wrk >/dev/null 2>&1 && return 0
  log "installing wrk"
  if ! as_root timeout 600 env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; then
    as_root timeout 600 env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root timeout 600 env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
  fi
  command -v wrk >/dev/null 2>&1 || die "wrk is not installed and apt-get could not install it"
}

build() {
  if [[ "${PSEA_BENCH_SKIP_BUILD:-0}" == 1 ]]; then
    log "using the binaries in ${BUILD_DIR} (PSEA_BENCH_SKIP_BUILD=1)"
  else
    log "building Release in ${BUILD_DIR} (-j${JOBS})"
    local build_log="${RESULTS}/build.log"
    { timeout 600 cmake -S "${ROOT}" -B "${BUILD_DIR}" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DPSEA_BUILD_TESTS=OFF -DPSEA_BUILD_BENCH=ON &&
      timeout 3600 ninja -C "${BUILD_DIR}" psea psea_bench_ceiling -j "${JOBS}"; } >"${build_log}" 2>&1 ||
      die "the build failed: $(tail -n 30 "${build_log}")"
  fi
  [[ -x "${PSEA}" && -x "${CEILING}" ]] || die "no ${PSEA} or ${CEILING}; build them first"
}

# Waits (bounded) until the machine is quiet so that other work does not pollute the figures;
# sets QUIET_LOAD to the load average the measurement starts at ("!" appended when it never
# got below PSEA_BENCH_MAX_LOAD).
wait_for_quiet_machine() {
  local deadline=$((SECONDS + LOAD_WAIT_SECONDS)) load
  while true; do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    if awk -v load="${load}" -v max="${MAX_LOAD}" 'BEGIN { exit !(load < max) }'; then
      QUIET_LOAD="${load}"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      log "the load is still ${load} after ${LOAD_WAIT_SECONDS} s; measuring anyway"
      QUIET_LOAD="${load}!"
      return 0
    fi
    log "load ${load} >= ${MAX_LOAD}; waiting ${LOAD_POLL_SECONDS} s for a quiet machine"
    sleep "${LOAD_POLL_SECONDS}"
  done
}

# Waits for a server's --port-file and prints the port.
wait_for_port_file() {
  local file="$1" pid="$2" _
  for _ in $(seq 1 300); do
    if [[ -s "${file}" ]]; then
      cat "${file}"
      return 0
    fi
    kill -0 "${pid}" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

rss_mib() { awk -v key="$2:" '$1 == key { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# User plus system CPU time of the given processes and of their direct children, in clock
# ticks. The command name in field 2 of /proc/PID/stat may hold spaces, so count fields after
# its closing parenthesis.
process_ticks() {
  local pid ticks total=0 children=""
  if [[ $# -gt 0 ]]; then children="$(ps -o pid= --ppid "$(IFS=,; echo "$*")" 2>/dev/null || true)"; fi
  # shellcheck disable=SC2086 # one pid a word
  for pid in "$@" ${children}; do
    ticks="$(sed 's/.*) //' "/proc/${pid}/stat" 2>/dev/null | awk '{ print $12 + $13 }')"
    total=$((total + ${ticks:-0}))
  done
  echo "${total}"
}

# Prints the busy (user, nice, system) and the total clock ticks of all CPUs.
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

# Prints an HTTP status code (000 when there is no answer).
http_status() {
  curl -sS --max-time 10 -o "${WORK}/last-body" -w '%{http_code}' "$@" || echo "000"
}

# new_session BASE_URL: logs BENCH_USER in, checks that GET /api/v1/auth/me answers 200 with
# the cookie, and prints the cookie's value.
new_session() {
  local base="$1" status session
  status="$(curl -sS --max-time 30 -o "${WORK}/login-body" -D "${WORK}/login-headers" \
    -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @- \
    "${base}/api/v1/auth/login" \
    <<<"{\"username\":\"${BENCH_USER}\",\"password\":\"${PASSWORD}\"}")" || status="000"
  [[ "${status}" == 200 ]] || die "login answered ${status}: $(cat "${WORK}/login-body" 2>/dev/null)"
  session="$(sed -n 's/^[Ss]et-[Cc]ookie: psea_session=\([^;]*\).*/\1/p' "${WORK}/login-headers" |
    tr -d '\r')"
  [[ -n "${session}" ]] || die "the login set no psea_session cookie"
  status="$(http_status -H "Cookie: psea_session=${session}" "${base}/api/v1/auth/me")"
  if [[ "${status}" != 200 ]] || ! grep -q "\"${BENCH_USER}\"" "${WORK}/last-body"; then
    die "GET /api/v1/auth/me with the cookie answered ${status}: $(cat "${WORK}/last-body")"
  fi
  echo "${session}"
}

# measure KEY LABEL PID URL [LUA_SCRIPT]: waits for a quiet machine, then run_wrk; measures
# again (PSEA_BENCH_ATTEMPTS times in all, at most) while other processes pollute it. With the
# cookie script it logs in first, after the wait, so that no wait outlasts the session.
measure() {
  local key="$1" url="$4" script="${5:-}" attempt session
  for ((attempt = 1; attempt <= ATTEMPTS; ++attempt)); do
    wait_for_quiet_machine
    if [[ -n "${script}" ]]; then
      session="$(new_session "${url%/api/*}")"
      export PSEA_BENCH_SESSION="${session}"
    fi
    run_wrk "$@"
    ((OTHERS[${key}] <= OTHERS_TOLERATED_PERCENT)) && return 0
    if ((attempt < ATTEMPTS)); then log "measuring $2 again"; fi
  done
}

# run_wrk KEY LABEL PID URL [LUA_SCRIPT]: a short warm-up, then the measurement; records a row.
# Besides wrk's figures it records the server's CPU time per request and how much of the
# machine's CPU went to processes other than the server, wrk and (when this script started it)
# PostgreSQL during the measurement: a sign that the figures are polluted.
run_wrk() {
  local key="$1" label="$2" pid="$3" url="$4" script="${5:-}"
  local output="${RESULTS}/${key}.txt" script_args=() seconds before after
  local machine_busy_before machine_total_before machine_busy_after machine_total_after
  local ours_before ours_after wrk_seconds TIMEFORMAT='%3U %3S'
  [[ -n "${script}" ]] && script_args=(-s "${script}")
  log "measuring ${label}: wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${DURATION} --latency ${url}"
  timeout 60 wrk -t"${WRK_THREADS}" -c"${CONNECTIONS}" -d"${WARMUP}" "${script_args[@]}" "${url}" \
    >/dev/null 2>&1 || die "the warm-up of ${label} failed"
  seconds="$(awk -v d="${DURATION}" 'BEGIN { n = d + 0; if (d ~ /m$/) n *= 60; print int(n) }')"
  read -r machine_busy_before machine_total_before < <(machine_ticks)
  ours_before="$(process_ticks "${POSTGRES_PIDS[@]}")"
  before="$(process_ticks "${pid}")"
  { time timeout $((seconds + 60)) wrk -t"${WRK_THREADS}" -c"${CONNECTIONS}" -d"${DURATION}" \
    --latency --timeout 5s "${script_args[@]}" "${url}" >"${output}" 2>&1; } 2>"${WORK}/wrk-time" ||
    die "wrk failed on ${label}: $(cat "${output}")"
  after="$(process_ticks "${pid}")"
  ours_after="$(process_ticks "${POSTGRES_PIDS[@]}")"
  read -r machine_busy_after machine_total_after < <(machine_ticks)
  wrk_seconds="$(awk '{ print $1 + $2 }' "${WORK}/wrk-time")"

  local parsed
  parsed="$(awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    -v machine_busy=$((machine_busy_after - machine_busy_before)) \
    -v machine_total=$((machine_total_after - machine_total_before)) \
    -v postgres=$((ours_after - ours_before)) -v wrk_seconds="${wrk_seconds}" '
    function ms(value) {
      if (value ~ /us$/) return value / 1000
      if (value ~ /ms$/) return value + 0
      if (value ~ /m$/) return value * 60000
      if (value ~ /s$/) return value * 1000
      return value + 0
    }
    /Requests\/sec:/ { rps = $2 }
    /^ *99%/ { p99 = ms($2) }
    / requests in / { requests = $1 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { for (i = 1; i <= NF; ++i) if ($i ~ /^[0-9]+,?$/) errors += $i }
    END {
      cpu = requests > 0 ? ticks / hz * 1e6 / requests : 0
      others = machine_busy - ticks - postgres - wrk_seconds * hz
      others = machine_total > 0 && others > 0 ? 100 * others / machine_total : 0
      postgres_cpu = requests > 0 ? postgres / hz * 1e6 / requests : 0
      printf "%.0f %.2f %.0f %d %d %.0f %.0f\n", rps, p99, cpu, non2xx, errors, others, postgres_cpu
    }' "${output}")"
  local rps p99 cpu_us non2xx errors others postgres_cpu_us
  read -r rps p99 cpu_us non2xx errors others postgres_cpu_us <<<"${parsed}"
  LABEL["${key}"]="${label}"
  RPS["${key}"]="${rps}"
  P99["${key}"]="${p99}"
  CPU_US["${key}"]="${cpu_us}"
  PG_CPU_US["${key}"]="-"
  if ((${#POSTGRES_PIDS[@]} > 0)); then PG_CPU_US["${key}"]="${postgres_cpu_us}"; fi
  NON2XX["${key}"]="${non2xx}"
  ERRORS["${key}"]="${errors}"
  LOAD["${key}"]="${QUIET_LOAD}"
  OTHERS["${key}"]="${others}"
  [[ " ${ORDER[*]} " == *" ${key} "* ]] || ORDER+=("${key}")
  if ((others > OTHERS_TOLERATED_PERCENT)); then
    log "${label}: other processes took ${others}% of the CPUs during the measurement; its figures are polluted"
  fi
  if ((non2xx > 0 || errors > 0)); then
    log "${label}: ${non2xx} answers not 2xx/3xx, ${errors} socket errors; see ${output}"
    FAILED=1
  fi
}

start_ceiling() {
  log "starting the ceiling server"
  "${CEILING}" --port 0 --port-file "${WORK}/ceiling.port" >"${WORK}/ceiling.log" 2>&1 &
  CEILING_PID=$!
  PIDS+=("${CEILING_PID}")
  CEILING_PORT="$(wait_for_port_file "${WORK}/ceiling.port" "${CEILING_PID}")" ||
    die "the ceiling server did not start: $(cat "${WORK}/ceiling.log")"
  [[ "$(http_status "http://127.0.0.1:${CEILING_PORT}/")" == 200 ]] ||
    die "the ceiling server does not answer GET / with 200"
}

# bench_engine ENGINE DB_URL: a fresh database with the benchmark user (and generated users),
# `psea serve`, then (a) and (b).
bench_engine() {
  local engine="$1" db_url="$2"
  local dir="${WORK}/${engine}"
  mkdir -p "${dir}/data"
  # The real password hashing cost: logins happen once per session, not per request.
  local psea_env=(env PSEA_DB="${db_url}" PSEA_DATA_DIR="${dir}/data" PSEA_ARGON2_PROFILE=interactive)
  [[ -n "${PSEA_BENCH_LOG_LEVEL:-}" ]] && psea_env+=(PSEA_LOG_LEVEL="${PSEA_BENCH_LOG_LEVEL}")

  # Only migrate (and demo) create a database; user add and generate need one.
  (cd "${dir}" && timeout 120 "${psea_env[@]}" "${PSEA}" migrate >/dev/null) ||
    die "psea migrate failed on ${engine}"
  log "${engine}: creating ${BENCH_USER} (role leadership)"
  (cd "${dir}" && timeout 120 "${psea_env[@]}" "${PSEA}" user add --username "${BENCH_USER}" \
    --role leadership --display-name "Benchmark" --password-stdin <<<"${PASSWORD}" >/dev/null) ||
    die "psea user add failed on ${engine}"
  if ((USERS_PER_ROLE > 0)); then
    log "${engine}: psea generate --users-per-role ${USERS_PER_ROLE}"
    (cd "${dir}" && timeout 1800 "${psea_env[@]}" "${PSEA}" generate \
      --users-per-role "${USERS_PER_ROLE}" --password-stdin <<<"${PASSWORD}" >/dev/null) ||
      die "psea generate failed on ${engine}"
  fi

  local web_args=()
  [[ -f "${ROOT}/web/dist/index.html" ]] && web_args=(--web "${ROOT}/web/dist")
  log "${engine}: starting psea serve --threads ${SERVER_THREADS}${web_args[*]:+ (with the web app)}"
  # From ${dir}, so that psea finds no ./web/dist of its own.
  (cd "${dir}" && exec "${psea_env[@]}" "${PSEA}" serve --threads "${SERVER_THREADS}" \
    --listen 127.0.0.1:0 --port-file "${dir}/port" "${web_args[@]}") >"${dir}/serve.log" 2>&1 &
  local pid=$!
  PIDS+=("${pid}")
  local port
  port="$(wait_for_port_file "${dir}/port" "${pid}")" ||
    die "psea serve did not start on ${engine}: $(tail -n 5 "${dir}/serve.log")"
  local base="http://127.0.0.1:${port}"
  [[ "$(http_status "${base}/healthz")" == 200 ]] || die "GET /healthz is not 200 on ${engine}"
  sleep 2
  RSS_START["${engine}"]="$(rss_mib "${pid}" VmRSS)"

  measure "${engine}.healthz" "psea GET /healthz (${engine})" "${pid}" "${base}/healthz"
  measure "${engine}.me" "psea GET /api/v1/auth/me (${engine})" "${pid}" \
    "${base}/api/v1/auth/me" "${ROOT}/bench/auth_get.lua"

  sleep 5  # wrk's connections close; the server goes idle.
  RSS_AFTER["${engine}"]="$(rss_mib "${pid}" VmRSS)"
  RSS_PEAK["${engine}"]="$(rss_mib "${pid}" VmHWM)"
  stop_process "${pid}"
}

# Sets PG_DB_URL to a new, empty database on the PostgreSQL server of PSEA_BENCH_PG_URL.
prepare_postgres() {
  if [[ "${PG_URL}" == cluster ]]; then
    PG_CLUSTER_PARENT="$(mktemp -d /tmp/psea-bench-pg.XXXXXX)"
    chmod 755 "${PG_CLUSTER_PARENT}"  # the cluster's owner (psea-test when root) must get in
    log "starting a throwaway PostgreSQL cluster"
    PG_ADMIN_URL="$(timeout 180 "${ROOT}/scripts/pg-cluster.sh" start "${PG_CLUSTER_PARENT}/cluster")" ||
      die "scripts/pg-cluster.sh could not start a cluster"
    POSTGRES_PIDS=("$(head -n 1 "${PG_CLUSTER_PARENT}/cluster/data/postmaster.pid")")
  else
    PG_ADMIN_URL="${PG_URL}"
  fi
  [[ "${PG_ADMIN_URL}" =~ ^postgres(ql)?://([^/?@]*@)?(127\.0\.0\.1|localhost)(:[0-9]+)?/[^/?]*$ ]] ||
    die "PSEA_BENCH_PG_URL must be postgresql://USER@127.0.0.1:PORT/DB (this benchmark stays on 127.0.0.1)"
  command -v psql >/dev/null 2>&1 || die "psql is needed to create the benchmark database"
  local database
  database="psea_bench_$(date +%s)_$$"
  timeout 30 psql "${PG_ADMIN_URL}" -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE ${database}" \
    >/dev/null || die "cannot create database ${database} with ${PG_ADMIN_URL}"
  PG_DATABASE="${database}"
  PG_DB_URL="${PG_ADMIN_URL%/*}/${database}"
}

print_machine() {
  local commit
  commit="$(git -C "${ROOT}" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [[ -n "$(git -C "${ROOT}" status --porcelain 2>/dev/null)" ]]; then commit+=" (with local changes)"; fi
  echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
    "$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
  echo "psea: ${commit}, Release; psea serve --threads ${SERVER_THREADS}, 1 io thread;" \
    "argon2 interactive; ${USERS_PER_ROLE} generated users per role"
  echo "load: wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${DURATION} --latency (after a ${WARMUP} warm-up)," \
    "each started at a 1-minute load average below ${MAX_LOAD}"
}

# verdict CONDITION: prints "met" or "MISSED" for a numeric condition awk evaluates.
verdict() { awk "BEGIN { print ($1) ? \"met\" : \"MISSED\" }"; }

print_table() {
  local key
  printf '\n%-38s %8s %7s %11s %10s %8s %6s %7s\n' "target" "req/s" "p99 ms" "CPU us/req" \
    "PG us/req" "bad/err" "load" "other%"
  for key in "${ORDER[@]}"; do
    printf '%-38s %8s %7s %11s %10s %8s %6s %7s\n' "${LABEL[${key}]}" "${RPS[${key}]}" \
      "${P99[${key}]}" "${CPU_US[${key}]}" "${PG_CPU_US[${key}]}" \
      "${NON2XX[${key}]}/${ERRORS[${key}]}" "${LOAD[${key}]}" "${OTHERS[${key}]}"
  done
  echo "(CPU us/req: the server process alone. PG us/req: the PostgreSQL processes, when the"
  echo "script started the cluster. bad/err: answers not 2xx/3xx / socket errors. load: 1-minute"
  echo "load average at the start. other%: share of all CPUs that other processes took meanwhile;"
  echo "above ${OTHERS_TOLERATED_PERCENT} the row is polluted.)"
  echo
  local engine
  for engine in sqlite postgres; do
    [[ -n "${RSS_START[${engine}]:-}" ]] || continue
    printf 'psea RSS (%s): %s MiB after start-up, %s MiB idle after the load (peak %s MiB)\n' \
      "${engine}" "${RSS_START[${engine}]}" "${RSS_AFTER[${engine}]}" "${RSS_PEAK[${engine}]}"
  done
  echo
  for engine in sqlite postgres; do
    [[ -n "${RPS[${engine}.me]:-}" ]] || continue
    local ratio
    ratio="$(awk -v me="${RPS[${engine}.me]}" -v top="${RPS[ceiling]}" 'BEGIN { printf "%.2f", me / top }')"
    echo "target ${engine}: auth GET / ceiling = ${ratio} (>= ${TARGET_RATIO}): $(verdict "${ratio} >= ${TARGET_RATIO}")"
    echo "target ${engine}: p99 < ${TARGET_P99_MS} ms: /healthz ${P99[${engine}.healthz]} ms" \
      "$(verdict "${P99[${engine}.healthz]} < ${TARGET_P99_MS}"), /auth/me ${P99[${engine}.me]} ms" \
      "$(verdict "${P99[${engine}.me]} < ${TARGET_P99_MS}")"
    echo "target ${engine}: idle RSS < ${TARGET_RSS_MB} MB: $(verdict "${RSS_START[${engine}]} < ${TARGET_RSS_MB} && ${RSS_AFTER[${engine}]} < ${TARGET_RSS_MB}")"
  done
}

main() {
  if [[ $# -gt 0 ]]; then
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    [[ "$1" == -h || "$1" == --help ]] && exit 0
    exit 2
  fi
  ensure_wrk
  mkdir -p "${RESULTS}"
  build
  WORK="$(mktemp -d /tmp/psea-bench.XXXXXX)"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  PASSWORD="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"

  start_ceiling
  bench_engine sqlite "sqlite:${WORK}/sqlite/psea.db"
  measure ceiling "ceiling GET / (Beast, 1 io thread)" "${CEILING_PID}" \
    "http://127.0.0.1:${CEILING_PORT}/"
  if [[ -n "${PG_URL}" ]]; then
    prepare_postgres
    bench_engine postgres "${PG_DB_URL}"
  fi

  { print_machine; print_table; } | tee "${RESULTS}/summary.txt"
  echo "raw wrk output and this summary: ${RESULTS}"
  return "${FAILED}"
}

main "$@"
