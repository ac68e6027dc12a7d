// The call-tracking demo: every demo DJ has tracking numbers and its own phone, a month of calls
// follows the attribution rules (one bill per thread, recordings only where allowed), and the
// analytics have an attribution rate to show.
import { callAnalytics, getVirtualNumberForDJ } from "@leadflow/api";
import { callLeads, djs, djVirtualNumbers, orgs } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { systemClock } from "@leadflow/engine";
import { eq, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedCalls } from "./calls";
import { seedMarketplace } from "./marketplace";
import { DEMO_ORGS } from "./world";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

it("seeds numbers and a call history that follows the rules", async () => {
  const orgIds = new Map<string, string>();
  for (const o of DEMO_ORGS.filter((x) => x.kind === "dj")) {
    const [row] = await t.db.insert(orgs).values({ name: o.name, kind: o.kind }).returning({ id: orgs.id });
    orgIds.set(o.key, row!.id);
  }
  const now = new Date();
  await seedMarketplace(t.db, orgIds, () => {}, now);
  await seedCalls(t.db, orgIds, () => {}, now);
  const demo = await t.db.select().from(djs).where(isNotNull(djs.orgId));
  for (const d of demo) {
    expect(d.contactPhone).toMatch(/^\+1\d{10}$/);
    const shown = await getVirtualNumberForDJ(t.db, systemClock, d.id);
    expect(shown).not.toBe(d.contactPhone);
    expect(
      (await t.db.select().from(djVirtualNumbers).where(eq(djVirtualNumbers.djId, d.id))).map((n) => n.number),
    ).toContain(shown);
  }
  const calls = await t.db.select().from(callLeads);
  expect(calls.length).toBeGreaterThan(100);
  expect(calls.every((c) => c.callerHash && /^[0-9a-f]{64}$/.test(c.callerHash))).toBe(true);
  expect(calls.every((c) => c.recordingUrl == null || c.recordingAllowed)).toBe(true);
  expect(calls.some((c) => c.repeatOfCallId)).toBe(true);
  const billedTwice = await t.db
    .select({ threadId: callLeads.threadId })
    .from(callLeads)
    .where(eq(callLeads.billed, true))
    .groupBy(callLeads.threadId)
    .having(sql`count(*) > 1`);
  expect(billedTwice).toEqual([]);
  const a = await callAnalytics(t.db, systemClock, 30);
  expect(a.attributionRate.value).toBeGreaterThan(0);
  expect(a.attributionRate.value).toBeLessThan(1);
  expect(a.converted).toBeGreaterThan(0);
});
