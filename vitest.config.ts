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
    // A worker runs its files one after another in one module graph instead of loading the
    // workspace again for each file: on a slow 2-core machine loading was 304 of the 633 s the
    // files spent, and vitest's wall time fell from 347 s to 160-194 s. No test file uses vi.mock,
    // state that must not carry over lives per database or per test, and PostgreSQL's connections
    // fall back to 2-4 between files. What a file leaves running outlives it, though: a test that
    // starts pg-boss stops it with `graceful: true`, so that no job completes after the file has
    // dropped its database (one did, and its unhandled rejection failed a run).
    isolate: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
    maxWorkers: 3,
  },
});
