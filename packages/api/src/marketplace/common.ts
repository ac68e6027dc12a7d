// Shared pieces of the marketplace services: the DJ row as the engine sees it, the timeline
// writer, city statistics look-up and the mapping of engine errors to AppError.
import {
  getCityStatsRow,
  getDjByOrg,
  insertMarketLeadEvent,
  type CityStatsRow,
  type DbOrTx,
  type DjRow,
} from "@leadflow/db";
import {
  MarketplaceError,
  type CityStats,
  type DJMetrics,
  type EventType,
  type RoutingScoreDj,
} from "@leadflow/engine";
import { AppError } from "../errors";
import type { Services } from "../context";

/** What the marketplace services need; tests and the seed build it without a boss. */
export type MarketServices = Pick<Services, "db" | "clock" | "log" | "boss" | "publicUrl"> &
  Partial<Pick<Services, "notify" | "smtpUrl" | "smtpFrom" | "smtpReplyTo" | "outbound">>;

export type { DjRow };

export function djMetricsOf(d: DjRow): DJMetrics {
  return {
    reliability: d.reliability,
    penalty: d.penalty,
    penaltyUpdatedAt: d.penaltyUpdatedAt,
    avgResponseTimeMs: d.avgResponseTimeMs,
    acceptedCount: d.acceptedCount,
    declinedCount: d.declinedCount,
    ignoredCount: d.ignoredCount,
    convertedCount: d.convertedCount,
    acceptanceRate: d.acceptanceRate,
    declineRate: d.declineRate,
    ignoreRate: d.ignoreRate,
    conversionRate: d.conversionRate,
  };
}

/** The columns updateDJMetrics changes, rounded to what the columns hold. */
export function metricsColumns(m: DJMetrics) {
  const rate = (x: number | null) => (x == null ? null : Math.round(x * 10_000) / 10_000);
  return {
    reliability: Math.round(m.reliability),
    penalty: m.penalty,
    penaltyUpdatedAt: m.penaltyUpdatedAt,
    avgResponseTimeMs: m.avgResponseTimeMs,
    acceptedCount: m.acceptedCount,
    declinedCount: m.declinedCount,
    ignoredCount: m.ignoredCount,
    convertedCount: m.convertedCount,
    acceptanceRate: rate(m.acceptanceRate),
    declineRate: rate(m.declineRate),
    ignoreRate: rate(m.ignoreRate),
    conversionRate: rate(m.conversionRate),
  };
}

export function routingDjOf(d: DjRow): RoutingScoreDj {
  return {
    id: d.id,
    tier: d.tier,
    avgResponseTimeMs: d.avgResponseTimeMs,
    conversionRate: d.conversionRate,
    priceMinCents: d.priceMinCents,
    priceMaxCents: d.priceMaxCents,
    reliability: d.reliability,
    penalty: d.penalty,
    penaltyUpdatedAt: d.penaltyUpdatedAt,
  };
}

export async function recordLeadEvent(
  db: DbOrTx,
  at: Date,
  leadId: string,
  kind: string,
  message: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  await insertMarketLeadEvent(db, { leadId, at, kind, message, data });
}

export function cityStatsOf(r: CityStatsRow): CityStats {
  return {
    city: r.city,
    eventType: (r.eventType || null) as EventType | null,
    computedAt: r.computedAt,
    leadCount30d: r.leadCount30d,
    activeDjCount: r.activeDjCount,
    demandSupplyRatio: r.demandSupplyRatio,
    marketTension: r.marketTension,
    tensionBand: r.tensionBand as CityStats["tensionBand"],
    medianPrice30dCents: r.medianPrice30dCents,
    medianPrice90dCents: r.medianPrice90dCents,
    priceCount30d: r.priceCount30d,
    priceCount90d: r.priceCount90d,
    priceP25Cents90d: r.priceP25Cents90d,
    priceP75Cents90d: r.priceP75Cents90d,
    conversionRate90d: r.conversionRate90d,
  };
}

/** The city's statistics over all event types ('' row), or null before the first computation. */
export async function loadCityStats(
  db: DbOrTx,
  city: string,
  eventType: EventType | "" = "",
): Promise<CityStats | null> {
  const row = await getCityStatsRow(db, city, eventType);
  return row ? cityStatsOf(row) : null;
}

/** Engine errors carry messages meant for people; they become BAD_REQUEST with the field. */
export function asAppError(err: unknown): never {
  if (err instanceof MarketplaceError) {
    const code =
      err.code === "INSUFFICIENT_CREDITS"
        ? "PRECONDITION_FAILED"
        : err.code === "INVALID_TRANSITION"
          ? "CONFLICT"
          : "BAD_REQUEST";
    throw new AppError(code, err.message, err.field ? { [err.field]: [err.message] } : undefined);
  }
  throw err;
}

/** The DJ profile of the caller's organisation. */
export async function djForOrg(db: DbOrTx, orgId: string): Promise<DjRow> {
  const dj = await getDjByOrg(db, orgId);
  if (!dj) throw new AppError("NOT_FOUND", "Your organisation has no DJ profile yet. Ask an admin to create one.");
  return dj;
}
