// City and event statistics (recomputed by a job from real rows) and the admin's success metrics.
import { and, asc, eq, gte, inArray, isNotNull, notInArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { cityEventStats, djs, leadAssignments, marketFunnelCounters, marketLeads } from "../schema";

export type CityStatsRow = typeof cityEventStats.$inferSelect;
export type CityStatsInsert = typeof cityEventStats.$inferInsert;

/** One city's statistics row for an event type ('' is every type), if computed. */
export async function getCityStatsRow(db: DbOrTx, city: string, eventType: string): Promise<CityStatsRow | undefined> {
  const [row] = await db
    .select()
    .from(cityEventStats)
    .where(and(eq(cityEventStats.city, city), eq(cityEventStats.eventType, eventType)));
  return row;
}

/** getCityStatsRow for many cities at once (one event type). */
export async function getCityStatsRows(
  db: DbOrTx,
  cities: readonly string[],
  eventType: string,
): Promise<CityStatsRow[]> {
  if (cities.length === 0) return [];
  return db
    .select()
    .from(cityEventStats)
    .where(and(inArray(cityEventStats.city, cities as string[]), eq(cityEventStats.eventType, eventType)));
}

/** Everything a city statistics recomputation reads: leads, DJs, and prices observed since `since`. */
export async function listCityStatsInputs(db: DbOrTx, since: Date, city?: string) {
  const inCity = city === undefined ? undefined : eq(marketLeads.city, city);
  const leads = await db
    .select({
      city: marketLeads.city,
      eventType: marketLeads.eventType,
      createdAt: marketLeads.createdAt,
      state: marketLeads.leadState,
    })
    .from(marketLeads)
    .where(and(gte(marketLeads.createdAt, since), inCity));
  const allDjs = await db
    .select({ city: djs.city, isActive: djs.isActive, isSuspended: djs.isSuspended })
    .from(djs)
    .where(city === undefined ? undefined : eq(djs.city, city));
  const bookings = await db
    .select({
      city: marketLeads.city,
      eventType: marketLeads.eventType,
      priceCents: marketLeads.bookingValueCents,
      observedAt: marketLeads.convertedAt,
    })
    .from(marketLeads)
    .where(and(isNotNull(marketLeads.bookingValueCents), gte(marketLeads.convertedAt, since), inCity));
  const quotes = await db
    .select({
      city: marketLeads.city,
      eventType: marketLeads.eventType,
      priceCents: leadAssignments.quoteCents,
      observedAt: leadAssignments.respondedAt,
    })
    .from(leadAssignments)
    .innerJoin(marketLeads, eq(marketLeads.id, leadAssignments.leadId))
    .where(
      and(
        eq(leadAssignments.status, "accepted"),
        isNotNull(leadAssignments.quoteCents),
        gte(leadAssignments.respondedAt, since),
        inCity,
      ),
    );
  return { leads, djs: allDjs, bookings, quotes };
}

/** Replaces every statistics row in one transaction, so readers see the old set or the new. */
export async function replaceCityStats(db: DbOrTx, rows: CityStatsInsert[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(cityEventStats);
    await tx.insert(cityEventStats).values(rows);
  });
}

/**
 * Replaces one city's statistics rows (as a lead arrives, in its transaction): an upsert per row
 * in a fixed order, so two inquiries of one city wait for each other instead of colliding on the
 * primary key, then the city's rows for event types no longer seen are removed.
 */
export async function replaceOneCityStats(db: DbOrTx, city: string, rows: CityStatsInsert[]): Promise<void> {
  const sorted = [...rows].sort((a, b) => ((a.eventType ?? "") < (b.eventType ?? "") ? -1 : 1));
  for (const row of sorted) {
    const { city: _c, eventType: _e, ...rest } = row;
    await db
      .insert(cityEventStats)
      .values(row)
      .onConflictDoUpdate({ target: [cityEventStats.city, cityEventStats.eventType], set: rest });
  }
  const kept = sorted.map((r) => r.eventType ?? "");
  await db
    .delete(cityEventStats)
    .where(and(eq(cityEventStats.city, city), kept.length ? notInArray(cityEventStats.eventType, kept) : undefined));
}

/** Cities with active, unsuspended DJs, for the public forms' city list. */
export async function listMarketCities(db: DbOrTx) {
  return db
    .select({ city: djs.city, state: djs.state, djCount: sql<number>`count(*)::int` })
    .from(djs)
    .where(and(eq(djs.isActive, true), eq(djs.isSuspended, false)))
    .groupBy(djs.city, djs.state)
    .orderBy(djs.city);
}

/** Counts of the leads created since `since`: routed, accepted, converted, mean first response. */
export async function getMarketLeadCounts(db: DbOrTx, since: Date) {
  const [leads] = await db
    .select({
      total: sql<number>`count(*)::int`,
      routed: sql<number>`count(*) filter (where ${marketLeads.phaseSeq} > 0)::int`,
      accepted: sql<number>`count(*) filter (where ${marketLeads.acceptedAt} is not null)::int`,
      converted: sql<number>`count(*) filter (where ${marketLeads.leadState} = 'converted')::int`,
      avgFirstResponseMs: sql<
        number | null
      >`(avg(extract(epoch from (${marketLeads.firstResponseAt} - ${marketLeads.createdAt}))) * 1000)::float8`,
    })
    .from(marketLeads)
    .where(gte(marketLeads.createdAt, since));
  return leads!;
}

/** Funnel counters summed by metric from `fromDay` (a UTC day) on. */
export async function sumFunnelCounters(db: DbOrTx, fromDay: string) {
  return db
    .select({ metric: marketFunnelCounters.metric, n: sql<number>`sum(${marketFunnelCounters.count})::int` })
    .from(marketFunnelCounters)
    .where(gte(marketFunnelCounters.day, fromDay))
    .groupBy(marketFunnelCounters.metric);
}

/** Every city's statistics over all event types, by city. */
export async function listCityOverviews(db: DbOrTx) {
  return db
    .select({
      city: cityEventStats.city,
      ratio: cityEventStats.demandSupplyRatio,
      band: cityEventStats.tensionBand,
      median: cityEventStats.medianPrice90dCents,
      p25: cityEventStats.priceP25Cents90d,
      p75: cityEventStats.priceP75Cents90d,
      djCount: cityEventStats.activeDjCount,
      leads30d: cityEventStats.leadCount30d,
    })
    .from(cityEventStats)
    .where(and(eq(cityEventStats.eventType, "")))
    .orderBy(asc(cityEventStats.city));
}
