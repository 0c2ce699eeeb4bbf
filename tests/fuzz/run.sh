#!/usr/bin/env bash
# A bounded libFuzzer run: tests/fuzz/run.sh FUZZER SEED_CORPUS SECONDS
# New inputs go to a temporary corpus; the seeds in the repository are never modified.
# A crash leaves its input in build/fuzz-crashes/ and fails the run.
set -euo pipefail
fuzzer="$1" seeds="$2" seconds="$3"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
crashes="$(pwd)/fuzz-crashes"
mkdir -p "$crashes"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$crashes/" "$work" "$seeds"
