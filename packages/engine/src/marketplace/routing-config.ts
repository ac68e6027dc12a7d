import type { TimedRoutingPhase } from "./enums";

export interface RoutingConfig {
  exclusiveWindowMinutes: number;
  tierExpansionWindowMinutes: number;
  /** The seed leaves it open; two hours gives ten DJs an evening's chance before concierge. */
  broadcastWindowMinutes: number;
  maxExclusiveDJs: number;
  maxTierExpansionDJs: number;
  maxBroadcastDJs: number;
}

export const DEFAULT_ROUTING_CONFIG: Readonly<RoutingConfig> = {
  exclusiveWindowMinutes: 15,
  tierExpansionWindowMinutes: 30,
  broadcastWindowMinutes: 120,
  maxExclusiveDJs: 1,
  maxTierExpansionDJs: 3,
  maxBroadcastDJs: 10,
};

/** The largest MARKET_TIME_SCALE: an hour of windows in a second. */
export const MAX_MARKET_TIME_SCALE = 3600;

/**
 * Routing windows shortened `scale` times, for a staging or demo instance (MARKET_TIME_SCALE):
 * 60 makes the default 15 + 30 + 120 minutes last 15 s + 30 s + 2 min. Phase sizes are unchanged.
 * Windows become fractional minutes; the phase planner turns them into milliseconds.
 */
export function scaleRoutingWindows(config: RoutingConfig, scale: number): RoutingConfig {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_MARKET_TIME_SCALE)
    throw new RangeError(`The market time scale must be a whole number from 1 to ${MAX_MARKET_TIME_SCALE}.`);
  if (scale === 1) return config;
  return {
    ...config,
    exclusiveWindowMinutes: config.exclusiveWindowMinutes / scale,
    tierExpansionWindowMinutes: config.tierExpansionWindowMinutes / scale,
    broadcastWindowMinutes: config.broadcastWindowMinutes / scale,
  };
}

/** Inclusive integer bounds; a window over a week would outlive most urgent events. */
const BOUNDS: Readonly<Record<keyof RoutingConfig, readonly [number, number]>> = {
  exclusiveWindowMinutes: [1, 10_080],
  tierExpansionWindowMinutes: [1, 10_080],
  broadcastWindowMinutes: [1, 10_080],
  maxExclusiveDJs: [1, 10],
  maxTierExpansionDJs: [1, 50],
  maxBroadcastDJs: [1, 200],
};

export interface RoutingSettingError {
  field: string;
  message: string;
}

export type RoutingConfigResult = { ok: true; config: RoutingConfig } | { ok: false; errors: RoutingSettingError[] };

/**
 * Validates settings from an admin form or the database; missing keys take the defaults, so a
 * stored partial config keeps working when a new key is added. Unknown keys are refused because
 * they are almost always a typo of a real one.
 */
export function validateRoutingConfig(input: unknown): RoutingConfigResult {
  if (input == null) return { ok: true, config: { ...DEFAULT_ROUTING_CONFIG } };
  if (typeof input !== "object" || Array.isArray(input)) {
    return { ok: false, errors: [{ field: "", message: "Routing settings must be an object." }] };
  }
  const raw = input as Record<string, unknown>;
  const errors: RoutingSettingError[] = [];
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(BOUNDS, key)) errors.push({ field: key, message: `Unknown setting "${key}".` });
  }
  const config = { ...DEFAULT_ROUTING_CONFIG };
  for (const key of Object.keys(BOUNDS) as (keyof RoutingConfig)[]) {
    const value = raw[key];
    if (value === undefined) continue;
    const [min, max] = BOUNDS[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      // Shown beside the field it names, so the message need not repeat the field's name.
      errors.push({
        field: key,
        message: `Must be a whole number from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}.`,
      });
    } else {
      config[key] = value;
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, config };
}

