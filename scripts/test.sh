#!/usr/bin/env bash
# The whole suite: typecheck, lint, unit + integration tests on real PostgreSQL, browser tests in
# Debian's Chromium. Exits non-zero on any failure. Run through `npm test` (which installs first).
set -uo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
PNPM="node scripts/pnpm.mjs"
mkdir -p .data/test-results
started=$(date +%s)

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

step "PostgreSQL for the integration tests"
bash scripts/ensure-postgres.sh || exit 1

step "Chromium for the browser tests"
bash scripts/ensure-chromium.sh || exit 1

step "Typecheck"
$PNPM run typecheck || fail "typecheck"

step "Lint"
$PNPM run lint || fail "lint"

step "Format (Prettier; \`npm run format\` rewrites what it lists)"
$PNPM exec prettier --check --log-level=warn . || fail "format"

step "Unit and integration tests (vitest)"
vitest_ok=0
# The process proofs (tooling/src/proofs: SIGKILLed servers, four processes on one database)
# start real server processes with their own connection pools; run beside the other files they
# would take PostgreSQL past its 100 connections, so they run afterwards, one file at a time.
$PNPM exec vitest run --exclude 'tooling/src/proofs/**' --reporter=default --reporter=json --outputFile.json=.data/test-results/vitest.json || vitest_ok=1

step "Process proofs: crash safety, faulty peers, several processes (vitest, one file at a time)"
$PNPM exec vitest run tooling/src/proofs/ --no-file-parallelism --reporter=default --reporter=json --outputFile.json=.data/test-results/vitest-proofs.json || vitest_ok=1

step "Build the dashboard"
$PNPM --filter @leadflow/dashboard build >/dev/null || fail "dashboard build"

step "Browser tests (Playwright on Chromium)"
e2e_ok=0
PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/.data/test-results/playwright.json" \
  $PNPM --filter @leadflow/e2e exec playwright test --reporter=list,json || e2e_ok=1

node scripts/summarize-tests.mjs .data/test-results/vitest.json .data/test-results/vitest-proofs.json .data/test-results/playwright.json
printf 'suite time: %ss\n' "$(( $(date +%s) - started ))"
[ $vitest_ok -eq 0 ] || fail "vitest"
[ $e2e_ok -eq 0 ] || fail "playwright"
exit 0
