// A phase timer survives a restart: scheduled as a pg-boss job, the boss stopped before it is
// due, and a new boss on the same database (a "restarted server") runs it.
import { createBoss, marketLeads } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { DEFAULT_ROUTING_CONFIG, ManualClock } from "@leadflow/engine";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { registerPhaseTimerWorker } from "./jobs";
import { PHASE_TIMER_QUEUE, routeLead } from "./routing";
import { makeDj, makeLead, marketServices } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

it("runs a scheduled phase timer after the process that scheduled it is gone", async () => {
  // pg-boss schedules in real time, so the manual clock starts 59 s in the past: the 1-minute
  // exclusive window then ends about a second from now.
  const clock = new ManualClock(Date.now() - 59_000);
  const first = createBoss(t);
  await first.start();
  await first.createQueue(PHASE_TIMER_QUEUE);
  const s1 = { ...marketServices(t.db, clock), boss: first };
  await makeDj(t.db, { city: "Restartville", routingScore: 90 });
  await makeDj(t.db, { city: "Restartville", routingScore: 80 });
  const eventDate = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
  const lead = await makeLead(t.db, { city: "Restartville", eventDate });
  try {
    const timer = await routeLead(s1, lead.id, { ...DEFAULT_ROUTING_CONFIG, exclusiveWindowMinutes: 1 });
    expect(timer?.timer.phase).toBe("exclusive");
  } finally {
    await first.stop({ graceful: false, wait: true });
  }

  clock.set(Date.now() + 5_000);
  const second = createBoss(t);
  await second.start();
  try {
    await registerPhaseTimerWorker(second, { ...marketServices(t.db, clock), boss: second });
    const deadline = Date.now() + 20_000;
    let state = "";
    while (Date.now() < deadline) {
      [{ leadState: state }] = (await t.db
        .select({ leadState: marketLeads.leadState })
        .from(marketLeads)
        .where(eq(marketLeads.id, lead.id))) as [{ leadState: string }];
      if (state === "tier_expansion") break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(state).toBe("tier_expansion");
  } finally {
    await second.stop({ graceful: false, wait: true });
  }
}, 40_000);
