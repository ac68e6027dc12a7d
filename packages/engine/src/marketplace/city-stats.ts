import type { Clock } from "../clock";
import type { EventType, TensionBand } from "./enums";
import { assertCents, clamp, MS_PER_DAY } from "./units";
import { formatCents } from "../auction/money";

/** Fewer observed prices than this and we publish no median-based guidance for the window. */
export const MIN_PRICE_POINTS = 5;
/** Guidance is rounded outward to $50 so the sentence reads like a person wrote it. */
export const PRICE_GUIDANCE_ROUNDING_CENTS = 5_000;
/** Leads per active DJ at which tension saturates: the top of the seed's healthy 1.0-2.0. */
export const TENSION_SATURATION_RATIO = 2;

export interface CityStatsInput {
  city: string;
  eventType?: EventType | null;
  /** Leads of this city (and event type) created in the last 90 days or more; older ones are skipped. */
  leads: readonly { createdAt: Date; converted: boolean }[];
  /** DJs serving the city; only active, unsuspended ones count as supply. */
  djs: readonly { isActive: boolean; isSuspended: boolean }[];
  /** Observed prices: booking values of converted leads and accepted quotes, in cents. */
  prices: readonly { priceCents: number; observedAt: Date }[];
}

export interface CityStats {
  city: string;
  eventType: EventType | null;
  computedAt: Date;
  leadCount30d: number;
  activeDjCount: number;
  /** Leads in the last 30 days per active DJ; null when there are no DJs. */
  demandSupplyRatio: number | null;
  /** 0-1: ratio / 2, clamped; 1 when there is demand and no DJs; null with neither. */
  marketTension: number | null;
  tensionBand: TensionBand | null;
  medianPrice30dCents: number | null;
  medianPrice90dCents: number | null;
  priceCount30d: number;
  priceCount90d: number;
  priceP25Cents90d: number | null;
  priceP75Cents90d: number | null;
  /** Converted / created, over leads created in the last 90 days (30 is too soon to have converted). */
  conversionRate90d: number | null;
}

/** Median of whole cents; with an even count, the mean of the two middle values, halves rounded up. */
export function medianCents(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : Math.round(((sorted[mid - 1] as number) + upper) / 2);
}

/** Nearest-rank percentile: always an observed price, never an interpolated one. */
export function percentileCents(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function tensionBand(ratio: number): TensionBand {
  return ratio < 1 ? "oversupplied" : ratio <= 2 ? "balanced" : "tight";
}

/** Windows are [now - N days, now]: the lower edge is in, anything dated after now is out. */
function within(at: Date, now: number, days: number): boolean {
  const t = at.getTime();
  return t <= now && t >= now - days * MS_PER_DAY;
}

export function computeCityStats(input: CityStatsInput, clock: Clock): CityStats {
  const now = clock.now().getTime();
  input.prices.forEach((p, i) => assertCents(p.priceCents, `prices[${i}].priceCents`));
  const leads30 = input.leads.filter((l) => within(l.createdAt, now, 30));
  const leads90 = input.leads.filter((l) => within(l.createdAt, now, 90));
  const supply = input.djs.filter((d) => d.isActive && !d.isSuspended).length;
  const prices30 = input.prices.filter((p) => within(p.observedAt, now, 30)).map((p) => p.priceCents);
  const prices90 = input.prices.filter((p) => within(p.observedAt, now, 90)).map((p) => p.priceCents);

  const ratio = supply > 0 ? leads30.length / supply : null;
  const noSupplyTension = leads30.length > 0 ? 1 : null;
  return {
    city: input.city,
    eventType: input.eventType ?? null,
    computedAt: new Date(now),
    leadCount30d: leads30.length,
    activeDjCount: supply,
    demandSupplyRatio: ratio,
    marketTension: ratio == null ? noSupplyTension : clamp(ratio / TENSION_SATURATION_RATIO, 0, 1),
    tensionBand: ratio == null ? (noSupplyTension ? "tight" : null) : tensionBand(ratio),
    medianPrice30dCents: medianCents(prices30),
    medianPrice90dCents: medianCents(prices90),
    priceCount30d: prices30.length,
    priceCount90d: prices90.length,
    priceP25Cents90d: percentileCents(prices90, 25),
    priceP75Cents90d: percentileCents(prices90, 75),
    conversionRate90d: leads90.length ? leads90.filter((l) => l.converted).length / leads90.length : null,
  };
}

/** The median scoring compares against: 30 days when there is enough data, else 90, else none. */
export function referenceMedianCents(
  stats: Pick<CityStats, "medianPrice30dCents" | "medianPrice90dCents" | "priceCount30d" | "priceCount90d">,
): number | null {
  if (stats.priceCount30d >= MIN_PRICE_POINTS && stats.medianPrice30dCents != null) return stats.medianPrice30dCents;
  if (stats.priceCount90d >= MIN_PRICE_POINTS && stats.medianPrice90dCents != null) return stats.medianPrice90dCents;
  return null;
}

export interface PriceGuidance {
  lowCents: number;
  highCents: number;
  sentence: string;
  basis: { p25Cents: number; p75Cents: number; sampleSize: number };
}

/**
 * Public guidance from the 90-day inter-quartile range (nearest-rank 25th to 75th percentile),
 * rounded outward to $50. It describes the market; it never tells a DJ what to charge.
 */
export function priceGuidance(
  stats: Pick<CityStats, "city" | "priceCount90d" | "priceP25Cents90d" | "priceP75Cents90d">,
): PriceGuidance | null {
  const { priceP25Cents90d: p25, priceP75Cents90d: p75, priceCount90d: n } = stats;
  if (n < MIN_PRICE_POINTS || p25 == null || p75 == null) return null;
  const step = PRICE_GUIDANCE_ROUNDING_CENTS;
  const lowCents = Math.floor(p25 / step) * step;
  const highCents = Math.ceil(p75 / step) * step;
  const range =
    lowCents === highCents
      ? `around ${formatCents(lowCents, { trimZeroCents: true })}`
      : `between ${formatCents(lowCents, { trimZeroCents: true })} and ${formatCents(highCents, { trimZeroCents: true })}`;
  return {
    lowCents,
    highCents,
    sentence: `Most DJs in ${stats.city} charge ${range}.`,
    basis: { p25Cents: p25, p75Cents: p75, sampleSize: n },
  };
}
