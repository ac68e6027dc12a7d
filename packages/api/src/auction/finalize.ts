// Writes an auction's result in one statement, so in one transaction and one round trip: a
// transaction row per buyer that took part (merging the reservation rows sale.ts wrote), the
// timeline, the deliveries owed to winners, and the lead's terminal status. The status update is
// conditional on PROCESSING at the run's attempt; if another path already ended the lead (or a
// later attempt runs it), nothing here is kept.
// Results of leads finishing together share the statement (group commit, below).
import { rowsOf, type Db } from "@leadflow/db";
import { deliveryMethodsFor, type Buyer, type LeadOutcome } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Services } from "../context";
import type { AuctionLeadRow, BuyerRow } from "./load";
import type { Exchange } from "./ping";

export interface TimelineEvent {
  at: Date;
  kind: string;
  buyerId: string | null;
  data: Record<string, unknown>;
}

export class LeadAlreadyFinished extends Error {}

export async function finalizeLead(
  s: Services,
  lead: Pick<AuctionLeadRow, "id">,
  attempt: number,
  outcome: LeadOutcome,
  byId: ReadonlyMap<string, Buyer>,
  rows: ReadonlyMap<string, BuyerRow>,
  exchanges: ReadonlyMap<string, Exchange>,
  events: TimelineEvent[],
): Promise<string[]> {
  const now = s.clock.now();
  const timeline: TimelineEvent[] = [
    ...outcome.plan.verdicts.map((v) => ({
      at: outcome.plan.at,
      kind: "eligibility",
      buyerId: v.buyerId,
      data: v.eligible ? { eligible: true, priority: v.priority, detail: v.detail } : { eligible: false, reason: v.reason, detail: v.detail },
    })),
  ];
  for (const [buyerId, ex] of exchanges) {
    const rec = outcome.records.find((r) => r.buyerId === buyerId);
    if (ex.pingOutcome) {
      const data = { outcome: ex.pingOutcome, latencyMs: ex.latencyMs ?? null, bidCents: rec?.bidCents ?? null, detail: ex.pingDetail ?? null };
      timeline.push({ at: outcome.plan.at, kind: "ping", buyerId, data });
    }
  }
  for (const sa of outcome.records.filter((r) => r.lostReason === "BELOW_MIN_BID" || r.lostReason === "COMPLIANCE_MISSING")) {
    timeline.push({ at: now, kind: "bid_set_aside", buyerId: sa.buyerId, data: { reason: sa.lostReason, detail: sa.detail } });
  }
  timeline.push(...events);
  timeline.push({
    at: now,
    kind: "outcome",
    buyerId: null,
    data: { status: outcome.status, unsoldReason: outcome.unsoldReason, soldVia: outcome.soldVia, revenueCents: outcome.revenueCents, cascadeUnsold: outcome.auction?.unsoldReason ?? null },
  });

  const winners = outcome.records.filter((r) => r.isWinner);
  const records = outcome.records.map((r) => {
    const ex = exchanges.get(r.buyerId) ?? {};
    const network = byId.get(r.buyerId)?.type === "NETWORK";
    return {
      buyer_id: r.buyerId,
      kind: r.kind,
      ping_outcome: network ? (ex.pingOutcome ?? null) : null,
      bid_cents: r.bidCents,
      is_winner: r.isWinner,
      lost_reason: r.lostReason,
      winning_bid_amount_cents: r.winningBidAmountCents,
      cascade_position: r.cascadePosition,
      delivery_method: r.isWinner && network ? "WEBHOOK" : null,
      price_cents: r.isWinner ? r.priceCents : null,
      latency_ms: ex.latencyMs ?? null,
      request: ex.request ?? null,
      response: ex.response ?? null,
      post_latency_ms: ex.postLatencyMs ?? null,
      post_response: ex.postResponse ?? null,
      detail: r.detail,
      error: ex.error ?? null,
    };
  });
  const owed = winners
    .map((w) => ({ w, buyer: byId.get(w.buyerId) }))
    .filter((x) => x.buyer?.type === "CONTRACTOR" && rows.has(x.w.buyerId))
    .flatMap(({ w, buyer }) => deliveryMethodsFor(buyer!).map((method) => ({ buyer_id: w.buyerId, method, webhook_id: `msg_${randomUUID()}` })));
  const unsold = outcome.unsoldReason ?? (outcome.auction?.unsoldReason === "CASCADE_EXHAUSTED" ? "CASCADE_EXHAUSTED" : null);
  const result = await writeResult(s.db, {
    lead_id: lead.id,
    attempt,
    status: outcome.status,
    unsold,
    finished_at: now.toISOString(),
    revenue: outcome.revenueCents,
    winners: winners.length,
    plan_at: outcome.plan.at.toISOString(),
    records,
    timeline,
    owed,
  });
  if (!result.ended) throw new LeadAlreadyFinished(`lead ${lead.id} was no longer PROCESSING on attempt ${attempt}`);
  return result.deliveries;
}