export function phaseWindowMinutes(phase: TimedRoutingPhase, config: RoutingConfig): number {
  if (phase === "exclusive") return config.exclusiveWindowMinutes;
  return phase === "tier_expansion" ? config.tierExpansionWindowMinutes : config.broadcastWindowMinutes;
}

export function phaseMaxDJs(phase: TimedRoutingPhase, config: RoutingConfig): number {
  if (phase === "exclusive") return config.maxExclusiveDJs;
  return phase === "tier_expansion" ? config.maxTierExpansionDJs : config.maxBroadcastDJs;
}

/** The windows an operator may set per city (issue 17 item 6); phase sizes stay global. */
export const CITY_WINDOW_KEYS = [
  "exclusiveWindowMinutes",
  "tierExpansionWindowMinutes",
  "broadcastWindowMinutes",
] as const;
export type CityWindowKey = (typeof CITY_WINDOW_KEYS)[number];
export type CityWindowOverride = Partial<Record<CityWindowKey, number>>;
/** Keyed by the city as leads name it, compared without case or surrounding spaces. */
export type CityWindows = Record<string, CityWindowOverride>;

export const MAX_CITY_WINDOW_OVERRIDES = 200;

export type CityWindowsResult = { ok: true; value: CityWindows } | { ok: false; errors: RoutingSettingError[] };

export const cityKey = (city: string) => city.trim().toLowerCase();

/**
 * Validates per-city window overrides from an admin or the database: each city (1-100
 * characters) maps to one or more of the three windows, each within the same bounds as the global
 * setting; keys are stored as cityKey. Unknown keys and empty overrides are refused.
 */
export function validateCityWindows(input: unknown): CityWindowsResult {
  if (input == null) return { ok: true, value: {} };
  if (typeof input !== "object" || Array.isArray(input))
    return { ok: false, errors: [{ field: "", message: "City windows must be an object." }] };
  const entries = Object.entries(input as Record<string, unknown>);
  const errors: RoutingSettingError[] = [];
  if (entries.length > MAX_CITY_WINDOW_OVERRIDES)
    errors.push({ field: "", message: `At most ${MAX_CITY_WINDOW_OVERRIDES} cities may have windows of their own.` });
  const value: CityWindows = Object.create(null) as CityWindows;
  for (const [city, raw] of entries) {
    const key = cityKey(city);
    if (key.length < 1 || key.length > 100) {
      errors.push({ field: city, message: "A city name must be 1 to 100 characters." });
      continue;
    }
    if (Object.hasOwn(value, key)) {
      errors.push({ field: city, message: `"${city}" is listed twice.` });
      continue;
    }
    if (raw == null || typeof raw !== "object" || Array.isArray(raw)) {
      errors.push({ field: city, message: "Give at least one window for the city." });
      continue;
    }
    const override: CityWindowOverride = {};
    for (const k of Object.keys(raw)) {
      if (!(CITY_WINDOW_KEYS as readonly string[]).includes(k))
        errors.push({ field: `${city}.${k}`, message: `Unknown window "${k}".` });
    }
    for (const k of CITY_WINDOW_KEYS) {
      const v = (raw as Record<string, unknown>)[k];
      if (v === undefined) continue;
      const [min, max] = BOUNDS[k];
      if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
        // Shown beside the field it names (the dashboard's form), like validateRoutingConfig's.
        errors.push({
          field: `${city}.${k}`,
          message: `Must be a whole number from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}.`,
        });
      else override[k] = v;
    }
    if (Object.keys(override).length === 0 && Object.keys(raw).length === 0)
      errors.push({ field: city, message: "Give at least one window for the city." });
    value[key] = override;
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: { ...value } };
}

/** The routing settings for a lead in `city`: the city's own windows where it has any. */
export function routingConfigForCity(config: RoutingConfig, windows: CityWindows, city: string): RoutingConfig {
  const own = Object.hasOwn(windows, cityKey(city)) ? windows[cityKey(city)] : undefined;
  return own ? { ...config, ...own } : config;
}
