// The hourly rate refresh is a real pg-boss queue and schedule: registering it schedules the
// queue, and a job sent to it recomputes buyers.return_rate_bp.
import { buyers, createBoss, returnRequests, transactions } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeOrgUser, testServices } from "../testing";
import { registerReturnsJobs, RETURN_RATES_QUEUE } from "./jobs";
import { addBuyer, addSeller, soldLead } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t?.drop());

it("the return-rates queue is scheduled hourly and its worker refreshes the rates", async () => {
  const clock = new ManualClock(Date.now());
  const s = testServices(t.db, clock);
  const seller = await addSeller(t.db);
  const user = await makeOrgUser(t.db, "contractor");
  const buyer = await addBuyer(t.db, user.orgId);
  const sold: string[] = [];
  for (let i = 0; i < 4; i++)
    sold.push(
      await soldLead(
        t.db,
        seller,
        [{ buyerId: buyer.id, priceCents: 1000 }],
        new Date(clock.now().getTime() - 3_600_000),
      ),
    );
  // An approved return written behind the service's back: only the job can bring the rate up to date.
  const [sale] = await t.db.select({ id: transactions.id }).from(transactions).where(eq(transactions.leadId, sold[0]!));
  await t.db.insert(returnRequests).values({
    saleId: sale!.id,
    leadId: sold[0]!,
    buyerId: buyer.id,
    reason: "FAKE_OR_TEST",
    via: "api",
    priceCents: 1000,
    status: "APPROVED",
    rule: "WITHIN_CAP",
    ruleDetail: "test",
  });

  const boss = createBoss(t);
  await boss.start();
  try {
    await registerReturnsJobs(boss, { ...s, boss });
    expect((await boss.getSchedules()).map((x) => [x.name, x.cron])).toContainEqual([RETURN_RATES_QUEUE, "23 * * * *"]);
    await boss.send(RETURN_RATES_QUEUE, {});
    const deadline = Date.now() + 20_000;
    let rate: number | null = null;
    while (Date.now() < deadline && rate === null) {
      [{ rate }] = (await t.db.select({ rate: buyers.returnRateBp }).from(buyers).where(eq(buyers.id, buyer.id))) as [
        { rate: number | null },
      ];
      if (rate === null) await new Promise((r) => setTimeout(r, 250));
    }
    expect(rate).toBe(2500);
  } finally {
    await boss.stop({ graceful: true, wait: true });
  }
}, 40_000);
