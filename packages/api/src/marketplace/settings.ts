// Routing windows and phase sizes, changed by an admin and read by every routing step. Stored
// partial; missing keys take the defaults (validateRoutingConfig), so adding a key needs no migration.
import {
  getCityWindowSettings,
  getRoutingSettings,
  upsertCityWindowSettings,
  upsertRoutingSettings,
  type DbOrTx,
} from "@leadflow/db";
import {
  DEFAULT_ROUTING_CONFIG,
  validateCityWindows,
  validateRoutingConfig,
  type CityWindows,
  type Clock,
  type RoutingConfig,
} from "@leadflow/engine";
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

/** Per-city routing windows (issue 17 item 6); a stored value that no longer validates counts as none. */
export async function loadCityWindows(db: DbOrTx): Promise<CityWindows> {
  const res = validateCityWindows(await getCityWindowSettings(db));
  return res.ok ? res.value : {};
}

/**
 * Sets (or, with `windows: null`, removes) one city's own routing windows, so an operator can
 * try routing in a staging city with short windows while every other city keeps the global ones.
 * Validated as a whole after the change: bad input writes nothing.
 */
export async function saveCityWindows(
  db: DbOrTx,
  clock: Clock,
  input: { city: string; windows: Record<string, unknown> | null },
  userId: string,
): Promise<CityWindows> {
  const current: Record<string, unknown> = { ...(await loadCityWindows(db)) };
  const res0 = validateCityWindows(input.windows == null ? {} : { [input.city]: input.windows });
  if (!res0.ok) throw badSettings(res0.errors, "Those city windows are not valid.");
  const key = Object.keys(res0.value)[0] ?? input.city.trim().toLowerCase();
  if (input.windows == null) delete current[key];
  else current[key] = res0.value[key];
  const res = validateCityWindows(current);
  if (!res.ok) throw badSettings(res.errors, "Those city windows are not valid.");
  await upsertCityWindowSettings(db, {
    cityWindows: { ...res.value } as Record<string, Record<string, number>>,
    now: clock.now(),
    userId,
  });
  return res.value;
}

function badSettings(errors: { field: string; message: string }[], message: string): AppError {
  const fieldErrors: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const e of errors) (fieldErrors[e.field || "settings"] ??= []).push(e.message);
  return new AppError("BAD_REQUEST", message, fieldErrors);
}
