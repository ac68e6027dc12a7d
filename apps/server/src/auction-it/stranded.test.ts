// Leads a dead process left PROCESSING (issue 13, item 5), on real PostgreSQL: found through the
// owner's expired lease, not the 15-minute sweep; run again when nothing was sold, ended as the sale
// left them when one was, ended UNSOLD after MAX_AUCTION_ATTEMPTS starts; and a run of a process
// only thought dead can neither sell the lead nor write its result once the lead was taken over.
import {
  claimSale,
  closeBuyerAgent,
  createLead,
  MAX_AUCTION_ATTEMPTS,
  parseIntake,
  reclaimStranded,
  releaseSale,
  RECLAIM,
  startLease,
  writeResult,
  type Services,
} from "@leadflow/api";
import { buyers, leads, transactions, workerLeases } from "@leadflow/db";
import type { Buyer } from "@leadflow/engine";
import { and, eq, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { addContractor, eventsOf, leadBody, leadOf, makeWorld, type World } from "./world";

let w: World;
/** This test's process, holding a lease like a server. */
let me: Services;
let stopLease: () => Promise<void>;
beforeAll(async () => {
  w = await makeWorld();
  const lease = await startLease(w.s, { reclaim: false });
  me = { ...w.s, lease: { owner: lease.owner } };
  stopLease = lease.stop;
});
afterAll(async () => {
  await stopLease?.();
  await w?.close();
  await closeBuyerAgent();
});
beforeEach(async () => {
  await w.t.db.delete(buyers);
});

/** A lead as a process with this lease left it: PROCESSING on `attempt`. */
async function leftBy(owner: string | null, attempt = 1) {
  const { id } = await createLead(w.s, w.sellerOrgId, parseIntake(leadBody()));
  await w.t.db
    .update(leads)
    .set({ status: "PROCESSING", processingAt: w.clock.now(), processingOwner: owner, auctionAttempt: attempt })
    .where(eq(leads.id, id));
  return id;
}

/** A lease last renewed `agoMs` ago (database time), as a process that died then left it. */
async function leaseRenewed(agoMs: number) {
  const owner = randomUUID();
  await w.t.db.insert(workerLeases).values({ owner, heartbeatAt: sql`now() - ${agoMs} * interval '1 millisecond'` });
  return owner;
}

const contractorBuyer = (row: typeof buyers.$inferSelect): Buyer =>
  ({
    id: row.id,
    type: "CONTRACTOR",
    active: true,
    verticals: row.verticals,
    serviceZips: [],
    timeZone: row.timeZone,
    deliveryMode: "EXCLUSIVE",
    maxSharedLeads: 1,
    pricingModel: "FIXED",
  }) as Buyer;

async function sell(leadId: string, buyerId: string, attempt?: number) {
  const [row] = await w.t.db.select().from(buyers).where(eq(buyers.id, buyerId));
  return claimSale(w.s.db, {
    leadId,
    buyer: contractorBuyer(row!),
    row: row!,
    kind: "DIRECT",
    priceCents: 1500,
    bidCents: null,
    limit: 1,
    cascadePosition: 1,
    at: w.clock.now(),
    attempt,
  });
}

it("runs again, with the next attempt, a lead whose owner stopped renewing its lease before anything was sold; a live owner's lead is left alone", async () => {
  const contractor = await addContractor(w, { pricingModel: "FIXED", fixedLeadPriceCents: 1500 });
  const dead = await leaseRenewed(RECLAIM.expiresMs + 5_000);
  const alive = await leaseRenewed(0);
  const stranded = await leftBy(dead);
  const running = await leftBy(alive);
  const unowned = await leftBy(null); // started without a lease: the 15-minute sweep's

  const r = await reclaimStranded(me);
  expect(r.rerun).toBe(1);
  await Promise.all(r.runs);
  const lead = await leadOf(w, stranded);
  expect(lead).toMatchObject({ status: "SOLD", auctionAttempt: 2, processingOwner: me.lease!.owner, winnerCount: 1 });
  const events = await eventsOf(w, stranded);
  const again = events.find((e) => e.kind === "reauctioned");
  expect(again?.data).toMatchObject({
    reason: "re-auctioned after a process stopped",
    attempt: 2,
    previousOwner: dead,
  });
  expect(events.filter((e) => e.kind === "outcome")).toHaveLength(1);
  expect(events.some((e) => e.kind === "error")).toBe(false);
  const [sale] = await w.t.db
    .select()
    .from(transactions)
    .where(and(eq(transactions.leadId, stranded), eq(transactions.isWinner, true)));
  expect(sale?.buyerId).toBe(contractor);

  expect(await leadOf(w, running)).toMatchObject({ status: "PROCESSING", auctionAttempt: 1, processingOwner: alive });
  expect((await leadOf(w, unowned)).status).toBe("PROCESSING");
  // Nothing left to reclaim: a second pass changes nothing.
  expect((await reclaimStranded(me)).rerun + (await reclaimStranded(me)).ended).toBe(0);
});

it("ends as the sale left it a stranded lead with a sale written, and UNSOLD, with the reason, one stranded on its last attempt", async () => {
  const contractor = await addContractor(w, { pricingModel: "FIXED", fixedLeadPriceCents: 1500 });
  const dead = await leaseRenewed(RECLAIM.expiresMs + 5_000);
  const sold = await leftBy(dead);
  expect((await sell(sold, contractor, 1)).ok).toBe(true);
  const tired = await leftBy(dead, MAX_AUCTION_ATTEMPTS);

  const r = await reclaimStranded(me);
  expect(r).toMatchObject({ rerun: 0, ended: 2 });
  expect(await leadOf(w, sold)).toMatchObject({ status: "SOLD", winnerCount: 1, auctionAttempt: 1 });
  expect((await eventsOf(w, sold)).find((e) => e.kind === "error")?.data).toMatchObject({
    error: expect.stringContaining("stopped after a sale was written"),
  });
  expect(await leadOf(w, tired)).toMatchObject({
    status: "UNSOLD",
    winnerCount: 0,
    auctionAttempt: MAX_AUCTION_ATTEMPTS,
  });
  expect((await eventsOf(w, tired)).find((e) => e.kind === "error")?.data).toMatchObject({
    error: expect.stringContaining(`started ${MAX_AUCTION_ATTEMPTS} times`),
  });
  expect((await eventsOf(w, tired)).some((e) => e.kind === "reauctioned")).toBe(false);
});

it("refuses a sale, a release and a result from a run whose lead was taken over (its process only slow), so nothing sells twice", async () => {
  const first = await addContractor(w, { pricingModel: "FIXED", fixedLeadPriceCents: 1500 });
  const second = await addContractor(w, { pricingModel: "FIXED", fixedLeadPriceCents: 1400 });
  const slow = await leaseRenewed(RECLAIM.expiresMs + 5_000);
  const id = await leftBy(slow);
  // Taken over, and sold by the new run (attempt 2), while the slow run (attempt 1) still thinks it
  // runs the auction.
  const r = await reclaimStranded(me);
  expect(r.rerun).toBe(1);
  await Promise.all(r.runs);
  const after = await leadOf(w, id);
  expect(after.auctionAttempt).toBe(2);
  expect(after.status).toBe("SOLD");
  const winners = await w.t.db
    .select()
    .from(transactions)
    .where(and(eq(transactions.leadId, id), eq(transactions.isWinner, true)));
  expect(winners).toHaveLength(1);

  // The slow run wakes up: its sale, release and result are all refused.
  const late = await sell(id, winners[0]!.buyerId === first ? second : first, 1);
  expect(late).toMatchObject({ ok: false });
  await releaseSale(w.s.db, id, winners[0]!.buyerId, 1);
  const written = await writeResult(w.t.db, {
    lead_id: id,
    attempt: 1,
    status: "UNSOLD",
    unsold: "NO_VALID_BIDS",
    finished_at: w.clock.now().toISOString(),
    revenue: 0,
    winners: 0,
    plan_at: w.clock.now().toISOString(),
    records: [],
    timeline: [],
    owed: [],
  });
  expect(written.ended).toBe(false);
  const final = await leadOf(w, id);
  expect(final).toMatchObject({ status: "SOLD", winnerCount: 1, revenueCents: winners[0]!.priceCents });
  expect(
    await w.t.db
      .select()
      .from(transactions)
      .where(and(eq(transactions.leadId, id), eq(transactions.isWinner, true))),
  ).toHaveLength(1);
});

it("refuses a sale of a PROCESSING lead to a run on an attempt it has moved on from, even while nothing is sold", async () => {
  const c = await addContractor(w, { pricingModel: "FIXED", fixedLeadPriceCents: 1500 });
  const id = await leftBy(me.lease!.owner, 2);
  const stale = await sell(id, c, 1);
  expect(stale).toMatchObject({ ok: false, detail: expect.stringContaining("started again (attempt 2)") });
  expect((await leadOf(w, id)).winnerCount).toBe(0);
  expect((await sell(id, c, 2)).ok).toBe(true);
});
