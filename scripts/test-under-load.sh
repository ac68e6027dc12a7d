#!/usr/bin/env bash
# The suite beside two CPU hogs (issue 13): the tests must not depend on a quiet machine. Starts
# two busy-looping node processes, runs scripts/test.sh (or, with --vitest, only the unit and
# integration tests), and stops the hogs however the run ends. Exits with the suite's status.
#   bash scripts/test-under-load.sh            # the whole suite, as `npm test` runs it
#   bash scripts/test-under-load.sh --vitest   # unit and integration tests only (vitest)
set -uo pipefail
cd "$(dirname "$0")/.."
hogs=()
stop_hogs() { for p in "${hogs[@]}"; do kill "$p" 2>/dev/null; done; }
trap stop_hogs EXIT
trap 'exit 130' INT TERM
for _ in 1 2; do
  node -e 'for (;;) {}' &
  hogs+=("$!")
done
printf '==> two CPU hogs running beside the tests (pids %s); load average: %s\n' "${hogs[*]}" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
if [ "${1:-}" = "--vitest" ]; then
  export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  node scripts/pnpm.mjs exec vitest run --exclude 'tooling/src/proofs/**'
  status=$?
else
  bash scripts/test.sh
  status=$?
fi
printf '==> load average at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
exit $status
