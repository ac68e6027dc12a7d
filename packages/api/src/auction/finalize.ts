// Writes an auction's result in one statement, so in one transaction and one round trip: a
// transaction row per buyer that took part (merging the reservation rows sale.ts wrote), the
// timeline, the deliveries owed to winners, and the lead's terminal status. The status update is
// conditional on PROCESSING; if another path already ended the lead, nothing here is kept.
import { rowsOf } from "@leadflow/db";
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
      data: v.eligible ? { eligible: true, detail: v.detail } : { eligible: false, reason: v.reason, detail: v.detail },
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
  // One statement, so one round trip and one commit: the status change, every buyer's row, the
  // timeline and the deliveries owed. Each insert reads from `ended`, so if another path already
  // ended the lead nothing at all is written.
  const res = await s.db.execute(sql`
    with ended as (
      update leads set status = ${outcome.status}::lead_status, unsold_reason = ${unsold}::unsold_reason,
        finished_at = ${now.toISOString()}::timestamptz, revenue_cents = ${outcome.revenueCents}, winner_count = ${winners.length}
      where id = ${lead.id}::uuid and status = 'PROCESSING'
      returning id
    ), rec as (
      insert into transactions (lead_id, buyer_id, kind, ping_outcome, bid_cents, is_winner, lost_reason, winning_bid_amount_cents,
        cascade_position, delivery_method, price_cents, latency_ms, request, response, post_latency_ms, post_response, detail, error, created_at)
      select ended.id, x.buyer_id, x.kind::transaction_kind, x.ping_outcome::ping_outcome, x.bid_cents, x.is_winner, x.lost_reason::lost_reason,
        x.winning_bid_amount_cents, x.cascade_position, x.delivery_method::delivery_method, x.price_cents, x.latency_ms, x.request, x.response,
        x.post_latency_ms, x.post_response, x.detail, x.error, ${outcome.plan.at.toISOString()}::timestamptz
      from ended, jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(buyer_id uuid, kind text, ping_outcome text, bid_cents int,
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
      select ended.id, x.at, x.kind, x."buyerId", x.data
      from ended, rows from (jsonb_to_recordset(${JSON.stringify(timeline)}::jsonb) as (at timestamptz, kind text, "buyerId" uuid, data jsonb))
        with ordinality as x(at, kind, "buyerId", data, n)
      order by x.n
      returning 1
    ), owed as (
      insert into deliveries (lead_id, buyer_id, method, webhook_id, created_at)
      select ended.id, x.buyer_id, x.method::delivery_method, x.webhook_id, ${now.toISOString()}::timestamptz
      from ended, jsonb_to_recordset(${JSON.stringify(owed)}::jsonb) as x(buyer_id uuid, method text, webhook_id text)
      returning id
    )
    select (select count(*) from ended)::int as ended, (select count(*) from rec)::int as recs, (select count(*) from ev)::int as events,
      coalesce((select array_agg(id) from owed), '{}') as deliveries`);
  const [r] = rowsOf<{ ended: number; deliveries: string[] | string }>(res);
  if (!r || r.ended !== 1) throw new LeadAlreadyFinished(`lead ${lead.id} was no longer PROCESSING`);
  return pgUuidArray(r.deliveries);
}

/** postgres.js parses uuid[]; PGlite may hand back the text form "{a,b}". */
function pgUuidArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  const inner = v.replace(/^\{|\}$/g, "");
  return inner ? inner.split(",") : [];
}
