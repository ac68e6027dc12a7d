// Writes an auction's result in one transaction: a transaction row per buyer that took part
// (merging the reservation rows sale.ts wrote), the timeline, the deliveries owed to winners, and
// the lead's terminal status. The status update is conditional on PROCESSING; if another path
// already ended the lead, nothing here is kept.
import { deliveries, leadEvents, leads, transactions } from "@leadflow/db";
import { deliveryMethodsFor, type Buyer, type LeadOutcome } from "@leadflow/engine";
import { and, eq, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Services } from "../context";
import type { BuyerRow, LeadRow } from "./load";
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
  lead: LeadRow,
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
  return s.db.transaction(async (tx) => {
    const [ended] = await tx
      .update(leads)
      .set({
        status: outcome.status,
        // A lead contractors bought after every network refused it keeps CASCADE_EXHAUSTED.
        unsoldReason: outcome.unsoldReason ?? (outcome.auction?.unsoldReason === "CASCADE_EXHAUSTED" ? "CASCADE_EXHAUSTED" : null),
        finishedAt: now,
        revenueCents: outcome.revenueCents,
        winnerCount: winners.length,
      })
      .where(and(eq(leads.id, lead.id), eq(leads.status, "PROCESSING")))
      .returning({ id: leads.id });
    if (!ended) throw new LeadAlreadyFinished(`lead ${lead.id} was no longer PROCESSING`);
    if (outcome.records.length > 0) {
      const values = outcome.records.map((r) => {
        const ex = exchanges.get(r.buyerId) ?? {};
        const network = byId.get(r.buyerId)?.type === "NETWORK";
        return {
          leadId: lead.id,
          buyerId: r.buyerId,
          kind: r.kind,
          pingOutcome: network ? (ex.pingOutcome ?? null) : null,
          bidCents: r.bidCents,
          isWinner: r.isWinner,
          lostReason: r.lostReason,
          winningBidAmountCents: r.winningBidAmountCents,
          cascadePosition: r.cascadePosition,
          deliveryMethod: r.isWinner && network ? ("WEBHOOK" as const) : null,
          priceCents: r.isWinner ? r.priceCents : null,
          latencyMs: ex.latencyMs ?? null,
          request: ex.request ?? null,
          response: ex.response ?? null,
          postLatencyMs: ex.postLatencyMs ?? null,
          postResponse: ex.postResponse ?? null,
          detail: r.detail,
          error: ex.error ?? null,
          createdAt: outcome.plan.at,
        };
      });
      await tx
        .insert(transactions)
        .values(values)
        .onConflictDoUpdate({
          target: [transactions.leadId, transactions.buyerId],
          // created_at stays: a sale's row keeps the moment of sale the cap counters count by.
          set: Object.fromEntries(
            ["kind", "ping_outcome", "bid_cents", "is_winner", "lost_reason", "winning_bid_amount_cents", "cascade_position", "delivery_method", "price_cents", "latency_ms", "request", "response", "post_latency_ms", "post_response", "detail", "error"].map(
              (c) => [camel(c), sql.raw(`excluded.${c}`)],
            ),
          ),
        });
    }
    if (timeline.length > 0) {
      await tx.insert(leadEvents).values(timeline.map((e) => ({ leadId: lead.id, at: e.at, kind: e.kind, buyerId: e.buyerId, data: e.data })));
    }
    const owed = winners
      .map((w) => ({ w, buyer: byId.get(w.buyerId) }))
      .filter((x) => x.buyer?.type === "CONTRACTOR" && rows.has(x.w.buyerId))
      .flatMap(({ w, buyer }) =>
        deliveryMethodsFor(buyer!).map((method) => ({ leadId: lead.id, buyerId: w.buyerId, method, webhookId: `msg_${randomUUID()}`, createdAt: now })),
      );
    if (owed.length === 0) return [];
    const made = await tx.insert(deliveries).values(owed).returning({ id: deliveries.id });
    return made.map((d) => d.id);
  });
}

function camel(c: string): string {
  return c.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase());
}
