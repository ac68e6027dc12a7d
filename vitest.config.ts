import { defineConfig } from "vitest/config";

// One run for unit and integration tests. Integration tests make their own PostgreSQL database
// per file (packages/db/src/testing.ts), so files run in parallel.
//
// The suite must pass on a busy machine (scripts/test-under-load.sh runs it beside two CPU hogs):
// no test asserts how long something took (benchmarks do), and the time limits are for catching a
// hung test, not a slow one. A test that is slow by nature (a database per file, PGlite's initdb,
// pg-boss, thousands of generated cases) sets its own larger limit.
export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/{server,buyer-sim}/src/**/*.test.ts", "tooling/src/**/*.test.ts"],
    setupFiles: ["./vitest.setup.ts"],
    pool: "forks",
    testTimeout: 90_000,
    hookTimeout: 180_000,
    maxWorkers: 3,
  },
});
