import { readFileSync } from "node:fs";

/**
 * The node flags apps/server's start script runs the server with (`tsx --flag … src/main.ts`),
 * so a benchmark's server process is the one `pnpm --filter @leadflow/server start` runs.
 */
export function serverNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL("../../../apps/server/package.json", import.meta.url), "utf8")) as {
    scripts: { start: string };
  };
  return pkg.scripts.start.split(/\s+/).filter((t) => t.startsWith("--"));
}
