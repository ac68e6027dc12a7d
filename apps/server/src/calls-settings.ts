// Call tracking's settings, resolved once at start. The caller-hash secret must be explicit in
// production; elsewhere (the demo, development) a random one is made once and kept beside the
// embedded database, so repeat callers still match after a restart.
import { defaultCallSettings, type CallSettings } from "@leadflow/api";
import { validateCallThresholds } from "@leadflow/engine";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Logger } from "pino";
import type { Config } from "./config";

export function callerSecretFile(config: Pick<Config, "DATA_DIR">): string {
  return join(dirname(resolve(config.DATA_DIR)), "caller-hash-secret");
}

export function resolveCallSettings(config: Config, log: Logger): CallSettings {
  const thresholds = { billableMinSec: config.CALL_BILLABLE_MIN_SEC, ignoreBelowSec: config.CALL_IGNORE_BELOW_SEC };
  const errors = validateCallThresholds(thresholds);
  if (errors.length > 0) throw new Error(`Invalid call thresholds: ${errors.map((e) => e.message).join(" ")}`);
  let secret = config.CALLER_HASH_SECRET;
  if (!secret) {
    if (config.NODE_ENV === "production") {
      throw new Error(
        "CALLER_HASH_SECRET is required in production (32 or more random characters, e.g. `openssl rand -hex 32`). Callers are stored only as HMACs under it.",
      );
    }
    const file = callerSecretFile(config);
    if (existsSync(file)) {
      secret = readFileSync(file, "utf8").trim();
    } else {
      mkdirSync(dirname(file), { recursive: true });
      secret = randomBytes(32).toString("hex");
      writeFileSync(file, `${secret}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
      log.warn(
        { file },
        "CALLER_HASH_SECRET is not set: generated one for this installation (set it explicitly in production)",
      );
    }
  }
  if (!config.TWILIO_AUTH_TOKEN) log.info("TWILIO_AUTH_TOKEN is not set: the call webhook answers 503 until it is");
  return defaultCallSettings({
    authToken: config.TWILIO_AUTH_TOKEN ?? null,
    callerHashSecret: secret,
    thresholds,
    repeatWindowDays: config.CALL_REPEAT_WINDOW_DAYS,
  });
}