/** One lead's result, as the statement reads it (jsonb_to_recordset). */
export interface ResultRow {
  lead_id: string;
  /** The run's attempt: the result is written only if the lead is still on it. Omitted: any. */
  attempt?: number | null;
  status: string;
  unsold: string | null;
  finished_at: string;
  revenue: number;
  winners: number;
  plan_at: string;
  records: unknown[];
  timeline: TimelineEvent[];
  owed: unknown[];
}

export interface Written {
  ended: boolean;
  deliveries: string[];
}

// Group commit. Results that arrive while one write is on its way wait for it, then go together
// in the next statement: one round trip and one commit (one fsync) for many leads when the
// server is busy, and no wait at all when it is not. If a shared write fails, each of its leads
// is written again alone, so a failure lands on the lead that caused it and no other.
interface Pending {
  row: ResultRow;
  resolve: (w: Written) => void;
  reject: (err: unknown) => void;
}
const MAX_BATCH = 64;
const writers = new WeakMap<object, { waiting: Pending[]; busy: boolean }>();

/** Writes one lead's result, sharing the statement with results that arrive meanwhile (exported for its test). */
export function writeResult(db: Db, row: ResultRow): Promise<Written> {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = { waiting: [], busy: false }));
  const done = new Promise<Written>((resolve, reject) => w.waiting.push({ row, resolve, reject }));
  if (!w.busy) void drain(db, w);
  return done;
}

async function drain(db: Db, w: { waiting: Pending[]; busy: boolean }): Promise<void> {
  w.busy = true;
  try {
    while (w.waiting.length > 0) {
      const batch = w.waiting.splice(0, MAX_BATCH);
      try {
        const out = await writeResults(db, batch.map((p) => p.row));
        for (const p of batch) p.resolve(out.get(p.row.lead_id) ?? { ended: false, deliveries: [] });
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        else
          await Promise.all(
            batch.map((p) =>
              writeResults(db, [p.row]).then(
                (out) => p.resolve(out.get(p.row.lead_id) ?? { ended: false, deliveries: [] }),
                (e: unknown) => p.reject(e),
              ),
            ),
          );
      }
    }
  } finally {
    w.busy = false;
  }
}

/**
 * Writes leads' results in one statement, so in one transaction and one round trip: per lead the
 * status change, every buyer's row, the timeline and the deliveries owed. Each insert reads from
 * `ended`, so a lead another path already ended gets nothing written at all.
 */
