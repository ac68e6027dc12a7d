// The analytics-rollup queue on real pg-boss: registering it schedules it every ten minutes and
// runs it once at once, which rolls the closed days up.
import { createBoss, leads, orgs, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { testServices } from "../testing";
import { ANALYTICS_ROLLUP_QUEUE, registerAnalyticsJobs } from "./jobs";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t?.drop());

it("schedules the rollup and rolls closed days up as soon as it starts", async () => {
  const clock = new ManualClock("2026-03-20T15:00:00Z");
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing" });
  await t.db.insert(leads).values({
    sellerOrgId: seller!.id,
    vertical: "roofing",
    zip: "38103",
    contact: { firstName: "A", lastName: "B" },
    status: "SOLD",
    revenueCents: 4200,
    receivedAt: new Date("2026-03-18T10:00:00Z"),
  });
  const boss = createBoss(t);
  await boss.start();
  try {
    await registerAnalyticsJobs(boss, { ...testServices(t.db, clock), boss });
    expect((await boss.getSchedules()).map((x) => [x.name, x.cron])).toContainEqual([
      ANALYTICS_ROLLUP_QUEUE,
      "*/10 * * * *",
    ]);
    const deadline = Date.now() + 20_000;
    let rolled: { day: string; revenue: number }[] = [];
    while (Date.now() < deadline && rolled.length === 0) {
      rolled = [
        ...((await t.db.execute(
          sql`select to_char(day, 'YYYY-MM-DD') as day, revenue_cents::int as revenue from analytics_lead_daily`,
        )) as unknown as { day: string; revenue: number }[]),
      ];
      if (rolled.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(rolled).toEqual([{ day: "2026-03-18", revenue: 4200 }]);
    const [state] = (await t.db.execute(
      sql`select to_char(through, 'YYYY-MM-DD') as through from analytics_rollup_state where name = 'lead'`,
    )) as unknown as { through: string }[];
    expect(state!.through).toBe("2026-03-20");
  } finally {
    await boss.stop({ graceful: true, wait: true });
  }
});
