// The admin overview's per-day figures, from the rows and rollups the analytics pages read: the
// transactions rollup (plus live tail) for timeouts, the deliveries rollup for failing webhooks,
// the raw transactions for the median ping latency (a median cannot be summed from daily rollups),
// the DJ offers table for offers. Revenue and profit come from selectRevenue and profitByDay.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { rowsOf } from "../client";
import { unifiedRollup } from "./analytics-aggregate";

export interface OverviewDayRow {
  day: string;
  timeouts: number;
  pings: number;
  medianLatencyMs: number | null;
  failingDeliveries: number;
  offers: number;
}

const n = (v: unknown) => Number(v ?? 0);

/** One row per UTC day of [from, toExclusive) that had any of these figures; missing days are zero. */
export async function selectOverviewDays(db: DbOrTx, f: { from: string; toExclusive: string }) {
  const lo = sql`${f.from}::date::timestamp at time zone 'UTC'`;
  const hi = sql`${f.toExclusive}::date::timestamp at time zone 'UTC'`;
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with tx as (select u.day, sum(u.timeouts)::int as timeouts, sum(u.pings)::int as pings
          from ${unifiedRollup("tx", f.from, f.toExclusive, {})} u group by u.day),
        lat as (select (t.created_at at time zone 'UTC')::date as day,
            round(percentile_cont(0.5) within group (order by t.latency_ms))::int as median
          from transactions t where t.latency_ms is not null and t.created_at >= ${lo} and t.created_at < ${hi} group by 1),
        dl as (select u.day, sum(u.count)::int as failing
          from ${unifiedRollup("delivery", f.from, f.toExclusive, {})} u where u.status in ('failed', 'dead') group by u.day),
        off as (select (a.offered_at at time zone 'UTC')::date as day, count(*)::int as offers
          from lead_assignments a where a.offered_at >= ${lo} and a.offered_at < ${hi} group by 1),
        days as (select day from tx union select day from lat union select day from dl union select day from off)
      select to_char(d.day, 'YYYY-MM-DD') as day, tx.timeouts, tx.pings, lat.median, dl.failing, off.offers
      from days d left join tx using (day) left join lat using (day) left join dl using (day) left join off using (day)
      order by d.day`),
  );
  return rows.map((r): OverviewDayRow => ({
    day: String(r.day),
    timeouts: n(r.timeouts),
    pings: n(r.pings),
    medianLatencyMs: r.median == null ? null : n(r.median),
    failingDeliveries: n(r.failing),
    offers: n(r.offers),
  }));
}

/** What is open right now: DJ offers still inside their window, and webhook deliveries failed or dead. */
export async function selectOverviewNow(db: DbOrTx, now: Date) {
  const [r] = rowsOf<{ open_offers: unknown; failing: unknown }>(
    await db.execute(sql`select
      (select count(*) from lead_assignments a where a.status = 'offered' and a.window_ends_at > ${now.toISOString()}::timestamptz) as open_offers,
      (select count(*) from deliveries d where d.status in ('failed', 'dead')) as failing`),
  );
  return { openOffers: n(r?.open_offers), failingDeliveries: n(r?.failing) };
}

/** The median ping latency over [from, toExclusive) as a whole (not a median of daily medians). */
export async function selectMedianLatency(db: DbOrTx, f: { from: string; toExclusive: string }) {
  const [r] = rowsOf<{ median: unknown }>(
    await db.execute(sql`select round(percentile_cont(0.5) within group (order by t.latency_ms))::int as median
      from transactions t where t.latency_ms is not null
        and t.created_at >= ${f.from}::date::timestamp at time zone 'UTC'
        and t.created_at < ${f.toExclusive}::date::timestamp at time zone 'UTC'`),
  );
  return r?.median == null ? null : n(r.median);
}
