// City and event statistics, recomputed by a scheduled job from real rows; they feed lead
// scoring, DJ price alignment and the public price guidance.
import { cityEventStats, djs, leadAssignments, marketLeads, type DbOrTx } from "@leadflow/db";
import { computeCityStats, EVENT_TYPES, priceGuidance, type CityStats, type Clock, type EventType } from "@leadflow/engine";
import { and, eq, gte, isNotNull, sql } from "drizzle-orm";
import { loadCityStats } from "./common";

function statsColumns(st: CityStats) {
  const { city, eventType, ...rest } = st;
  return { city, eventType: eventType ?? "", ...rest };
}

/**
 * Observed prices: booking values of converted leads and quotes of accepted offers, 90 days back.
 * Demand is the city's leads; supply its DJs.
 */
export async function recomputeCityStats(db: DbOrTx, clock: Clock): Promise<number> {
  const now = clock.now();
  const since = new Date(now.getTime() - 90 * 86_400_000);
  const leads = await db
    .select({ city: marketLeads.city, eventType: marketLeads.eventType, createdAt: marketLeads.createdAt, state: marketLeads.leadState })
    .from(marketLeads)
    .where(gte(marketLeads.createdAt, since));
  const allDjs = await db.select({ city: djs.city, isActive: djs.isActive, isSuspended: djs.isSuspended }).from(djs);
  const bookings = await db
    .select({ city: marketLeads.city, eventType: marketLeads.eventType, priceCents: marketLeads.bookingValueCents, observedAt: marketLeads.convertedAt })
    .from(marketLeads)
    .where(and(isNotNull(marketLeads.bookingValueCents), gte(marketLeads.convertedAt, since)));
  const quotes = await db
    .select({ city: marketLeads.city, eventType: marketLeads.eventType, priceCents: leadAssignments.quoteCents, observedAt: leadAssignments.respondedAt })
    .from(leadAssignments)
    .innerJoin(marketLeads, eq(marketLeads.id, leadAssignments.leadId))
    .where(and(eq(leadAssignments.status, "accepted"), isNotNull(leadAssignments.quoteCents), gte(leadAssignments.respondedAt, since)));
  const prices = [...bookings, ...quotes].filter((p) => p.priceCents != null && p.observedAt != null) as {
    city: string;
    eventType: EventType;
    priceCents: number;
    observedAt: Date;
  }[];
  const cities = [...new Set([...allDjs.map((d) => d.city), ...leads.map((l) => l.city)])];
  const rows: CityStats[] = [];
  for (const city of cities) {
    const cityDjs = allDjs.filter((d) => d.city === city);
    for (const eventType of [null, ...EVENT_TYPES] as (EventType | null)[]) {
      const match = (x: { city: string; eventType: EventType }) => x.city === city && (eventType == null || x.eventType === eventType);
      const cityLeads = leads.filter(match);
      const cityPrices = prices.filter(match);
      if (eventType != null && cityLeads.length === 0 && cityPrices.length === 0) continue;
      rows.push(
        computeCityStats(
          { city, eventType, leads: cityLeads.map((l) => ({ createdAt: l.createdAt, converted: l.state === "converted" })), djs: cityDjs, prices: cityPrices },
          clock,
        ),
      );
    }
  }
  if (rows.length === 0) return 0;
  await db.transaction(async (tx) => {
    await tx.delete(cityEventStats);
    await tx.insert(cityEventStats).values(rows.map(statsColumns));
  });
  return rows.length;
}

/** Public guidance for a city (and event type when it has enough prices of its own). */
export async function priceGuidanceFor(db: DbOrTx, city: string, eventType: EventType | null) {
  const specific = eventType ? await loadCityStats(db, city, eventType) : null;
  const general = await loadCityStats(db, city);
  const guidance = (specific && priceGuidance(specific)) ?? (general && priceGuidance(general));
  return { city, guidance: guidance ?? null, tensionBand: general?.tensionBand ?? null };
}

/** Cities with DJs, for the public forms' city list. */
export async function marketCities(db: DbOrTx) {
  return db
    .select({ city: djs.city, state: djs.state, djCount: sql<number>`count(*)::int` })
    .from(djs)
    .where(and(eq(djs.isActive, true), eq(djs.isSuspended, false)))
    .groupBy(djs.city, djs.state)
    .orderBy(djs.city);
}
