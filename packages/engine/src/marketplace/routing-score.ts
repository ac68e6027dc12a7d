import type { Clock } from "../clock";
import type { DjTier } from "./enums";
import { MarketplaceError } from "./errors";
import { referenceMedianCents, type CityStats } from "./city-stats";
import { clamp, MS_PER_DAY, MS_PER_HOUR, round1 } from "./units";

export const ROUTING_SCORE_MAX = {
  tier: 25,
  responseSpeed: 20,
  conversion: 20,
  priceAlignment: 15,
  trust: 15,
} as const;
export const MAX_PENALTY = 20;
export const DEFAULT_PENALTY_DECAY_PER_DAY = 0.1;
export const TIER_POINTS: Readonly<Record<DjTier, number>> = { premium: 25, standard: 20, budget: 15 };
/** New DJs get the middle of each table so they are offered leads and can build a history. */
export const RESPONSE_SPEED_NEUTRAL_POINTS = 12;
export const CONVERSION_NEUTRAL_POINTS = 12;
export const PRICE_ALIGNMENT_NEUTRAL_POINTS = 10;

/** What the routing score reads from a DJ row. Rates are fractions 0-1. */
export interface RoutingScoreDj {
  id: string;
  tier: DjTier;
  avgResponseTimeMs: number | null;
  conversionRate: number | null;
  priceMinCents: number;
  priceMaxCents: number;
  reliability: number;
  /** The penalty as it was at penaltyUpdatedAt; it decays from there. */
  penalty: number;
  penaltyUpdatedAt: Date | null;
}

export type RoutingScoreComponents = {
  tier: number;
  responseSpeed: number;
  conversion: number;
  priceAlignment: number;
  trust: number;
  /** Positive; subtracted from the other components. */
  penalty: number;
};

export interface DJRoutingScore {
  total: number;
  components: RoutingScoreComponents;
}

export interface RoutingScoreOptions {
  penaltyDecayPerDay?: number;
}

/** Bands include their lower edge; "> 48 h" starts strictly above 48 h, as the seed writes it. */
export function responseSpeedPoints(avgMs: number | null): number {
  if (avgMs == null) return RESPONSE_SPEED_NEUTRAL_POINTS;
  const h = MS_PER_HOUR;
  if (avgMs < 1 * h) return 20;
  if (avgMs < 4 * h) return 18;
  if (avgMs < 12 * h) return 15;
  if (avgMs < 24 * h) return 12;
  if (avgMs <= 48 * h) return 8;
  return 5;
}

/** "> 50%" is strict, so exactly 50% falls in 40-50; every other band includes its lower edge. */
export function conversionPoints(rate: number | null): number {
  if (rate == null) return CONVERSION_NEUTRAL_POINTS;
  if (rate > 0.5) return 20;
  if (rate >= 0.4) return 18;
  if (rate >= 0.3) return 15;
  if (rate >= 0.2) return 12;
  if (rate >= 0.1) return 8;
  return 5;
}

/** Distance of the DJ's price midpoint from the median, in whole-percent bands ("within" = inclusive). */
export const PRICE_ALIGNMENT_BANDS = [
  { withinPercent: 10, points: 15 },
  { withinPercent: 20, points: 12 },
  { withinPercent: 30, points: 10 },
  { withinPercent: 50, points: 7 },
] as const;
export const PRICE_OUTLIER_POINTS = 5;

export function priceAlignmentPoints(priceMinCents: number, priceMaxCents: number, medianCents: number | null): number {
  if (medianCents == null || medianCents <= 0) return PRICE_ALIGNMENT_NEUTRAL_POINTS;
  // Compare |2*mid - 2*median| against 2*median*pct/100 in integers, so 10.0% is exactly "within 10%".
  const twiceDeviation = Math.abs(priceMinCents + priceMaxCents - 2 * medianCents);
  const band = PRICE_ALIGNMENT_BANDS.find((b) => twiceDeviation * 100 <= 2 * medianCents * b.withinPercent);
  return band?.points ?? PRICE_OUTLIER_POINTS;
}

