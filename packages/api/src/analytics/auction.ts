// The auction's charts. Each is one SQL statement over rollup + live tail (aggregate.ts
// `unified`), answering JSON in the shape the dashboard draws; buyer names joined in.
import type { DbOrTx } from "@leadflow/db";
import type { DeliveryMethod, DeliveryMode, LostReason } from "@leadflow/engine";
import { sql, type SQL } from "drizzle-orm";
import { unified } from "./aggregate";
import { CASCADE_LABELS, LATENCY_BAND_LABELS, LOST_ORDER, UNSOLD_ORDER } from "./buckets";
import type { Filters } from "./filters";

type Row = Record<string, unknown>;
/** Runs a statement that answers one row with one json column `r`. */
export async function jsonRow<T>(db: DbOrTx, q: SQL): Promise<T> {
  const res = (await db.execute(q)) as unknown as Row[] | { rows: Row[] };
  const row = (Array.isArray(res) ? res : res.rows)[0];
  const r = row?.r;
  return (typeof r === "string" ? JSON.parse(r) : r) as T;
}

const scope = (f: Filters) => ({ vertical: f.vertical, buyerId: f.buyerId });
const tx = (f: Filters) => unified("tx", f.from, f.toExclusive, scope(f));
const leadRows = (f: Filters) => unified("lead", f.from, f.toExclusive, scope(f));
const exhaustedIndex = UNSOLD_ORDER.indexOf("CASCADE_EXHAUSTED") + 1;

export interface ReasonCount {
  reason: LostReason;
  count: number;
}

/**
 * Lost reasons over time, by buyer and by vertical. Every reason comes from the buyers'
 * transactions except CASCADE_EXHAUSTED, which belongs to a lead (no one buyer caused it): it is
 * counted once per lead, over time and by vertical, never by buyer, and not when one buyer is
 * picked.
 */
