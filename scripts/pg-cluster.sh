#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests.
#
#   scripts/pg-cluster.sh start DIR   creates a cluster in DIR (which must not exist or be
#                                     empty), starts it on a free port on 127.0.0.1 and
#                                     prints its admin URL on stdout, and nothing else:
#                                       postgresql://psea@127.0.0.1:PORT/postgres
#   scripts/pg-cluster.sh stop DIR    stops it (fast mode) and removes DIR.
#
# The cluster trusts every local connection and trades durability for speed (fsync off):
# never point it at data you care about. PostgreSQL refuses to run as root, so when run
# as root the server runs as the system user psea-test (created when missing).
# Logs: DIR/initdb.log and DIR/server.log. Override the binaries with PG_BIN.
set -euo pipefail

readonly PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
readonly SERVICE_USER="psea-test"
readonly ROLE="psea"
# Written into DIR so that `stop` never removes a directory this script did not create.
readonly MARKER=".psea-pg-cluster"

die() {
  echo "pg-cluster: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start DIR | stop DIR" >&2
  exit 2
}

# Runs a command as the user that owns the cluster.
as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u "${SERVICE_USER}" -- "$@"
  else
    "$@"
  fi
}

ensure_service_user() {
  [[ "$(id -u)" -eq 0 ]] || return 0
  if ! id -u "${SERVICE_USER}" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "${SERVICE_USER}" \
      || die "cannot create the system user ${SERVICE_USER}"
  fi
}

port_in_use() {
  # A successful connect means something listens there.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_cluster() {
  local dir="$1"
  [[ -x "${PG_BIN}/initdb" && -x "${PG_BIN}/pg_ctl" ]] \
    || die "PostgreSQL binaries not found in ${PG_BIN} (install postgresql-15 or set PG_BIN)"
  if [[ -e "${dir}" ]]; then
    [[ -d "${dir}" ]] || die "${dir} exists and is not a directory"
    [[ -z "$(ls -A "${dir}")" ]] || die "${dir} is not empty; choose a new directory"
  fi
  mkdir -p "${dir}"
  dir="$(cd "${dir}" && pwd)"
  touch "${dir}/${MARKER}"
  mkdir -p "${dir}/sock"
  # The Unix socket path (DIR/sock/.s.PGSQL.PORT) must fit in sockaddr_un (107 bytes).
  ((${#dir} <= 80)) || die "${dir} is too long for a Unix socket path; use a shorter DIR"

  ensure_service_user
  if [[ "$(id -u)" -eq 0 ]]; then
    chown -R "${SERVICE_USER}:" "${dir}"
    as_owner test -w "${dir}" \
      || die "${SERVICE_USER} cannot write to ${dir}; pick a DIR whose parents are world-traversable (e.g. under /tmp)"
  fi
  # Keeps initdb and postgres from warning about an unreadable working directory.
  cd "${dir}"

  as_owner "${PG_BIN}/initdb" --pgdata="${dir}/data" --username="${ROLE}" --auth=trust \
    --encoding=UTF8 --locale=C >"${dir}/initdb.log" 2>&1 \
    || die "initdb failed; see ${dir}/initdb.log"

  cat >>"${dir}/data/postgresql.conf" <<EOF

# pg-cluster.sh: a throwaway test cluster.
listen_addresses = '127.0.0.1'
unix_socket_directories = '${dir}/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF

  # Another process may take a port between our check and the server's bind; retry then.
  local port="" _
  for _ in $(seq 1 20); do
    local candidate=$((20000 + RANDOM % 40000))
    port_in_use "${candidate}" && continue
    if as_owner "${PG_BIN}/pg_ctl" start --wait --timeout=60 --pgdata="${dir}/data" \
      --log="${dir}/server.log" --options="-p ${candidate}" >/dev/null 2>&1; then
      port="${candidate}"
      break
    fi
    grep -q "could not bind\|could not create listen socket" "${dir}/server.log" 2>/dev/null \
      || die "the server did not start; see ${dir}/server.log"
  done
  [[ -n "${port}" ]] || die "found no free port after 20 attempts; see ${dir}/server.log"
  echo "${port}" >"${dir}/port"

  local ready=""
  for _ in $(seq 1 100); do
    if "${PG_BIN}/pg_isready" --quiet --host=127.0.0.1 --port="${port}" --username="${ROLE}"; then
      ready=1
      break
    fi
    sleep 0.1
  done
  [[ -n "${ready}" ]] || die "the server on port ${port} is not accepting connections; see ${dir}/server.log"

  echo "postgresql://${ROLE}@127.0.0.1:${port}/postgres"
}

stop_cluster() {
  local dir="$1"
  [[ -d "${dir}" ]] || die "${dir} does not exist"
  [[ -f "${dir}/${MARKER}" ]] || die "${dir} was not created by pg-cluster.sh; not removing it"
  dir="$(cd "${dir}" && pwd)"
  cd "${dir}"
  if [[ -f "${dir}/data/postmaster.pid" ]]; then
    if [[ "$(id -u)" -eq 0 ]]; then
      runuser -u "$(stat -c %U "${dir}/data")" -- "${PG_BIN}/pg_ctl" stop --wait \
        --pgdata="${dir}/data" --mode=fast >/dev/null 2>&1 || true
    else
      "${PG_BIN}/pg_ctl" stop --wait --pgdata="${dir}/data" --mode=fast >/dev/null 2>&1 || true
    fi
    # A pid file left behind by a crashed server is harmless; a live postmaster is not.
    if [[ -f "${dir}/data/postmaster.pid" ]]; then
      local pid
      pid="$(head -n 1 "${dir}/data/postmaster.pid")"
      if [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null; then
        die "the server in ${dir} (pid ${pid}) did not stop; see ${dir}/server.log"
      fi
    fi
  fi
  cd /
  rm -rf -- "${dir}"
}

[[ $# -eq 2 ]] || usage
case "$1" in
  start) start_cluster "$2" ;;
  stop) stop_cluster "$2" ;;
  *) usage ;;
esac
