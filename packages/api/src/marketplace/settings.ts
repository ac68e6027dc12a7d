// Routing windows and phase sizes, changed by an admin and read by every routing step. Stored
// partial; missing keys take the defaults (validateRoutingConfig), so adding a key needs no migration.
import { getRoutingSettings, upsertRoutingSettings, type DbOrTx } from "@leadflow/db";
import { DEFAULT_ROUTING_CONFIG, validateRoutingConfig, type Clock, type RoutingConfig } from "@leadflow/engine";
import { AppError } from "../errors";

/**
 * Non-production only (MARKET_TIME_SCALE, set by the server at start; refused in production):
 * every routing window is this many times shorter, so an operator can follow a lead through all
 * its phases on staging in minutes. The stored settings, the admin's form and everything else
 * (penalties, cooldowns, statistics) keep real time.
 */
export const marketTime = { scale: 1 };

export async function loadRoutingConfig(db: DbOrTx): Promise<RoutingConfig> {
  const res = validateRoutingConfig(await getRoutingSettings(db));
  // A stored value that no longer validates must not stop routing: fall back to the defaults.
  return res.ok ? res.config : { ...DEFAULT_ROUTING_CONFIG };
}

export async function saveRoutingConfig(
  db: DbOrTx,
  clock: Clock,
  input: unknown,
  userId: string,
): Promise<RoutingConfig> {
  const res = validateRoutingConfig(input);
  if (!res.ok) {
    // No prototype: a field named "constructor" or "__proto__" is reported like any other.
    const fieldErrors: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
    for (const e of res.errors) (fieldErrors[e.field || "settings"] ??= []).push(e.message);
    throw new AppError("BAD_REQUEST", "Some routing settings are not valid.", fieldErrors);
  }
  const routing = { ...res.config };
  await upsertRoutingSettings(db, { routing, now: clock.now(), userId });
  return res.config;
}
