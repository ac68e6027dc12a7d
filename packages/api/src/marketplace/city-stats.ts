// City and event statistics, recomputed by a scheduled job from real rows; they feed lead
// scoring, DJ price alignment and the public price guidance.
import {
  listCityStatsInputs,
  listMarketCities,
  replaceCityStats,
  replaceOneCityStats,
  type DbOrTx,
} from "@leadflow/db";
import {
  computeCityStats,
  EVENT_TYPES,
  priceGuidance,
  type CityStats,
  type Clock,
  type EventType,
} from "@leadflow/engine";
import { loadCityStats } from "./common";

function statsColumns(st: CityStats) {
  const { city, eventType, ...rest } = st;
  return { city, eventType: eventType ?? "", ...rest };
}

/**
 * Observed prices: booking values of converted leads and quotes of accepted offers, 90 days back.
 * Demand is the city's leads; supply its DJs. With `onlyCity`, that city alone (as each lead
 * arrives, in the inquiry's transaction, so the price guidance and demand never wait for the
 * nightly job); without, every city (the nightly job, which also catches prices and DJs changed
 * since).
 */
export async function recomputeCityStats(db: DbOrTx, clock: Clock, onlyCity?: string): Promise<number> {
  const now = clock.now();
  const since = new Date(now.getTime() - 90 * 86_400_000);
  const { leads, djs: allDjs, bookings, quotes } = await listCityStatsInputs(db, since, onlyCity);
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
      const match = (x: { city: string; eventType: EventType }) =>
        x.city === city && (eventType == null || x.eventType === eventType);
      const cityLeads = leads.filter(match);
      const cityPrices = prices.filter(match);
      if (eventType != null && cityLeads.length === 0 && cityPrices.length === 0) continue;
      rows.push(
        computeCityStats(
          {
            city,
            eventType,
            leads: cityLeads.map((l) => ({ createdAt: l.createdAt, converted: l.state === "converted" })),
            djs: cityDjs,
            prices: cityPrices,
          },
          clock,
        ),
      );
    }
  }
  if (onlyCity !== undefined) {
    await replaceOneCityStats(db, onlyCity, rows.map(statsColumns));
    return rows.length;
  }
  if (rows.length === 0) return 0;
  await replaceCityStats(db, rows.map(statsColumns));
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
  return listMarketCities(db);
}
