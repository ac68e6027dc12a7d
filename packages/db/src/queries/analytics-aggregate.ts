// One SQL aggregation per rollup, used twice: by the rollup job to fill a closed day, and by the
// charts on the raw rows after the last rolled-up day (the live tail). Because both run the very
// same SELECT, rollup + tail equals the aggregate over the raw tables.
import { sql, type SQL } from "drizzle-orm";
import { CASCADE_POSITIONS, LATENCY_BOUNDS_MS, LOST_ORDER, UNSOLD_ORDER } from "./analytics-buckets";

export interface AnalyticsScope {
  vertical?: string | undefined;
  buyerId?: string | undefined;
}

/** Names of the rollups in analytics_rollup_state. */
export const ROLLUPS = { tx: "tx", lead: "lead", delivery: "delivery" } as const;
export type RollupName = keyof typeof ROLLUPS;

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const countArray = (conds: string[]) =>
  sql.raw(`array[${conds.map((c) => `count(*) filter (where ${c})::int`).join(", ")}]::int[]`);

const latencyBands = countArray([
  ...LATENCY_BOUNDS_MS.map(
    (hi, i) =>
      `t.latency_ms is not null and t.latency_ms < ${hi}${i === 0 ? "" : ` and t.latency_ms >= ${LATENCY_BOUNDS_MS[i - 1]}`}`,
  ),
  `t.latency_ms >= ${LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]}`,
]);
const lostCounts = countArray(LOST_ORDER.map((r) => `t.lost_reason = ${quote(r)}`));
const positions = (won: boolean) =>
  countArray(
    Array.from({ length: CASCADE_POSITIONS }, (_, i) => {
      const at = i + 1 === CASCADE_POSITIONS ? `t.cascade_position >= ${i + 1}` : `t.cascade_position = ${i + 1}`;
      return `t.kind = 'POST' and ${won ? "" : "not "}t.is_winner and ${at}`;
    }),
  );
const unsoldCounts = countArray(UNSOLD_ORDER.map((r) => `l.unsold_reason = ${quote(r)}`));

const utcDay = (col: SQL) => sql`(${col} at time zone 'UTC')::date`;

/** Transactions of [lo, hi) by UTC day, the lead's vertical and buyer: the columns of analytics_tx_daily, in order. */
export function txAggregate(lo: SQL, hi: SQL, scope: AnalyticsScope): SQL {
  return sql`select ${utcDay(sql`t.created_at`)} as day, l.vertical, t.buyer_id,
    count(*)::int as asked,
    count(*) filter (where t.ping_outcome is not null)::int as pings,
    count(*) filter (where t.bid_cents is not null)::int as bids,
    count(*) filter (where t.is_winner)::int as wins,
    coalesce(sum(t.price_cents) filter (where t.is_winner), 0)::bigint as spent_cents,
    count(*) filter (where t.ping_outcome = 'TIMEOUT')::int as timeouts,
    count(*) filter (where t.ping_outcome = 'ERROR')::int as errors,
    count(*) filter (where t.kind = 'POST')::int as posts,
    count(*) filter (where t.kind = 'POST' and not t.is_winner)::int as posts_rejected,
    count(t.latency_ms)::int as latency_count,
    coalesce(sum(t.latency_ms), 0)::bigint as latency_sum_ms,
    ${latencyBands} as latency_bands,
    ${lostCounts} as lost,
    ${positions(true)} as posts_won_at,
    ${positions(false)} as posts_lost_at
  from transactions t join leads l on l.id = t.lead_id
  where t.created_at >= ${lo} and t.created_at < ${hi}
    ${scope.vertical ? sql`and l.vertical = ${scope.vertical}` : sql``}
    ${scope.buyerId ? sql`and t.buyer_id = ${scope.buyerId}` : sql``}
  group by 1, 2, 3`;
}

/**
 * Leads received in [lo, hi) by UTC day and vertical: the columns of analytics_lead_daily.
 * Revenue is before returns (what the winners paid at the sale): an approved return lowers
 * leads.revenue_cents days later, so the rollup keeps the figure that never changes and the
 * charts subtract the credits (return_credits) live.
 */
