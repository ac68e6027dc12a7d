// admin.overview against real PostgreSQL: its figures equal what the analytics procedures answer
// for the same days (revenue, sold, leads, profit, timeouts, failing deliveries), and its "now"
// counts equal the rows that are open.
import {
  deliveries,
  leadAssignments,
  leads,
  returnCredits,
  returnRequests,
  transactions,
  writePayout,
  type Db,
} from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { eq } from "drizzle-orm";
import { ManualClock } from "@leadflow/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../auth/sessions";
import { makeDj, makeLead } from "../marketplace/testing";
import { addBuyer, addSeller, soldLead } from "../returns/testing";
import { callerAs, makeOrgUser, testServices } from "../testing";

let t: TestDb;
let db: Db;
let admin: SessionUser;
const NOW = new Date("2026-03-10T15:00:00Z");
const clock = new ManualClock(NOW.toISOString());
const daysAgo = (n: number, hour = 12) => new Date(Date.UTC(2026, 2, 10 - n, hour));

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  admin = await makeOrgUser(db, "admin");
  const contractor = await makeOrgUser(db, "contractor");
  const seller = await addSeller(db);
  const b1 = await addBuyer(db, contractor.orgId);
  const b2 = await addBuyer(db, contractor.orgId);
  // Ping-only buyers: a buyer has one transaction per lead.
  const b3 = await addBuyer(db, contractor.orgId);
  const b4 = await addBuyer(db, contractor.orgId);
  // Today: two sales on one lead and one unsold lead; three days ago: a sale returned; ten days ago
  // (in the sparkline, outside the week): one sale.
  const today = await soldLead(
    db,
    seller,
    [
      { buyerId: b1.id, priceCents: 5_000 },
      { buyerId: b2.id, priceCents: 2_500 },
    ],
    daysAgo(0, 9),
  );
  const returned = await soldLead(db, seller, [{ buyerId: b1.id, priceCents: 4_000 }], daysAgo(3));
  const old = await soldLead(db, seller, [{ buyerId: b2.id, priceCents: 3_000 }], daysAgo(10));
  await db.insert(leads).values({
    sellerOrgId: seller,
    vertical: "roofing",
    zip: "38103",
    status: "UNSOLD",
    contact: { firstName: "Una", lastName: "Sold" },
    receivedAt: daysAgo(0, 10),
  });
  await writePayout(db, { leadId: today, amountCents: 1_800, at: daysAgo(0, 9), data: {} });
  await writePayout(db, { leadId: returned, amountCents: 1_200, at: daysAgo(3), data: {} });
  await writePayout(db, { leadId: old, amountCents: 900, at: daysAgo(10), data: {} });
  const [sale] = await db.select().from(transactions).where(eq(transactions.leadId, returned));
  const [req] = await db
    .insert(returnRequests)
    .values({
      saleId: sale!.id,
      leadId: returned,
      buyerId: b1.id,
      reason: "INVALID_PHONE",
      via: "dashboard",
      priceCents: 4_000,
      status: "APPROVED",
      rule: "VERIFIED_INVALID_PHONE",
      ruleDetail: "test",
      decidedAt: daysAgo(1),
    })
    .returning();
  await db
    .insert(returnCredits)
    .values({ saleId: sale!.id, returnId: req!.id, leadId: returned, buyerId: b1.id, amountCents: 4_000 });
  await db.update(leads).set({ revenueCents: 0 }).where(eq(leads.id, returned));
  // Pings: latencies 100, 300, 900 today (median 300), a timeout today and one two days ago.
  const ping = (leadId: string, buyerId: string, at: Date, latencyMs: number | null, outcome: "BID" | "TIMEOUT") =>
    db.insert(transactions).values({ leadId, buyerId, kind: "PING", pingOutcome: outcome, latencyMs, createdAt: at });
  await ping(today, b3.id, daysAgo(0, 9), 100, "BID");
  await ping(today, b4.id, daysAgo(0, 9), 300, "BID");
  await ping(old, b3.id, daysAgo(0, 8), 900, "BID");
  await ping(old, b4.id, daysAgo(0, 8), null, "TIMEOUT");
  await ping(returned, b3.id, daysAgo(2), 2_000, "TIMEOUT");
  // Deliveries: one failed today, one dead four days ago, one delivered.
  await db.insert(deliveries).values([
    { leadId: today, buyerId: b1.id, method: "WEBHOOK", status: "failed", webhookId: "w1", createdAt: daysAgo(0, 9) },
    { leadId: returned, buyerId: b1.id, method: "WEBHOOK", status: "dead", webhookId: "w2", createdAt: daysAgo(4) },
    {
      leadId: today,
      buyerId: b2.id,
      method: "WEBHOOK",
      status: "delivered",
      webhookId: "w3",
      createdAt: daysAgo(0, 9),
    },
  ]);
  // DJ offers: one still open, one whose window closed, one answered.
  const m = await makeLead(db);
  const [d1, d2, d3] = [await makeDj(db), await makeDj(db), await makeDj(db)];
  const offered = new Date(NOW.getTime() - 600_000);
  await db.insert(leadAssignments).values([
    {
      leadId: m.id,
      djId: d1.id,
      phase: "exclusive",
      phaseSeq: 1,
      offeredAt: offered,
      windowEndsAt: new Date(NOW.getTime() + 600_000),
    },
    {
      leadId: m.id,
      djId: d2.id,
      phase: "exclusive",
      phaseSeq: 1,
      offeredAt: offered,
      windowEndsAt: new Date(NOW.getTime() - 60_000),
    },
    {
      leadId: m.id,
      djId: d3.id,
      phase: "exclusive",
      phaseSeq: 1,
      status: "declined",
      offeredAt: offered,
      windowEndsAt: new Date(NOW.getTime() + 600_000),
      respondedAt: new Date(NOW.getTime() - 300_000),
    },
  ]);
});
afterAll(() => t?.drop());

