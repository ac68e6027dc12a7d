// The safety net behind runAuction's finally block: a process that dies mid-auction (crash,
// deploy, OOM) cannot run its finally, so a periodic sweep ends leads left PROCESSING far longer
// than any auction can take, and re-queues leads whose job was lost before they started.
import { leadEvents, leads } from "@leadflow/db";
import { and, eq, lt } from "drizzle-orm";
import type { Services } from "../context";
import { enqueueAuction } from "./enqueue";
import { endStuckLead } from "./run-auction";

/** Longer than the worst auction: a 10 s ping phase and 5 s per POST down a long cascade. */
export const STUCK_AFTER_MS = 15 * 60_000;
export const UNSTARTED_AFTER_MS = 5 * 60_000;

export async function sweepLeads(s: Services): Promise<{ ended: number; requeued: number }> {
  const now = s.clock.now().getTime();
  const stuck = await s.db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.status, "PROCESSING"), lt(leads.processingAt, new Date(now - STUCK_AFTER_MS))))
    .limit(500);
  for (const { id } of stuck) {
    await endStuckLead(s, id);
    await s.db.insert(leadEvents).values({ leadId: id, at: s.clock.now(), kind: "error", data: { error: "auction did not finish (process stopped?); ended by the sweep" } });
  }
  const unstarted = await s.db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.status, "RECEIVED"), lt(leads.receivedAt, new Date(now - UNSTARTED_AFTER_MS))))
    .limit(500);
  for (const { id } of unstarted) await enqueueAuction(s, id);
  if (stuck.length || unstarted.length) s.log.warn({ ended: stuck.length, requeued: unstarted.length }, "lead sweep");
  return { ended: stuck.length, requeued: unstarted.length };
}
