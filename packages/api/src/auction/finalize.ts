// Writes an auction's result in one statement, so in one transaction and one round trip: a
// transaction row per buyer that took part (merging the reservation rows sale.ts wrote), the
// timeline, the deliveries owed to winners, the lead's terminal status and, for a post that sold,
// the seller's payout (its ledger entry and event: sellers/record-payout.ts postPayout). The status update is
// conditional on PROCESSING at the run's attempt; if another path already ended the lead (or a
// later attempt runs it), nothing here is kept.
// Results of leads finishing together share the statement (group commit, below).
import { writeLeadResults, type Db, type ResultRow, type Written } from "@leadflow/db";
import { deliveryMethodsFor, type Buyer, type LeadOutcome } from "@leadflow/engine";
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
  /** The seller's payout when it is known before the end (a post: its ping's rule); written with the result. */
  payout?: ResultRow["payout"],
): Promise<{ deliveries: string[]; sellerHook: boolean }> {
  const now = s.clock.now();
  const timeline: TimelineEvent[] = [
    ...outcome.plan.verdicts.map((v) => ({
      at: outcome.plan.at,
      kind: "eligibility",
      buyerId: v.buyerId,
      data: v.eligible
        ? { eligible: true, priority: v.priority, detail: v.detail }
        : { eligible: false, reason: v.reason, detail: v.detail, ...(v.facts ? { facts: v.facts } : {}) },
    })),
  ];
  for (const [buyerId, ex] of exchanges) {
    const rec = outcome.records.find((r) => r.buyerId === buyerId);
    if (ex.pingOutcome) {
      const data = {
        outcome: ex.pingOutcome,
        latencyMs: ex.latencyMs ?? null,
        bidCents: rec?.bidCents ?? null,
        detail: ex.pingDetail ?? null,
      };
      timeline.push({ at: outcome.plan.at, kind: "ping", buyerId, data });
    }
  }
  for (const sa of outcome.records.filter(
    (r) => r.lostReason === "BELOW_MIN_BID" || r.lostReason === "COMPLIANCE_MISSING",
  )) {
    timeline.push({
      at: now,
      kind: "bid_set_aside",
      buyerId: sa.buyerId,
      data: { reason: sa.lostReason, detail: sa.detail },
    });
  }
  timeline.push(...events);
  timeline.push({
    at: now,
    kind: "outcome",
    buyerId: null,
    data: {
      status: outcome.status,
      unsoldReason: outcome.unsoldReason,
      soldVia: outcome.soldVia,
      revenueCents: outcome.revenueCents,
      cascadeUnsold: outcome.auction?.unsoldReason ?? null,
    },
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
    .flatMap(({ w, buyer }) =>
      deliveryMethodsFor(buyer!).map((method) => ({ buyer_id: w.buyerId, method, webhook_id: `msg_${randomUUID()}` })),
    );
  const unsold =
    outcome.unsoldReason ?? (outcome.auction?.unsoldReason === "CASCADE_EXHAUSTED" ? "CASCADE_EXHAUSTED" : null);
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
    payout: payout ?? null,
  });
  if (!result.ended) throw new LeadAlreadyFinished(`lead ${lead.id} was no longer PROCESSING on attempt ${attempt}`);
  return { deliveries: result.deliveries, sellerHook: result.sellerHook ?? true };
}

export type { ResultRow, Written } from "@leadflow/db";

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
        const out = await writeResults(
          db,
          batch.map((p) => p.row),
        );
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

/** The statement (queries/auction.ts writeLeadResults): a lead another path already ended gets nothing written. */
function writeResults(db: Db, rows: ResultRow[]): Promise<Map<string, Written>> {
  return writeLeadResults(db, rows);
}