export function trustPoints(reliability: number): number {
  return round1((clamp(reliability, 0, 100) * ROUTING_SCORE_MAX.trust) / 100);
}

export function validatePenaltyDecay(decayPerDay: number): void {
  if (!Number.isFinite(decayPerDay) || decayPerDay < 0 || decayPerDay >= 1) {
    throw new MarketplaceError(
      "INVALID_INPUT",
      "Penalty decay per day must be at least 0 and below 1.",
      "penaltyDecayPerDay",
    );
  }
}

/**
 * The penalty now: the stored value, capped at 20, shrinking by `decayPerDay` for every day
 * (fractions of a day included) since it was last set. Not rounded, so it can be stored again.
 */
export function currentPenalty(
  penalty: number,
  penaltyUpdatedAt: Date | null,
  clock: Clock,
  decayPerDay = DEFAULT_PENALTY_DECAY_PER_DAY,
): number {
  validatePenaltyDecay(decayPerDay);
  const start = clamp(Number.isFinite(penalty) ? penalty : 0, 0, MAX_PENALTY);
  if (start === 0 || penaltyUpdatedAt == null) return start;
  // A clock behind the stamp (a replay, a skewed host) decays nothing rather than growing the penalty.
  const days = Math.max(0, (clock.now().getTime() - penaltyUpdatedAt.getTime()) / MS_PER_DAY);
  return start * Math.pow(1 - decayPerDay, days);
}

export function calculateDJRoutingScore(
  dj: RoutingScoreDj,
  cityStats: CityStats | null,
  clock: Clock,
  options: RoutingScoreOptions = {},
): DJRoutingScore {
  const median = cityStats ? referenceMedianCents(cityStats) : null;
  const components: RoutingScoreComponents = {
    tier: TIER_POINTS[dj.tier],
    responseSpeed: responseSpeedPoints(dj.avgResponseTimeMs),
    conversion: conversionPoints(dj.conversionRate),
    priceAlignment: priceAlignmentPoints(dj.priceMinCents, dj.priceMaxCents, median),
    trust: trustPoints(dj.reliability),
    penalty: round1(currentPenalty(dj.penalty, dj.penaltyUpdatedAt, clock, options.penaltyDecayPerDay)),
  };
  const { tier, responseSpeed, conversion, priceAlignment, trust, penalty } = components;
  // The positive parts sum to at least 30 > MAX_PENALTY, so the clamp only guards bad input.
  return {
    total: Math.max(0, round1(tier + responseSpeed + conversion + priceAlignment + trust - penalty)),
    components,
  };
}

export interface RankedDJ {
  djId: string;
  score: DJRoutingScore;
}

/** What the order reads: a stored score (djs.routing_score) sorts the same way as a computed one. */
export type RankedOrder = { djId: string; score: Pick<DJRoutingScore, "total"> };

/**
 * Score descending, then id ascending by code unit. In SQL: ORDER BY routing_score DESC, id
 * ASC on a uuid column (byte order equals this for canonical lowercase UUIDs), or COLLATE "C"
 * on text, since a locale collation would order ids differently.
 */
export function compareRankedDJs(a: RankedOrder, b: RankedOrder): number {
  if (a.score.total !== b.score.total) return b.score.total - a.score.total;
  return a.djId < b.djId ? -1 : a.djId > b.djId ? 1 : 0;
}

export function rankDJs(
  djs: readonly RoutingScoreDj[],
  cityStats: CityStats | null,
  clock: Clock,
  options: RoutingScoreOptions = {},
): RankedDJ[] {
  return djs
    .map((dj) => ({ djId: dj.id, score: calculateDJRoutingScore(dj, cityStats, clock, options) }))
    .sort(compareRankedDJs);
}
