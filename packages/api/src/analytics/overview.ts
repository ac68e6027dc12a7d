// The admin overview: today's and the last seven days' figures, each with its last 14 days as a
// sparkline. Every figure comes from the query the analytics page behind its card uses (revenue,
// sold and leads: revenueChart; profit: profitBySource's formula by day; timeouts and failing
// deliveries: the rollups plus live tail), so the overview and the pages never disagree.
import { profitByDay, selectMedianLatency, selectOverviewDays, selectOverviewNow, type DbOrTx } from "@leadflow/db";
import { revenueChart } from "./auction";
import type { Filters } from "./filters";
import { addDays, dayOf } from "./rollup";

/** Days drawn in each sparkline, ending today (UTC). */
export const OVERVIEW_DAYS = 14;
/** "This week": the last seven UTC days, today included. */
export const WEEK_DAYS = 7;

export interface OverviewFigure {
  today: number | null;
  week: number | null;
  /** One value per day of `days`, oldest first (null where there is nothing to measure). */
  series: (number | null)[];
}

const range = (from: string, to: string): Filters => ({
  from,
  to,
  toExclusive: addDays(to, 1),
  days: Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1,
});

/** sold ÷ leads in basis points (integers, like the profit margin), null without leads. */
const soldBp = (sold: number, leads: number) => (leads > 0 ? Math.round((sold * 10_000) / leads) : null);

export async function overviewFigures(db: DbOrTx, now: Date) {
  const today = dayOf(now);
  const from = addDays(today, -(OVERVIEW_DAYS - 1));
  const weekFrom = addDays(today, -(WEEK_DAYS - 1));
  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) => addDays(from, i));
  const all = range(from, today);
  const [revenue, profit, perDay, current, latencyToday, latencyWeek] = await Promise.all([
    revenueChart(db, all),
    profitByDay(db, all),
    selectOverviewDays(db, all),
    selectOverviewNow(db, now),
    selectMedianLatency(db, range(today, today)),
    selectMedianLatency(db, range(weekFrom, today)),
  ]);
  const rev = new Map(revenue.overTime.map((r) => [r.day, r]));
  const prof = new Map(profit.map((r) => [r.day, r.profitCents]));
  const other = new Map(perDay.map((r) => [r.day, r]));
  const inWeek = (d: string) => d >= weekFrom;
  const summed = (value: (day: string) => number): OverviewFigure => {
    const series = days.map(value);
    return {
      today: series[series.length - 1]!,
      week: series.filter((_, i) => inWeek(days[i]!)).reduce((a, b) => a + b, 0),
      series,
    };
  };
  const leads = summed((d) => rev.get(d)?.leads ?? 0);
  const sold = summed((d) => rev.get(d)?.sold ?? 0);
  return {
    days,
    today,
    weekFrom,
    leads,
    soldBp: {
      today: soldBp(sold.today ?? 0, leads.today ?? 0),
      week: soldBp(sold.week ?? 0, leads.week ?? 0),
      series: days.map((d) => soldBp(rev.get(d)?.sold ?? 0, rev.get(d)?.leads ?? 0)),
    } satisfies OverviewFigure,
    revenueCents: summed((d) => rev.get(d)?.revenueCents ?? 0),
    profitCents: summed((d) => prof.get(d) ?? 0),
    medianLatencyMs: {
      today: latencyToday,
      week: latencyWeek,
      series: days.map((d) => other.get(d)?.medianLatencyMs ?? null),
    } satisfies OverviewFigure,
    timeouts: summed((d) => other.get(d)?.timeouts ?? 0),
    /** Open now; the sparkline counts the offers sent each day. */
    openOffers: { now: current.openOffers, series: days.map((d) => other.get(d)?.offers ?? 0) },
    /** Failed or dead now; the sparkline counts the failing deliveries owed each day. */
    failingDeliveries: {
      now: current.failingDeliveries,
      series: days.map((d) => other.get(d)?.failingDeliveries ?? 0),
    },
  };
}