export async function lostReasonsChart(db: DbOrTx, f: Filters) {
  // Sums by array subscript (cheap) rather than unnest (a row per element): the grouping sets
  // answer a few hundred rows with a column per reason, turned into rows here.
  const sums = sql.raw(LOST_ORDER.map((_, i) => `sum(u.lost[${i + 1}])::int as l${i + 1}`).join(", "));
  const r = await jsonRow<{
    groups: ({ gd: number; gb: number; gv: number; day: string | null; buyer_id: string | null; buyer: string | null; vertical: string | null } & Record<string, number>)[] | null;
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
  const groups = r.groups ?? [];
  const explode = <K extends "day" | "buyer_id" | "vertical">(flag: "gd" | "gb" | "gv", key: K) =>
    groups
      .filter((g) => g[flag] === 0)
      .flatMap((g) =>
        LOST_ORDER.flatMap((reason, i) => {
          const count = Number(g[`l${i + 1}`] ?? 0);
          return reason === "CASCADE_EXHAUSTED" || count === 0 ? [] : [{ key: g[key] as string, buyer: g.buyer ?? "", reason, count }];
        }),
      );
  const exhausted = r.exhausted ?? [];
  const overTime = [
    ...explode("gd", "day").map((x) => ({ day: x.key, reason: x.reason, count: x.count })),
    ...exhausted.filter((e) => e.day).map((e) => ({ day: e.day!, reason: "CASCADE_EXHAUSTED" as const, count: e.count })),
  ].sort((a, b) => a.day.localeCompare(b.day) || a.reason.localeCompare(b.reason));
  const byBuyer = explode("gb", "buyer_id")
    .map((x) => ({ buyerId: x.key, buyer: x.buyer, reason: x.reason, count: x.count }))
    .sort((a, b) => a.buyer.localeCompare(b.buyer) || a.reason.localeCompare(b.reason));
  const byVertical = [
    ...explode("gv", "vertical").map((x) => ({ vertical: x.key, reason: x.reason, count: x.count })),
    ...exhausted.filter((e) => e.vertical).map((e) => ({ vertical: e.vertical!, reason: "CASCADE_EXHAUSTED" as const, count: e.count })),
  ].sort((a, b) => a.vertical.localeCompare(b.vertical) || a.reason.localeCompare(b.reason));
  const totals = new Map<LostReason, number>();
  for (const x of overTime) totals.set(x.reason, (totals.get(x.reason) ?? 0) + x.count);
  const byReason: ReasonCount[] = [...totals].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return { overTime, byBuyer, byVertical, byReason };
}

export interface BuyerStats {
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
  /** bids / asked */
  acceptanceRate: number | null;
  /** rejected POSTs / POSTs */
  postRejectRate: number | null;
  /** timeouts / pings */
  timeoutRate: number | null;
  meanLatencyMs: number | null;
}

const rate = (a: number, b: number) => (b > 0 ? a / b : null);

/**
 * Per buyer: acceptance (bid when asked), post-reject rate, ping latency and timeouts; and over
 * all of them the latency bands and the cascade: POSTs by position, accepted and rejected.
 */
export async function buyerPerformanceChart(db: DbOrTx, f: Filters) {
  const arr = (col: string, k: string, n: number) => Array.from({ length: n }, (_, i) => `'${k}${i + 1}', sum(u.${col}[${i + 1}])`);
  const arrays = sql.raw(
    `select json_build_object(${[...arr("latency_bands", "latency", LATENCY_BAND_LABELS.length), ...arr("posts_won_at", "won", CASCADE_LABELS.length), ...arr("posts_lost_at", "rejected", CASCADE_LABELS.length)].join(", ")}) from u`,
  );
  const r = await jsonRow<{ buyers: Omit<BuyerStats, "acceptanceRate" | "postRejectRate" | "timeoutRate" | "meanLatencyMs">[] | null; arrays: Record<string, number | null> | null }>(
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
  const buyers: BuyerStats[] = (r.buyers ?? []).map((b) => ({
    ...b,
    spentCents: Number(b.spentCents),
    latencySumMs: Number(b.latencySumMs),
    acceptanceRate: rate(b.bids, b.asked),
    postRejectRate: rate(b.postsRejected, b.posts),
    timeoutRate: rate(b.timeouts, b.pings),
    meanLatencyMs: b.latencyCount > 0 ? Math.round(Number(b.latencySumMs) / b.latencyCount) : null,
  }));
  const pick = (k: string, i: number) => Number(r.arrays?.[`${k}${i}`] ?? 0);
  const latency = LATENCY_BAND_LABELS.map((band, i) => ({ band, count: pick("latency", i + 1) }));
  const cascade = CASCADE_LABELS.map((position, i) => ({ position, accepted: pick("won", i + 1), rejected: pick("rejected", i + 1) }));
  return { buyers, latency, cascade };
}

export interface RevenueRow {
  leads: number;
  sold: number;
  revenueCents: number;
}

/**
 * Revenue and revenue per lead, per day and by vertical. Without a buyer: the leads received and
 * what their winners paid (leads.revenue_cents). With a buyer: the leads that buyer was asked
 * about, the ones it won and what it paid.
 */
export async function revenueChart(db: DbOrTx, f: Filters) {
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
  const r = await jsonRow<{ overTime: (RevenueRow & { day: string })[] | null; byVertical: (RevenueRow & { vertical: string })[] | null }>(db, q);
  const norm = <T extends RevenueRow>(x: T) => ({ ...x, revenueCents: Number(x.revenueCents), perLeadCents: x.leads > 0 ? Math.round(Number(x.revenueCents) / x.leads) : null });
  const overTime = (r.overTime ?? []).map(norm);
  const byVertical = (r.byVertical ?? []).map(norm);
  const total = overTime.reduce((a, x) => ({ leads: a.leads + x.leads, sold: a.sold + x.sold, revenueCents: a.revenueCents + x.revenueCents }), { leads: 0, sold: 0, revenueCents: 0 });
  return { basis: f.buyerId ? ("buyer" as const) : ("leads" as const), overTime, byVertical, total: norm(total) };
}

/** Contractor deliveries by method and the sale's mode, by status. */
export async function deliveriesChart(db: DbOrTx, f: Filters) {
  const r = await jsonRow<{ method: DeliveryMethod; mode: DeliveryMode; status: "pending" | "delivered" | "failed" | "dead"; count: number }[] | null>(
    db,
    sql`select json_agg(json_build_object('method', d.method, 'mode', d.mode, 'status', d.status, 'count', d.n) order by d.method, d.mode, d.status) as r
      from (select u.method, u.mode, u.status, sum(u.count)::int as n from ${unified("delivery", f.from, f.toExclusive, scope(f))} u group by 1, 2, 3) d`,
  );
  return { rows: r ?? [] };
}