const caller = () => callerAs(testServices(db, clock), admin);

describe("admin.overview", () => {
  it("equals the analytics procedures for today and for the last seven days", async () => {
    const o = await caller().admin.overview();
    expect(o.days).toHaveLength(14);
    expect(o.today).toBe("2026-03-10");
    for (const [from, key] of [
      ["2026-03-10", "today"],
      ["2026-03-04", "week"],
    ] as const) {
      const rev = await caller().analytics.revenue({ from, to: "2026-03-10" });
      const profit = await caller().analytics.profit({ from, to: "2026-03-10" });
      const perf = await caller().analytics.buyerPerformance({ from, to: "2026-03-10" });
      const dl = await caller().analytics.deliveries({ from, to: "2026-03-10" });
      expect(o.leads[key]).toBe(rev.total.leads);
      expect(o.revenueCents[key]).toBe(rev.total.revenueCents);
      expect(o.soldBp[key]).toBe(Math.round((rev.total.sold * 10_000) / rev.total.leads));
      expect(o.profitCents[key]).toBe(profit.total.profitCents);
      expect(o.timeouts[key]).toBe(perf.buyers.reduce((a, b) => a + b.timeouts, 0));
      const failing = dl.rows.filter((r) => r.status === "failed" || r.status === "dead");
      const failingDays = o.failingDeliveries.series.slice(key === "today" ? 13 : 7);
      expect(failingDays.reduce((a, b) => a + b, 0)).toBe(failing.reduce((a, r) => a + r.count, 0));
    }
  });

  it("counts what the seeded rows say, so agreement is not two zeros", async () => {
    const o = await caller().admin.overview();
    expect(o.leads).toMatchObject({ today: 2, week: 3 });
    expect(o.soldBp).toMatchObject({ today: 5_000, week: 6_667 });
    // Revenue after credits: 7 500 today; the returned 4 000 is credited back.
    expect(o.revenueCents).toMatchObject({ today: 7_500, week: 7_500 });
    // Profit: 7 500 − 1 800 today; the returned lead: 4 000 − 1 200 − 4 000.
    expect(o.profitCents).toMatchObject({ today: 5_700, week: 4_500 });
    expect(o.profitCents.series[3]).toBe(3_000 - 900);
    expect(o.medianLatencyMs).toMatchObject({ today: 300, week: 600 });
    expect(o.medianLatencyMs.series[11]).toBe(2_000);
    expect(o.timeouts).toMatchObject({ today: 1, week: 2 });
    expect(o.openOffers.now).toBe(1);
    expect(o.openOffers.series[13]).toBe(3);
    expect(o.failingDeliveries.now).toBe(2);
    expect(o.failingDeliveries.series[13]).toBe(1);
    expect(o.failingDeliveries.series[9]).toBe(1);
  });
});
