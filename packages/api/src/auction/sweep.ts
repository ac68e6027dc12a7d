// The safety nets behind runAuction's finally block. A process that dies mid-auction (crash,
// deploy, OOM) cannot run its finally: its leads stay PROCESSING under its owner id, and once its
// lease has not been renewed for LEASE_EXPIRES_MS, reclaimStranded (every RECLAIM_EVERY_MS in each
// worker process, lease.ts) runs their auctions again, or ends them when a sale was already written
// or they were started MAX_AUCTION_ATTEMPTS times. The minute sweep (sweepLeads) ends leads left
// PROCESSING far longer than any auction can take (the fallback for leads started without a
// lease), and re-queues leads whose job was lost before they started. It also
// covers the moments between a commit and the job that should follow it: a sold lead whose
// contractors never got their delivery rows, and deliveries whose job was lost (or is stuck in a
// dead worker) are dispatched again, with the same webhook-id; emails too (email/outbox.ts), except
// one left half-sent by a dead process, which is marked unknown, never resent on its own.
import {
  deleteDeadWorkerLeases,
  endProcessingLead,
  insertDeliveriesIfAbsent,
  insertLeadEvent,
  insertLeadEvents,
  listOverdueDeliveries,
  listStrandedLeads,
  listStuckLeads,
  listUnstartedLeads,
  listWinningContractors,
  restartStrandedLeads,
} from "@leadflow/db";
import { deliveryMethodsFor } from "@leadflow/engine";
import { randomUUID } from "node:crypto";
import { toEngineBuyer } from "../buyers/mapping";
import type { Services } from "../context";
import { sweepEmails } from "../email/outbox";
import { dispatchDeliveries } from "./delivery";
import { enqueueAuction } from "./enqueue";
import { runAuction, startedMap, type AuctionRun, type StartedLead } from "./run-auction";

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

export const SWEEP_WINDOWS: SweepWindows = {
  stuckAfterMs: STUCK_AFTER_MS,
  unstartedAfterMs: UNSTARTED_AFTER_MS,
  deliveryOverdueMs: DELIVERY_OVERDUE_MS,
};

export async function sweepLeads(
  s: Services,
  w: SweepWindows = SWEEP_WINDOWS,
): Promise<{ ended: number; requeued: number; redispatched: number }> {
  const now = s.clock.now().getTime();
  const stuck = await listStuckLeads(s.db, new Date(now - w.stuckAfterMs));
  for (const { id, attempt } of stuck)
    await dispatchDeliveries(
      s,
      await endLeftLead(s, id, "auction did not finish (process stopped?); ended by the sweep", attempt),
    );
  const unstarted = await listUnstartedLeads(s.db, new Date(now - w.unstartedAfterMs));
  for (const { id } of unstarted) await enqueueAuction(s, id);
  const overdue = new Date(now - w.deliveryOverdueMs);
  const lost = await listOverdueDeliveries(s.db, overdue);
  await dispatchDeliveries(
    s,
    lost.map((d) => d.id),
  );
  await sweepEmails(s, overdue);
  // Leases of processes long gone (one row per process start). A lead of theirs still PROCESSING
  // stays stranded without the row (reclaimStranded counts a missing lease as expired).
  await deleteDeadWorkerLeases(s.db);
  if (stuck.length || unstarted.length || lost.length)
    s.log.warn({ ended: stuck.length, requeued: unstarted.length, redispatched: lost.length }, "lead sweep");
  return { ended: stuck.length, requeued: unstarted.length, redispatched: lost.length };
}

/**
 * Ends one lead a dead process left PROCESSING, in one transaction: SOLD if a sale was written
 * (else UNSOLD), the event that says so, and, for a sold lead, the delivery rows its contractor
 * winners are owed (finalize never wrote them; their sale rows charge them). A crash halfway
 * leaves the lead PROCESSING for the next sweep; two sweepers end it once. With `attempt`, only
 * while the lead is still on that attempt (not started again since); with `ownerGoneMs`, only while
 * its owner's lease is still expired. Returns the new deliveries, to dispatch after the commit (a
 * lost dispatch is picked up as overdue).
 */
