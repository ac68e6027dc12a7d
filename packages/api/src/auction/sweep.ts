// The safety net behind runAuction's finally block: a process that dies mid-auction (crash,
// deploy, OOM) cannot run its finally, so a periodic sweep ends leads left PROCESSING far longer
// than any auction can take, and re-queues leads whose job was lost before they started. It also
// covers the moments between a commit and the job that should follow it: a sold lead whose
// contractors never got their delivery rows, and deliveries whose job was lost (or is stuck in a
// dead worker) are dispatched again, with the same webhook-id; emails too (email/outbox.ts), except
// one left half-sent by a dead process, which is marked unknown, never resent on its own.
import { buyers, deliveries, leadEvents, leads, transactions } from "@leadflow/db";
import { deliveryMethodsFor } from "@leadflow/engine";
import { and, eq, lt, or, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { toEngineBuyer } from "../buyers/mapping";
import type { Services } from "../context";
import { sweepEmails } from "../email/outbox";
import { dispatchDeliveries } from "./delivery";
import { enqueueAuction } from "./enqueue";

/** Longer than the worst auction: a 10 s ping phase and 5 s per POST down a long cascade. */
export const STUCK_AFTER_MS = 15 * 60_000;
export const UNSTARTED_AFTER_MS = 5 * 60_000;
/** A delivery still pending (or past its retry time) this long has lost its job. */
export const DELIVERY_OVERDUE_MS = 10 * 60_000;

export interface SweepWindows {
  stuckAfterMs: number;
  unstartedAfterMs: number;
  deliveryOverdueMs: number;
}

export const SWEEP_WINDOWS: SweepWindows = { stuckAfterMs: STUCK_AFTER_MS, unstartedAfterMs: UNSTARTED_AFTER_MS, deliveryOverdueMs: DELIVERY_OVERDUE_MS };

export async function sweepLeads(s: Services, w: SweepWindows = SWEEP_WINDOWS): Promise<{ ended: number; requeued: number; redispatched: number }> {
  const now = s.clock.now().getTime();
  const stuck = await s.db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.status, "PROCESSING"), lt(leads.processingAt, new Date(now - w.stuckAfterMs))))
    .limit(500);
  for (const { id } of stuck) await dispatchDeliveries(s, await endLeftLead(s, id, "auction did not finish (process stopped?); ended by the sweep"));
  const unstarted = await s.db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.status, "RECEIVED"), lt(leads.receivedAt, new Date(now - w.unstartedAfterMs))))
    .limit(500);
  for (const { id } of unstarted) await enqueueAuction(s, id);
  const overdue = new Date(now - w.deliveryOverdueMs);
  const lost = await s.db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(or(and(eq(deliveries.status, "pending"), lt(deliveries.createdAt, overdue)), and(eq(deliveries.status, "failed"), lt(deliveries.nextAttemptAt, overdue))))
    .limit(500);
  await dispatchDeliveries(s, lost.map((d) => d.id));
  await sweepEmails(s, overdue);
  if (stuck.length || unstarted.length || lost.length) s.log.warn({ ended: stuck.length, requeued: unstarted.length, redispatched: lost.length }, "lead sweep");
  return { ended: stuck.length, requeued: unstarted.length, redispatched: lost.length };
}

/**
 * Ends one lead a dead process left PROCESSING, in one transaction: SOLD if a sale was written
 * (else UNSOLD), the event that says so, and, for a sold lead, the delivery rows its contractor
 * winners are owed (finalize never wrote them; their sale rows charge them). A crash halfway
 * leaves the lead PROCESSING for the next sweep; two sweepers end it once. Returns the new
 * deliveries, to dispatch after the commit (a lost dispatch is picked up as overdue).
 */
export async function endLeftLead(s: Services, leadId: string, why: string): Promise<string[]> {
  const now = s.clock.now();
  return s.db.transaction(async (tx) => {
    const [ended] = await tx
      .update(leads)
      .set({ status: sql`case when ${leads.winnerCount} > 0 then 'SOLD'::lead_status else 'UNSOLD'::lead_status end`, finishedAt: now })
      .where(and(eq(leads.id, leadId), eq(leads.status, "PROCESSING")))
      .returning({ status: leads.status });
    if (!ended) return [];
    await tx.insert(leadEvents).values({ leadId, at: now, kind: "error", data: { error: why } });
    if (ended.status !== "SOLD") return [];
    const won = await tx
      .select({ buyer: buyers })
      .from(transactions)
      .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
      .where(and(eq(transactions.leadId, leadId), eq(transactions.isWinner, true), eq(buyers.type, "CONTRACTOR")));
    const owed = won.flatMap(({ buyer }) =>
      deliveryMethodsFor(toEngineBuyer(buyer, [])).map((method) => ({ leadId, buyerId: buyer.id, method, webhookId: `msg_${randomUUID()}`, createdAt: now })),
    );
    if (owed.length === 0) return [];
    const made = await tx.insert(deliveries).values(owed).onConflictDoNothing().returning({ id: deliveries.id });
    return made.map((d) => d.id);
  });
}