export function leadAggregate(lo: SQL, hi: SQL, scope: AnalyticsScope): SQL {
  return sql`select ${utcDay(sql`l.received_at`)} as day, l.vertical,
    count(*)::int as leads,
    count(*) filter (where l.status = 'SOLD')::int as sold,
    count(*) filter (where l.status = 'UNSOLD')::int as unsold,
    count(*) filter (where l.status = 'REJECTED')::int as rejected,
    coalesce(sum(l.revenue_cents + coalesce(rc.cents, 0)), 0)::bigint as revenue_cents,
    ${unsoldCounts} as unsold_reasons
  from leads l
    left join (select c.lead_id, sum(c.amount_cents) as cents from return_credits c group by c.lead_id) rc on rc.lead_id = l.id
  where l.received_at >= ${lo} and l.received_at < ${hi}
    ${scope.vertical ? sql`and l.vertical = ${scope.vertical}` : sql``}
  group by 1, 2`;
}

/**
 * Deliveries owed in [lo, hi) by day, vertical, buyer, method, mode of the sale and status. The
 * mode is what the sale recorded on the timeline (direct_claim); a delivery without one (sold
 * before that event existed) takes the buyer's configured mode.
 */
export function deliveryAggregate(lo: SQL, hi: SQL, scope: AnalyticsScope): SQL {
  return sql`select ${utcDay(sql`d.created_at`)} as day, l.vertical, d.buyer_id, d.method,
    coalesce(m.mode, b.delivery_mode) as mode, d.status, count(*)::int as count
  from deliveries d
    join leads l on l.id = d.lead_id
    join buyers b on b.id = d.buyer_id
    left join lateral (
      select (e.data->>'mode')::delivery_mode as mode from lead_events e
      where e.lead_id = d.lead_id and e.buyer_id = d.buyer_id and e.kind = 'direct_claim' and e.data->>'mode' in ('EXCLUSIVE', 'SHARED')
      order by e.id desc limit 1
    ) m on true
  where d.created_at >= ${lo} and d.created_at < ${hi}
    ${scope.vertical ? sql`and l.vertical = ${scope.vertical}` : sql``}
    ${scope.buyerId ? sql`and d.buyer_id = ${scope.buyerId}` : sql``}
  group by 1, 2, 3, 4, 5, 6`;
}

const TABLES: Record<RollupName, { table: string; agg: (lo: SQL, hi: SQL, s: AnalyticsScope) => SQL; buyer: boolean }> =
  {
    tx: { table: "analytics_tx_daily", agg: txAggregate, buyer: true },
    lead: { table: "analytics_lead_daily", agg: leadAggregate, buyer: false },
    delivery: { table: "analytics_delivery_daily", agg: deliveryAggregate, buyer: true },
  };

export function rollupTable(name: RollupName): { table: string; agg: (lo: SQL, hi: SQL, s: AnalyticsScope) => SQL } {
  return TABLES[name];
}

/** The first day not in the rollup (null when nothing was ever rolled up), read inside the query. */
const through = (name: RollupName) =>
  sql`coalesce((select s.through from analytics_rollup_state s where s.name = ${name}), '1970-01-01'::date)`;

/**
 * The rows of one rollup for UTC days [fromDay, toDayExclusive): rolled-up days from the rollup
 * table, later days aggregated from the raw rows, in one statement (one snapshot), so a rollup
 * job committing meanwhile can neither drop nor double a day.
 */
export function unifiedRollup(name: RollupName, fromDay: string, toDayExclusive: string, scope: AnalyticsScope): SQL {
  const { table, agg, buyer } = TABLES[name];
  const lo = sql`greatest(${fromDay}::date, ${through(name)})::timestamp at time zone 'UTC'`;
  const hi = sql`${toDayExclusive}::date::timestamp at time zone 'UTC'`;
  return sql`(select * from ${sql.raw(table)} r
      where r.day >= ${fromDay}::date and r.day < least(${toDayExclusive}::date, ${through(name)})
        ${scope.vertical ? sql`and r.vertical = ${scope.vertical}` : sql``}
        ${buyer && scope.buyerId ? sql`and r.buyer_id = ${scope.buyerId}` : sql``}
    union all
    ${agg(lo, hi, scope)})`;
}
