#!/usr/bin/env bash
# Regenerates SQL migrations from the schema. Several people may work at once, so it takes a lock.
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/leadflow-db-generate.lock
flock 9
npx drizzle-kit generate "$@"
