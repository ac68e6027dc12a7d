// Routing windows and phase sizes, changed by an admin and read by every routing step. Stored
// partial; missing keys take the defaults (validateRoutingConfig), so adding a key needs no migration.
import { getRoutingSettings, upsertRoutingSettings, type DbOrTx } from "@leadflow/db";
import { DEFAULT_ROUTING_CONFIG, validateRoutingConfig, type Clock, type RoutingConfig } from "@leadflow/engine";
import { AppError } from "../errors";

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
