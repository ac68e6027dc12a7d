// The demo's trickle: leads from the demo seller flow through the real submit path and end.
import { closeBuyerAgent, type Services } from "@leadflow/api";
import { silentLog, TEST_OUTBOUND } from "@leadflow/api/testing";
import { leads, orgs, users, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { systemClock } from "@leadflow/engine";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startDemoTraffic } from "./demo-traffic";
import { DEMO_VERTICALS } from "./seed/auction";
import { DEMO_ORGS } from "./seed/world";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
  await closeBuyerAgent();
});

it("sends demo leads every few ms here, and each one ends SOLD or UNSOLD", async () => {
  const s: Services = {
    db: t.db,
    handle: t,
    clock: systemClock,
    log: silentLog,
    publicUrl: "http://127.0.0.1",
    outbound: TEST_OUTBOUND,
  };
  // Only what the trickle needs (the full demo seed is the seed's own test): the demo seller and
  // the verticals. Without buyers every lead ends UNSOLD, which is still an end.
  const demoSeller = DEMO_ORGS.find((o) => o.kind === "seller")!;
  const [org] = await t.db.insert(orgs).values({ name: demoSeller.name, kind: "seller" }).returning();
  await t.db.insert(users).values({
    orgId: org!.id,
    email: demoSeller.user.email,
    name: "Sam",
    role: "seller",
    passwordHash: "scrypt$1$1$1$AA$AA",
  });
  await t.db.insert(verticals).values(DEMO_VERTICALS);
  const traffic = await startDemoTraffic(s, { simUrl: "http://127.0.0.1:0", minGapMs: 20, maxGapMs: 40 });
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const rows = await t.db.select({ status: leads.status }).from(leads);
      if (rows.length >= 3 && rows.every((r) => r.status === "SOLD" || r.status === "UNSOLD")) break;
      if (Date.now() > deadline) throw new Error(`leads did not finish: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await traffic.stop();
  }
  expect(traffic.sent()).toBeGreaterThanOrEqual(3);
});
