import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pingBody } from "./test-helpers";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

/** Starts the CLI and resolves with its URL once it prints the startup line. */
function startCli(args: string[]): Promise<{ url: string; lines: string; stop: () => void }> {
  const child = spawn(tsx, ["src/main.ts", ...args], { cwd: appDir, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  return new Promise((resolve, reject) => {
    // tsx compiles the CLI first: seconds on a quiet machine, a minute or more on a busy one.
    const timer = setTimeout(() => reject(new Error(`CLI did not start: ${out}`)), 150_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1] && out.includes("stats at")) {
        clearTimeout(timer);
        resolve({ url: m[1], lines: out, stop: () => child.kill("SIGTERM") });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`CLI exited ${code}: ${out}`)));
  });
}

describe("CLI", () => {
  it("starts N generated networks with the given latency and prints its URL", async () => {
    const cli = await startCli(["--port", "0", "--networks", "3", "--latency", "0"]);
    try {
      expect(cli.lines).toContain("3 networks");
      const res = await fetch(`${cli.url}/networks/bench-002/ping`, {
        method: "POST",
        body: JSON.stringify(pingBody()),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { bid: number }).bid).toBeGreaterThanOrEqual(5);
    } finally {
      cli.stop();
    }
  }, 300_000);

  it("starts the demo config by default and exits 1 on a bad flag", async () => {
    const cli = await startCli(["--port", "0"]);
    cli.stop();
    expect(cli.lines).toContain("10 networks");
    expect(cli.lines).toContain("5 contractors");
    await expect(startCli(["--latency", "fast"])).rejects.toThrow(/exited 1.*MIN-MAX/s);
  }, 300_000);
});
