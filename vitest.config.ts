import { defineConfig } from "vitest/config";

// One run for unit and integration tests. Integration tests make their own PostgreSQL database
// per file (packages/db/src/testing.ts), so files run in parallel.
export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/{server,buyer-sim}/src/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 3,
  },
});
