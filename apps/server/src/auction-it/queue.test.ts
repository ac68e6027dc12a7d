// Leads sent without waiting go through the pg-boss auction queue. pg-boss waits a polling
// interval after every fetch, so the queue's shape decides intake: one worker taking 4 jobs a
// fetch ran 8 leads a second. These tests hold the queue to never waiting for a poll (its workers
// here poll once an hour, so a lead that waited for one would never finish), and to running each
// lead exactly once. The rate itself is measured by the throughput benchmark (docs/benchmarks.md),
// not here: a test's clock is at the mercy of whatever else the machine runs.
import {
  closeBuyerAgent,
  createLead,
  enqueueAuction,
  parseIntake,
  registerAuctionJobs,
  submitLead,
} from "@leadflow/api";
import { createBoss, leadEvents, leads } from "@leadflow/db";
import { systemClock } from "@leadflow/engine";
import { and, count, eq, inArray } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addNetwork, leadBody, makeWorld, type World } from "./world";

let w: World;
let boss: PgBoss;
beforeAll(async () => {
  w = await makeWorld(
    { networks: { a: { bid: { kind: "fixed", value: 30 } }, b: { bid: { kind: "fixed", value: 20 } } } },
    { max: 20 },
  );
  w.s.clock = systemClock; // pg-boss runs on real time
  await addNetwork(w, "a");
  await addNetwork(w, "b");
  boss = createBoss(w.t);
  await boss.start();
  w.s.boss = boss;
  // An hour between polls: only a wake-up (a queued lead, a full batch) makes a worker fetch.
  await registerAuctionJobs(boss, w.s, { workers: 4, batchSize: 16, pollingIntervalSeconds: 3600 });
});
afterAll(async () => {
  await boss?.stop({ graceful: true, wait: true });
  await w?.close();
  await closeBuyerAgent();
});

const seller = () => ({ orgId: w.sellerOrgId, role: "seller" as const });

/** Waits (generously: the machine may be busy) until every lead is SOLD or UNSOLD. */
async function waitUntilFinished(ids: string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = (await w.t.db
      .select({ n: count() })
      .from(leads)
      .where(and(inArray(leads.id, ids), inArray(leads.status, ["SOLD", "UNSOLD"])))) as [{ n: number }];
    if (n === ids.length) return;
    if (Date.now() > deadline)
      throw new Error(
        `${ids.length - n} of ${ids.length} leads not finished within ${timeoutMs} ms: a worker waited for a poll`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the auction queue", () => {
  it("runs a queued lead without waiting for a poll, and 150 queued leads each exactly once, none waiting for one", async () => {
    const one = await submitLead(w.s, seller(), leadBody());
    expect(one.status).toBe("RECEIVED");
    // The workers poll hourly: the lead runs only because queueing it woke a worker.
    await waitUntilFinished([one.id]);

    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = 0; i < 15; i++) ids.push((await submitLead(w.s, seller(), leadBody())).id);
      }),
    );
    // More than the 4 × 16 the workers take in one fetch each: a worker that got a full batch
    // fetches again at once, and a lead queued while all are busy wakes one for afterwards.
    await waitUntilFinished(ids);
    const outcomes = await w.t.db
      .select({ leadId: leadEvents.leadId, n: count() })
      .from(leadEvents)
      .where(and(inArray(leadEvents.leadId, ids), eq(leadEvents.kind, "outcome")))
      .groupBy(leadEvents.leadId);
    expect(outcomes).toHaveLength(150);
    expect(outcomes.every((o) => o.n === 1)).toBe(true);
  }, 300_000);

  it("leads queued together share one job insert; if it fails, each of them is told", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await createLead(w.s, w.sellerOrgId, parseIntake(leadBody()))).id);
    const insert = boss.insert.bind(boss);
    let inserts = 0;
    let fail = false;
    boss.insert = (async (...args: Parameters<PgBoss["insert"]>) => {
      inserts++;
      if (fail) throw new Error("the job table is unavailable");
      return insert(...args);
    }) as PgBoss["insert"];
    try {
      await Promise.all(ids.map((id) => enqueueAuction(w.s, id)));
      // The first goes alone, the other 19 arrive while it is on its way and go together.
      expect(inserts).toBe(2);
      await waitUntilFinished(ids);

      const more: string[] = [];
      for (let i = 0; i < 5; i++) more.push((await createLead(w.s, w.sellerOrgId, parseIntake(leadBody()))).id);
      fail = true;
      const settled = await Promise.allSettled(more.map((id) => enqueueAuction(w.s, id)));
      expect(settled.every((r) => r.status === "rejected" && String(r.reason).includes("unavailable"))).toBe(true);
      // Nothing ran them: they wait RECEIVED for the sweep, as a lead whose job was lost does.
      const rows = await w.t.db.select({ status: leads.status }).from(leads).where(inArray(leads.id, more));
      expect(rows.every((r) => r.status === "RECEIVED")).toBe(true);
    } finally {
      boss.insert = insert;
    }
  }, 300_000);
});
