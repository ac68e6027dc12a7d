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
