// Call settings at start: production needs an explicit caller-hash secret; elsewhere one is made
// once and reused; bad thresholds stop the server with a message.
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { callerSecretFile, resolveCallSettings } from "./calls-settings";
import { loadConfig } from "./config";

const log = pino({ level: "silent" });

describe("resolveCallSettings", () => {
  it("refuses to start in production without CALLER_HASH_SECRET, and takes an explicit one", () => {
    const dir = mkdtempSync(join(tmpdir(), "lf-calls-"));
    expect(() => resolveCallSettings(loadConfig({ NODE_ENV: "production", DATA_DIR: join(dir, "pg") }), log)).toThrow(
      /CALLER_HASH_SECRET is required in production/,
    );
    const secret = "s".repeat(40);
    const s = resolveCallSettings(
      loadConfig({ NODE_ENV: "production", CALLER_HASH_SECRET: secret, TWILIO_AUTH_TOKEN: "t".repeat(32) }),
      log,
    );
    expect(s).toMatchObject({
      callerHashSecret: secret,
      authToken: "t".repeat(32),
      thresholds: { billableMinSec: 60, ignoreBelowSec: 30 },
      repeatWindowDays: 7,
    });
    expect(() => loadConfig({ CALLER_HASH_SECRET: "short" })).toThrow(/32 or more/);
  });

  it("generates a secret once outside production and reuses it", () => {
    const dir = mkdtempSync(join(tmpdir(), "lf-calls-"));
    const config = loadConfig({ DATA_DIR: join(dir, "pglite"), TWILIO_AUTH_TOKEN: "" });
    const a = resolveCallSettings(config, log);
    const b = resolveCallSettings(config, log);
    expect(a.callerHashSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(b.callerHashSecret).toBe(a.callerHashSecret);
    expect(a.authToken).toBeNull();
    const file = callerSecretFile(config);
    expect(readFileSync(file, "utf8").trim()).toBe(a.callerHashSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("takes configured thresholds and refuses contradictory ones", () => {
    const base = { CALLER_HASH_SECRET: "s".repeat(32) };
    expect(
      resolveCallSettings(
        loadConfig({ ...base, CALL_BILLABLE_MIN_SEC: "45", CALL_IGNORE_BELOW_SEC: "15", CALL_REPEAT_WINDOW_DAYS: "3" }),
        log,
      ),
    ).toMatchObject({
      thresholds: { billableMinSec: 45, ignoreBelowSec: 15 },
      repeatWindowDays: 3,
    });
    expect(() =>
      resolveCallSettings(loadConfig({ ...base, CALL_BILLABLE_MIN_SEC: "20", CALL_IGNORE_BELOW_SEC: "30" }), log),
    ).toThrow(/Invalid call thresholds/);
  });
});
