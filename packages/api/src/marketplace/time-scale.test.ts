// MARKET_TIME_SCALE on real PostgreSQL: with the scale at 60 a lead's phases last 15 s, 30 s and
// 2 min instead of 15, 30 and 120 minutes, through the same routing and timer code; the stored
// settings stay as the admin set them.
import { leadAssignments, marketLeads } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { routeLead, transitionToNextPhase } from "./routing";
import { loadRoutingConfig, marketTime } from "./settings";
import { makeDj, makeLead, marketServices } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ max: 4 });
});
afterEach(() => {
  marketTime.scale = 1;
});
afterAll(async () => {
  await t?.drop();
});

it("runs every routing window 60 times faster, and keeps the stored settings", async () => {
  marketTime.scale = 60;
  const s = marketServices(t.db);
  const city = "Fastville";
  for (let i = 0; i < 5; i++) await makeDj(t.db, { city, routingScore: 90 - i });
  const lead = await makeLead(t.db, { city });
  const windowMs = async () => {
    const row = (await t.db.select().from(marketLeads).where(eq(marketLeads.id, lead.id)))[0]!;
    const offers = await t.db.select().from(leadAssignments).where(eq(leadAssignments.leadId, lead.id));
    const current = offers.filter((o) => o.phaseSeq === row.phaseSeq);
    return current.map((o) => o.windowEndsAt.getTime() - o.offeredAt.getTime());
  };
  await routeLead(s, lead.id);
  expect(await windowMs()).toEqual([15_000]);
  // 14 s in, the timer is early; at 15 s the lead moves on to three DJs for 30 s.
  s.clock.advance(14_000);
  expect((await transitionToNextPhase(s, { leadId: lead.id, phase: "exclusive", seq: 1 })).action).toBe("reschedule");
  s.clock.advance(1_000);
  expect((await transitionToNextPhase(s, { leadId: lead.id, phase: "exclusive", seq: 1 })).action).toBe("advance");
  expect(await windowMs()).toEqual([30_000, 30_000, 30_000]);
  expect(await loadRoutingConfig(t.db)).toMatchObject({ exclusiveWindowMinutes: 15, tierExpansionWindowMinutes: 30 });
});
