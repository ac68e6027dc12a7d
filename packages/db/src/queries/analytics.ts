// The analytics charts' statements: each answers one row with one json column `r`, over the
// rollups plus the live tail (unifiedRollup) or, for the marketplace, over the raw tables. The
// services turn these raw shapes into what the dashboard draws.
import type { DeliveryMethod, DeliveryMode, EventType } from "@leadflow/engine";
import { eq, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { buyers, verticals } from "../schema";
import { unifiedRollup } from "./analytics-aggregate";
import { CASCADE_LABELS, LATENCY_BAND_LABELS, LOST_ORDER, UNSOLD_ORDER } from "./analytics-buckets";

/** Whole UTC days [from, toExclusive), optionally one vertical and one buyer. */
export interface AnalyticsRange {
  from: string;
  toExclusive: string;
  vertical?: string | undefined;
  buyerId?: string | undefined;
}

type Row = Record<string, unknown>;
/** Runs a statement that answers one row with one json column `r`. */
export async function selectJsonRow<T>(db: DbOrTx, q: SQL): Promise<T> {
  const res = (await db.execute(q)) as unknown as Row[] | { rows: Row[] };
  const row = (Array.isArray(res) ? res : res.rows)[0];
  const r = row?.r;
  return (typeof r === "string" ? JSON.parse(r) : r) as T;
}

const scope = (f: AnalyticsRange) => ({ vertical: f.vertical, buyerId: f.buyerId });
const tx = (f: AnalyticsRange) => unifiedRollup("tx", f.from, f.toExclusive, scope(f));
const leadRows = (f: AnalyticsRange) => unifiedRollup("lead", f.from, f.toExclusive, scope(f));
const exhaustedIndex = UNSOLD_ORDER.indexOf("CASCADE_EXHAUSTED") + 1;

/**
 * Lost reasons summed by day, by buyer and by vertical (grouping sets; column l<i> is LOST_ORDER[i-1]),
 * and CASCADE_EXHAUSTED per lead by day and by vertical, none when one buyer is picked.
 */
export async function selectLostReasons(db: DbOrTx, f: AnalyticsRange) {
  // Sums by array subscript (cheap) rather than unnest (a row per element): the grouping sets
  // answer a few hundred rows with a column per reason.
  const sums = sql.raw(LOST_ORDER.map((_, i) => `sum(u.lost[${i + 1}])::int as l${i + 1}`).join(", "));
  return selectJsonRow<{
    groups:
      | ({
          gd: number;
          gb: number;
          gv: number;
          day: string | null;
          buyer_id: string | null;
          buyer: string | null;
          vertical: string | null;
        } & Record<string, number>)[]
      | null;
    exhausted: { day: string | null; vertical: string | null; count: number }[] | null;
  }>(
    db,
    sql`with u as ${tx(f)},
      g as (
        select grouping(u.day) as gd, grouping(u.buyer_id) as gb, grouping(u.vertical) as gv, u.day, u.buyer_id, u.vertical, ${sums}
        from u group by grouping sets ((u.day), (u.buyer_id), (u.vertical))
      ),
      ex as (
        select lr.day, lr.vertical, sum(lr.unsold_reasons[${exhaustedIndex}])::int as count
        from ${leadRows(f)} lr
        where ${f.buyerId ? sql`false` : sql`true`}
        group by grouping sets ((lr.day), (lr.vertical))
        having sum(lr.unsold_reasons[${exhaustedIndex}]) > 0
      )
    select json_build_object(
      'groups', (select json_agg(row_to_json(x)) from (select g.*, b.name as buyer from g left join buyers b on b.id = g.buyer_id) x),
      'exhausted', (select json_agg(json_build_object('day', ex.day, 'vertical', ex.vertical, 'count', ex.count)) from ex)
    ) as r`,
  );
}

export interface BuyerPerformanceRow {
  buyerId: string;
  buyer: string;
  type: "NETWORK" | "CONTRACTOR";
  asked: number;
  pings: number;
  bids: number;
  wins: number;
  spentCents: number;
  timeouts: number;
  errors: number;
  posts: number;
  postsRejected: number;
  latencyCount: number;
  latencySumMs: number;
}

/** Per buyer the transaction counts; over all of them latency<i>, won<i>, rejected<i> (bands and cascade positions). */
export async function selectBuyerPerformance(db: DbOrTx, f: AnalyticsRange) {
  const arr = (col: string, k: string, n: number) =>
    Array.from({ length: n }, (_, i) => `'${k}${i + 1}', sum(u.${col}[${i + 1}])`);
  const arrays = sql.raw(
    `select json_build_object(${[...arr("latency_bands", "latency", LATENCY_BAND_LABELS.length), ...arr("posts_won_at", "won", CASCADE_LABELS.length), ...arr("posts_lost_at", "rejected", CASCADE_LABELS.length)].join(", ")}) from u`,
  );
  return selectJsonRow<{ buyers: BuyerPerformanceRow[] | null; arrays: Record<string, number | null> | null }>(
    db,
    sql`with u as materialized ${tx(f)},
      s as (
        select u.buyer_id, sum(u.asked)::int as asked, sum(u.pings)::int as pings, sum(u.bids)::int as bids, sum(u.wins)::int as wins,
          sum(u.spent_cents)::bigint as spent, sum(u.timeouts)::int as timeouts, sum(u.errors)::int as errors, sum(u.posts)::int as posts,
          sum(u.posts_rejected)::int as posts_rejected, sum(u.latency_count)::int as latency_count, sum(u.latency_sum_ms)::bigint as latency_sum
        from u group by u.buyer_id
      )
    select json_build_object(
      'buyers', (select json_agg(json_build_object('buyerId', s.buyer_id, 'buyer', b.name, 'type', b.type, 'asked', s.asked, 'pings', s.pings, 'bids', s.bids,
        'wins', s.wins, 'spentCents', s.spent, 'timeouts', s.timeouts, 'errors', s.errors, 'posts', s.posts, 'postsRejected', s.posts_rejected,
        'latencyCount', s.latency_count, 'latencySumMs', s.latency_sum) order by b.name) from s join buyers b on b.id = s.buyer_id),
      'arrays', (${arrays})
    ) as r`,
  );
}

export interface RevenueTotals {
  leads: number;
  sold: number;
  revenueCents: number;
}

/**
 * Leads, sales and revenue after return credits, per day and by vertical: of the leads received
 * (no buyer), or of the leads one buyer was asked about, won and paid for.
 */
export async function selectRevenue(db: DbOrTx, f: AnalyticsRange) {
  const lo = sql`${f.from}::date::timestamp at time zone 'UTC'`;
  const hi = sql`${f.toExclusive}::date::timestamp at time zone 'UTC'`;
  // Rollups hold revenue before returns; approved returns' credits are subtracted live, by the
  // day of the lead (or, for one buyer, of its sale), so the figures equal leads.revenue_cents.
  const q = f.buyerId
    ? sql`with u as materialized ${tx(f)},
        cr as (select (t.created_at at time zone 'UTC')::date as day, l.vertical, sum(c.amount_cents)::bigint as cents
          from return_credits c join transactions t on t.id = c.sale_id join leads l on l.id = t.lead_id
          where c.buyer_id = ${f.buyerId} and t.created_at >= ${lo} and t.created_at < ${hi} ${f.vertical ? sql`and l.vertical = ${f.vertical}` : sql``}
          group by 1, 2),
        g as (select u.day, u.vertical, sum(u.asked)::int as leads, sum(u.wins)::int as sold, sum(u.spent_cents)::bigint as rev from u group by 1, 2)
      select json_build_object(
        'overTime', (select json_agg(json_build_object('day', d.day, 'leads', d.leads, 'sold', d.sold, 'revenueCents', d.rev) order by d.day)
          from (select g.day, sum(g.leads)::int as leads, sum(g.sold)::int as sold, (sum(g.rev) - coalesce((select sum(cr.cents) from cr where cr.day = g.day), 0))::bigint as rev from g group by g.day) d),
        'byVertical', (select json_agg(json_build_object('vertical', d.vertical, 'leads', d.leads, 'sold', d.sold, 'revenueCents', d.rev) order by d.vertical)
          from (select g.vertical, sum(g.leads)::int as leads, sum(g.sold)::int as sold, (sum(g.rev) - coalesce((select sum(cr.cents) from cr where cr.vertical = g.vertical), 0))::bigint as rev from g group by g.vertical) d)
      ) as r`
    : sql`with u as materialized ${leadRows(f)},
        cr as (select (l.received_at at time zone 'UTC')::date as day, l.vertical, sum(c.amount_cents)::bigint as cents
          from return_credits c join leads l on l.id = c.lead_id
          where l.received_at >= ${lo} and l.received_at < ${hi} ${f.vertical ? sql`and l.vertical = ${f.vertical}` : sql``}
          group by 1, 2)
      select json_build_object(
        'overTime', (select json_agg(json_build_object('day', d.day, 'leads', d.leads, 'sold', d.sold, 'revenueCents', d.rev) order by d.day)
          from (select u.day, sum(u.leads)::int as leads, sum(u.sold)::int as sold, (sum(u.revenue_cents) - coalesce((select sum(cr.cents) from cr where cr.day = u.day), 0))::bigint as rev from u group by u.day) d),
        'byVertical', (select json_agg(json_build_object('vertical', d.vertical, 'leads', d.leads, 'sold', d.sold, 'revenueCents', d.rev) order by d.vertical)
          from (select u.vertical, sum(u.leads)::int as leads, sum(u.sold)::int as sold, (sum(u.revenue_cents) - coalesce((select sum(cr.cents) from cr where cr.vertical = u.vertical), 0))::bigint as rev from u group by u.vertical) d)
      ) as r`;
  return selectJsonRow<{
    overTime: (RevenueTotals & { day: string })[] | null;
    byVertical: (RevenueTotals & { vertical: string })[] | null;
  }>(db, q);
}

/** Contractor deliveries counted by method, the sale's mode and status. */
export async function selectDeliveryCounts(db: DbOrTx, f: AnalyticsRange) {
  return selectJsonRow<
    | {
        method: DeliveryMethod;
        mode: DeliveryMode;
        status: "pending" | "delivered" | "failed" | "dead";
        count: number;
      }[]
    | null
  >(
    db,
    sql`select json_agg(json_build_object('method', d.method, 'mode', d.mode, 'status', d.status, 'count', d.n) order by d.method, d.mode, d.status) as r
      from (select u.method, u.mode, u.status, sum(u.count)::int as n from ${unifiedRollup("delivery", f.from, f.toExclusive, scope(f))} u group by 1, 2, 3) d`,
  );
}

/**
 * The DJ marketplace over [from, toExclusive): inquiries by city and event type, funnel counters,
 * active supply by city, and the prices seen (bookings and accepted quotes) by city and event type.
 */
export async function selectMarketplaceChart(db: DbOrTx, f: AnalyticsRange) {
  const lo = sql`${f.from}::date::timestamp at time zone 'UTC'`;
  const hi = sql`${f.toExclusive}::date::timestamp at time zone 'UTC'`;
  // One pass over the range's inquiries, grouped by city and event type (a few dozen groups).
  return selectJsonRow<{
    groups:
      | {
          city: string;
          eventType: EventType;
          leads: number;
          routed: number;
          accepted: number;
          converted: number;
          responded: number;
          responseMsSum: number | null;
        }[]
      | null;
    funnel: { metric: string; n: number }[] | null;
    supply: { city: string; djs: number }[] | null;
    prices:
      | {
          city: string;
          eventType: EventType;
          n: number;
          min: number;
          p25: number;
          median: number;
          p75: number;
          max: number;
        }[]
      | null;
  }>(
    db,
    sql`with prices as (
        select m.city, m.event_type, m.booking_value_cents as cents from market_leads m
          where m.booking_value_cents is not null and m.converted_at >= ${lo} and m.converted_at < ${hi}
        union all
        select m.city, m.event_type, a.quote_cents from lead_assignments a join market_leads m on m.id = a.lead_id
          where a.status = 'accepted' and a.quote_cents is not null and a.responded_at >= ${lo} and a.responded_at < ${hi}
      )
    select json_build_object(
      'groups', (select json_agg(json_build_object('city', g.city, 'eventType', g.event_type, 'leads', g.leads, 'routed', g.routed, 'accepted', g.accepted,
          'converted', g.converted, 'responded', g.responded, 'responseMsSum', g.ms) order by g.city, g.event_type) from
        (select m.city, m.event_type, count(*)::int as leads, count(*) filter (where m.phase_seq > 0)::int as routed,
          count(*) filter (where m.accepted_at is not null)::int as accepted, count(*) filter (where m.state = 'converted')::int as converted,
          count(m.first_response_at)::int as responded, (sum(extract(epoch from (m.first_response_at - m.created_at))) * 1000)::float8 as ms
         from market_leads m where m.created_at >= ${lo} and m.created_at < ${hi} group by 1, 2) g),
      'funnel', (select json_agg(json_build_object('metric', c.metric, 'n', c.n)) from
        (select metric, sum(count)::int as n from market_funnel_counters where day >= ${f.from}::date and day < ${f.toExclusive}::date group by metric) c),
      'supply', (select json_agg(json_build_object('city', d.city, 'djs', d.n) order by d.city) from
        (select city, count(*)::int as n from djs where is_active and not is_suspended group by city) d),
      'prices', (select json_agg(json_build_object('city', p.city, 'eventType', p.event_type, 'n', p.n, 'min', p.mn, 'p25', p.p25, 'median', p.p50, 'p75', p.p75, 'max', p.mx) order by p.city, p.event_type) from
        (select city, event_type, count(*)::int as n, min(cents) as mn, max(cents) as mx,
          round(percentile_cont(0.25) within group (order by cents))::int as p25,
          round(percentile_cont(0.5) within group (order by cents))::int as p50,
          round(percentile_cont(0.75) within group (order by cents))::int as p75
         from prices group by 1, 2) p)
    ) as r`,
  );
}

/** Whether a vertical with this key exists (an analytics filter must name a known one). */
export async function isKnownVertical(db: DbOrTx, key: string): Promise<boolean> {
  const [v] = await db.select({ key: verticals.key }).from(verticals).where(eq(verticals.key, key));
  return v !== undefined;
}

/** Whether a buyer with this id exists (an analytics filter must name a known one). */
export async function isKnownBuyer(db: DbOrTx, buyerId: string): Promise<boolean> {
  const [b] = await db.select({ id: buyers.id }).from(buyers).where(eq(buyers.id, buyerId));
  return b !== undefined;
}
