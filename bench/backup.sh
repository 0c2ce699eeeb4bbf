#!/usr/bin/env bash
# How long the operations commands take on a mission-sized SQLite database: a generated database
# (PSEA_BENCH_COMPLAINTS complaints, default 20,000, with their sealed parts and audit entries) is
# backed up (`psea backup --out`), checked (`psea backup --verify`), looked into
# (`psea restore --dry-run`), restored (`psea restore`), and previewed for retention
# (`psea retention run --dry-run`). Each time is put beside a plain `cp` of the database file
# measured in the same run, and the archive's size beside the database's, so the figures are
# ratios that hold on another machine.
#
#   bench/backup.sh                     # uses build/psea
#
# Settings (environment): PSEA_BINARY (build/psea), PSEA_BENCH_COMPLAINTS (20000),
# PSEA_BENCH_DIR (a temporary folder, removed after).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly PSEA="${PSEA_BINARY:-${ROOT}/build/psea}"
readonly COMPLAINTS="${PSEA_BENCH_COMPLAINTS:-20000}"
WORK="${PSEA_BENCH_DIR:-$(mktemp -d /tmp/psea-bench-backup.XXXXXX)}"
readonly WORK
trap 'rm -rf "$WORK"' EXIT

[[ -x "$PSEA" ]] || { echo "no psea binary at $PSEA (build it, or set PSEA_BINARY)" >&2; exit 1; }
export PSEA_DB="sqlite:${WORK}/psea.db" PSEA_DATA_DIR="${WORK}/data" PSEA_ARGON2_PROFILE=fast \
  PSEA_LOG_LEVEL=warn

# seconds TIME_OF COMMAND...: runs the command, prints its wall time in seconds (3 decimals).
seconds() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }

echo "==> generating ${COMPLAINTS} complaints in ${WORK}"
"$PSEA" migrate >/dev/null
echo "bench-password-not-secret" | "$PSEA" generate --complaints "$COMPLAINTS" --password-stdin >/dev/null

db_bytes=$(stat -c %s "${WORK}/psea.db")
cp_s=$(seconds cp "${WORK}/psea.db" "${WORK}/copy.db")
backup_s=$(seconds "$PSEA" backup --out "${WORK}/backup.tar")
tar_bytes=$(stat -c %s "${WORK}/backup.tar")
verify_s=$(seconds "$PSEA" backup --verify "${WORK}/backup.tar")
dry_s=$(seconds "$PSEA" restore --in "${WORK}/backup.tar" --dry-run)
restore_s=$(seconds "$PSEA" restore --in "${WORK}/backup.tar")
retention_s=$(seconds "$PSEA" retention run --dry-run)

printf '\n%-34s %10s %12s\n' "step (${COMPLAINTS} complaints)" "seconds" "x plain cp"
printf '%-34s %10s %12s\n' "cp of the database file" "$cp_s" "1.0"
printf '%-34s %10s %12s\n' "psea backup --out" "$backup_s" "$(ratio "$backup_s" "$cp_s")"
printf '%-34s %10s %12s\n' "psea backup --verify" "$verify_s" "$(ratio "$verify_s" "$cp_s")"
printf '%-34s %10s %12s\n' "psea restore --dry-run" "$dry_s" "$(ratio "$dry_s" "$cp_s")"
printf '%-34s %10s %12s\n' "psea restore" "$restore_s" "$(ratio "$restore_s" "$cp_s")"
printf '%-34s %10s %12s\n' "psea retention run --dry-run" "$retention_s" "$(ratio "$retention_s" "$cp_s")"
printf '\ndatabase %s bytes, archive %s bytes (x%s)\n' "$db_bytes" "$tar_bytes" "$(ratio "$tar_bytes" "$db_bytes")"