async function writeResults(db: Db, rows: ResultRow[]): Promise<Map<string, Written>> {
  const res = await db.execute(sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows.map((r, ord) => ({ ...r, ord })))}::jsonb) as i(lead_id uuid, attempt int, status lead_status,
        unsold unsold_reason, finished_at timestamptz, revenue int, winners int, plan_at timestamptz, records jsonb, timeline jsonb, owed jsonb, ord int)
    ), ended as (
      update leads l set status = i.status, unsold_reason = i.unsold, finished_at = i.finished_at, revenue_cents = i.revenue, winner_count = i.winners
      from input i
      where l.id = i.lead_id and l.status = 'PROCESSING' and l.auction_attempt = coalesce(i.attempt, l.auction_attempt)
      returning l.id
    ), rec as (
      insert into transactions (lead_id, buyer_id, kind, ping_outcome, bid_cents, is_winner, lost_reason, winning_bid_amount_cents,
        cascade_position, delivery_method, price_cents, latency_ms, request, response, post_latency_ms, post_response, detail, error, created_at)
      select e.id, x.buyer_id, x.kind::transaction_kind, x.ping_outcome::ping_outcome, x.bid_cents, x.is_winner, x.lost_reason::lost_reason,
        x.winning_bid_amount_cents, x.cascade_position, x.delivery_method::delivery_method, x.price_cents, x.latency_ms, x.request, x.response,
        x.post_latency_ms, x.post_response, x.detail, x.error, i.plan_at
      from ended e join input i on i.lead_id = e.id
      cross join lateral jsonb_to_recordset(i.records) as x(buyer_id uuid, kind text, ping_outcome text, bid_cents int,
        is_winner boolean, lost_reason text, winning_bid_amount_cents int, cascade_position int, delivery_method text, price_cents int,
        latency_ms int, request text, response text, post_latency_ms int, post_response text, detail text, error text)
      -- created_at stays: a sale's row keeps the moment of sale the cap counters count by.
      on conflict (lead_id, buyer_id) do update set kind = excluded.kind, ping_outcome = excluded.ping_outcome, bid_cents = excluded.bid_cents,
        is_winner = excluded.is_winner, lost_reason = excluded.lost_reason, winning_bid_amount_cents = excluded.winning_bid_amount_cents,
        cascade_position = excluded.cascade_position, delivery_method = excluded.delivery_method, price_cents = excluded.price_cents,
        latency_ms = excluded.latency_ms, request = excluded.request, response = excluded.response, post_latency_ms = excluded.post_latency_ms,
        post_response = excluded.post_response, detail = excluded.detail, error = excluded.error
      returning 1
    ), ev as (
      insert into lead_events (lead_id, at, kind, buyer_id, data)
      select e.id, x.at, x.kind, x."buyerId", x.data
      from ended e join input i on i.lead_id = e.id
      cross join lateral rows from (jsonb_to_recordset(i.timeline) as (at timestamptz, kind text, "buyerId" uuid, data jsonb))
        with ordinality as x(at, kind, "buyerId", data, n)
      order by i.ord, x.n
      returning 1
    ), owed as (
      insert into deliveries (lead_id, buyer_id, method, webhook_id, created_at)
      select e.id, x.buyer_id, x.method::delivery_method, x.webhook_id, i.finished_at
      from ended e join input i on i.lead_id = e.id
      cross join lateral jsonb_to_recordset(i.owed) as x(buyer_id uuid, method text, webhook_id text)
      returning lead_id, id
    )
    select (select coalesce(jsonb_agg(id), '[]'::jsonb) from ended) as ended,
      (select coalesce(jsonb_agg(jsonb_build_array(lead_id, id)), '[]'::jsonb) from owed) as owed,
      (select count(*) from rec)::int as recs, (select count(*) from ev)::int as events`);
  const [r] = rowsOf<{ ended: string[] | string; owed: [string, string][] | string }>(res);
  const ended: string[] = typeof r?.ended === "string" ? (JSON.parse(r.ended) as string[]) : (r?.ended ?? []);
  const owed: [string, string][] = typeof r?.owed === "string" ? (JSON.parse(r.owed) as [string, string][]) : (r?.owed ?? []);
  const out = new Map<string, Written>(ended.map((id) => [id, { ended: true, deliveries: [] }]));
  for (const [leadId, id] of owed) out.get(leadId)?.deliveries.push(id);
  return out;
}