export async function endLeftLead(
  s: Services,
  leadId: string,
  why: string,
  attempt?: number,
  ownerGoneMs?: number,
): Promise<string[]> {
  const now = s.clock.now();
  return s.db.transaction(async (tx) => {
    const status = await endProcessingLead(tx, leadId, now, attempt, ownerGoneMs);
    if (!status) return [];
    await insertLeadEvent(tx, { leadId, at: now, kind: "error", data: { error: why } });
    if (status !== "SOLD") return [];
    const won = await listWinningContractors(tx, leadId);
    const owed = won.flatMap((buyer) =>
      deliveryMethodsFor(toEngineBuyer(buyer, [])).map((method) => ({
        leadId,
        buyerId: buyer.id,
        method,
        webhookId: `msg_${randomUUID()}`,
        createdAt: now,
      })),
    );
    if (owed.length === 0) return [];
    return insertDeliveriesIfAbsent(tx, owed);
  });
}

/** A process's lease is renewed this often (lease.ts)… */
export const LEASE_RENEW_MS = 5_000;
/** …and a lead whose owner's lease is older than this is stranded: four renewals missed. */
export const LEASE_EXPIRES_MS = 20_000;
/** How often each worker process looks for stranded leads: so one is picked up within 30 s. */
export const RECLAIM_EVERY_MS = 10_000;
/** Starts of one lead's auction at most; a lead stranded on its last is ended UNSOLD. */
export const MAX_AUCTION_ATTEMPTS = 3;

export interface ReclaimOptions {
  expiresMs: number;
  maxAttempts: number;
}

export const RECLAIM: ReclaimOptions = { expiresMs: LEASE_EXPIRES_MS, maxAttempts: MAX_AUCTION_ATTEMPTS };

export interface Reclaimed {
  /** Leads whose auction this process started again (attempt + 1). */
  rerun: number;
  /** Leads ended: a sale was written, or the attempts ran out. */
  ended: number;
  /** The auctions started again, running in this process. */
  runs: Promise<AuctionRun>[];
}

/**
 * Leads PROCESSING under an owner whose lease expired: the process running them stopped. With no
 * sale written (winner_count = 0: claim_sale counts every reservation, releaseSale uncounts it),
 * this process takes the auction over in one statement that re-checks all of it (still PROCESSING,
 * still unsold, still stranded) and starts it again with the next attempt number, and the timeline
 * says so; the earlier run, if its process was only slow, can neither sell the lead nor write its
 * result (both check the attempt). Networks the earlier run pinged are pinged again: the event
 * records that they may be. With a sale written, the lead ends as the sale left it (endLeftLead),
 * and a lead stranded on its MAX_AUCTION_ATTEMPTS-th start ends UNSOLD with the reason.
 */
export async function reclaimStranded(s: Services, o: ReclaimOptions = RECLAIM): Promise<Reclaimed> {
  const stranded = await listStrandedLeads(s.db, o.expiresMs);
  if (stranded.length === 0) return { rerun: 0, ended: 0, runs: [] };
  const rerunnable = stranded.filter((l) => l.winners === 0 && l.attempt < o.maxAttempts);
  const now = s.clock.now();
  const started: Map<string, StartedLead> =
    rerunnable.length === 0
      ? new Map()
      : await s.db.transaction(async (tx) => {
          const rows = await restartStrandedLeads(
            tx,
            rerunnable.map((l) => l.id),
            now,
            s.lease?.owner ?? null,
            o.maxAttempts,
            o.expiresMs,
          );
          if (rows.length > 0) {
            const was = new Map(rerunnable.map((l) => [l.id, l]));
            await insertLeadEvents(
              tx,
              rows.map((r) => ({
                leadId: r.lead.id,
                at: now,
                kind: "reauctioned",
                data: {
                  reason: "re-auctioned after a process stopped",
                  detail: `the process running attempt ${r.attempt - 1} stopped renewing its lease (none for ${o.expiresMs / 1000} s) before anything was sold; networks that attempt pinged may be pinged again`,
                  attempt: r.attempt,
                  previousOwner: was.get(r.lead.id)?.owner ?? null,
                  owner: s.lease?.owner ?? null,
                },
              })),
            );
          }
          return startedMap(rows);
        });
  let ended = 0;
  for (const l of stranded) {
    if (started.has(l.id) || (l.winners === 0 && l.attempt < o.maxAttempts)) continue;
    const why =
      l.winners > 0
        ? `the process running its auction (attempt ${l.attempt}) stopped after a sale was written; ended with what was sold`
        : `its auction was started ${l.attempt} times and the process running it stopped each time; ended unsold`;
    const owed = await endLeftLead(s, l.id, why, l.attempt, o.expiresMs);
    ended++;
    await dispatchDeliveries(s, owed);
  }
  const runs = [...started].map(([id, st]) => runAuction(s, id, st));
  if (started.size > 0 || ended > 0)
    s.log.warn({ rerun: started.size, ended, stranded: stranded.length }, "stranded leads reclaimed");
  return { rerun: started.size, ended, runs };
}
