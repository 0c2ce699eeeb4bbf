#!/usr/bin/env bash
# Runs the API integration tests against build/psea (or $PSEA_BINARY).
#   tests/integration/run.sh [sqlite|postgres]
# postgres needs PSEA_TEST_PG_URL (libpq URL of an admin database of a throwaway cluster,
# e.g. from scripts/pg-cluster.sh start DIR).
set -euo pipefail
engine="${1:-sqlite}"
case "$engine" in
  sqlite|postgres) ;;
  *) echo "usage: $0 [sqlite|postgres]" >&2; exit 2 ;;
esac
if [[ "$engine" == postgres && -z "${PSEA_TEST_PG_URL:-}" ]]; then
  echo "PSEA_TEST_PG_URL is not set: skipping the PostgreSQL run (scripts/test sets it)" >&2
  exit 77
fi
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# The harness checks every answer against docs/openapi.json with Ajv (tests/package.json).
if [[ ! -d tests/node_modules/ajv && "${PSEA_TEST_OPENAPI:-1}" != 0 ]]; then
  echo "tests/node_modules is missing: run 'npm ci' in tests/ (scripts/test does)" >&2
  exit 1
fi
export PSEA_TEST_ENGINE="$engine"
# Four files at a time: most of a run is waiting (the next 30-second TOTP step, session
# timeouts), not work. Each file starts its own server on port 0 with its own temporary folder
# and database, so a new test file must share nothing with the others either (no fixed port,
# no fixed path, no global state in the database it did not create).
exec node --test --test-concurrency="${PSEA_API_TEST_CONCURRENCY:-4}" tests/integration/
