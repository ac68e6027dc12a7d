// A phase timer survives a restart: the timer is the lead's due_at, written with the phase; the
// process that routed the lead is gone, and a new process's sweeper (started with its boss) runs it.
import { createBoss, marketLeads } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { DEFAULT_ROUTING_CONFIG, ManualClock } from "@leadflow/engine";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { registerPhaseTimerWorker } from "./jobs";
import { routeLead } from "./routing";
import { makeDj, makeLead, marketServices } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

const stateOf = async (id: string) =>
  (
    await t.db
      .select({ leadState: marketLeads.leadState, dueAt: marketLeads.dueAt })
      .from(marketLeads)
      .where(eq(marketLeads.id, id))
  )[0]!;

it("runs a phase timer after the process that set it is gone", async () => {
  const clock = new ManualClock("2026-03-02T15:00:00Z");
  await makeDj(t.db, { city: "Restartville", routingScore: 90 });
  await makeDj(t.db, { city: "Restartville", routingScore: 80 });
  const lead = await makeLead(t.db, { city: "Restartville", eventDate: "2026-09-20" });
  // The first process routes the lead (no worker of its own) and is gone.
  const timer = await routeLead(marketServices(t.db, clock), lead.id, {
    ...DEFAULT_ROUTING_CONFIG,
    exclusiveWindowMinutes: 1,
  });
  expect(timer?.timer.phase).toBe("exclusive");
  expect((await stateOf(lead.id)).dueAt?.toISOString()).toBe(timer!.dueAt.toISOString());

  const boss = createBoss(t);
  await boss.start();
  const handled: string[] = [];
  const sweeper = registerPhaseTimerWorker(
    boss,
    { ...marketServices(t.db, clock), boss },
    (d) => handled.push(d.result.action),
    {
      idleMs: 50,
    },
  );
  try {
    // Not due yet: the sweeper leaves it alone.
    await new Promise((r) => setTimeout(r, 300));
    expect(handled).toEqual([]);
    clock.advance(61_000);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await stateOf(lead.id)).leadState !== "tier_expansion")
      await new Promise((r) => setTimeout(r, 100));
    expect((await stateOf(lead.id)).leadState).toBe("tier_expansion");
    expect(handled).toEqual(["advance"]);
  } finally {
    await sweeper.stop();
    await boss.stop({ graceful: true, wait: true });
  }
}, 40_000);
