// The auction's charts. Each is one SQL statement over rollup + live tail (the select* query
// functions of @leadflow/db), shaped here into what the dashboard draws; buyer names joined in.
import {
  selectBuyerPerformance,
  selectDeliveryCounts,
  selectLostReasons,
  selectRevenue,
  type DbOrTx,
  type RevenueTotals,
} from "@leadflow/db";
import type { LostReason } from "@leadflow/engine";
import { CASCADE_LABELS, LATENCY_BAND_LABELS, LOST_ORDER } from "./buckets";
import type { Filters } from "./filters";

/** Runs a statement that answers one row with one json column `r` (kept for callers of the old name). */
export { selectJsonRow as jsonRow } from "@leadflow/db";

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
  // A few hundred grouping-set rows with a column per reason, turned into rows here.
  const r = await selectLostReasons(db, f);
  const groups = r.groups ?? [];
  const explode = <K extends "day" | "buyer_id" | "vertical">(flag: "gd" | "gb" | "gv", key: K) =>
    groups
      .filter((g) => g[flag] === 0)
      .flatMap((g) =>
        LOST_ORDER.flatMap((reason, i) => {
          const count = Number(g[`l${i + 1}`] ?? 0);
          return reason === "CASCADE_EXHAUSTED" || count === 0
            ? []
            : [{ key: g[key] as string, buyer: g.buyer ?? "", reason, count }];
        }),
      );
  const exhausted = r.exhausted ?? [];
  const overTime = [
    ...explode("gd", "day").map((x) => ({ day: x.key, reason: x.reason, count: x.count })),
    ...exhausted
      .filter((e) => e.day)
      .map((e) => ({ day: e.day!, reason: "CASCADE_EXHAUSTED" as const, count: e.count })),
  ].sort((a, b) => a.day.localeCompare(b.day) || a.reason.localeCompare(b.reason));
  const byBuyer = explode("gb", "buyer_id")
    .map((x) => ({ buyerId: x.key, buyer: x.buyer, reason: x.reason, count: x.count }))
    .sort((a, b) => a.buyer.localeCompare(b.buyer) || a.reason.localeCompare(b.reason));
  const byVertical = [
    ...explode("gv", "vertical").map((x) => ({ vertical: x.key, reason: x.reason, count: x.count })),
    ...exhausted
      .filter((e) => e.vertical)
      .map((e) => ({ vertical: e.vertical!, reason: "CASCADE_EXHAUSTED" as const, count: e.count })),
  ].sort((a, b) => a.vertical.localeCompare(b.vertical) || a.reason.localeCompare(b.reason));
  const totals = new Map<LostReason, number>();
  for (const x of overTime) totals.set(x.reason, (totals.get(x.reason) ?? 0) + x.count);
  const byReason: ReasonCount[] = [...totals]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
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
  const r = await selectBuyerPerformance(db, f);
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
  const cascade = CASCADE_LABELS.map((position, i) => ({
    position,
    accepted: pick("won", i + 1),
    rejected: pick("rejected", i + 1),
  }));
  return { buyers, latency, cascade };
}

export type RevenueRow = RevenueTotals;

/**
 * Revenue and revenue per lead, per day and by vertical. Without a buyer: the leads received and
 * what their winners paid (leads.revenue_cents). With a buyer: the leads that buyer was asked
 * about, the ones it won and what it paid.
 */
export async function revenueChart(db: DbOrTx, f: Filters) {
  // Rollups hold revenue before returns; approved returns' credits are subtracted live (selectRevenue).
  const r = await selectRevenue(db, f);
  const norm = <T extends RevenueRow>(x: T) => ({
    ...x,
    revenueCents: Number(x.revenueCents),
    perLeadCents: x.leads > 0 ? Math.round(Number(x.revenueCents) / x.leads) : null,
  });
  const overTime = (r.overTime ?? []).map(norm);
  const byVertical = (r.byVertical ?? []).map(norm);
  const total = overTime.reduce(
    (a, x) => ({ leads: a.leads + x.leads, sold: a.sold + x.sold, revenueCents: a.revenueCents + x.revenueCents }),
    { leads: 0, sold: 0, revenueCents: 0 },
  );
  return { basis: f.buyerId ? ("buyer" as const) : ("leads" as const), overTime, byVertical, total: norm(total) };
}

/** Contractor deliveries by method and the sale's mode, by status. */
export async function deliveriesChart(db: DbOrTx, f: Filters) {
  const r = await selectDeliveryCounts(db, f);
  return { rows: r ?? [] };
}
