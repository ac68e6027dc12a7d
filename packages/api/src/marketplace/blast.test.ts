// The blast end to end through the tRPC procedures: public inquiry → comparison link → a DJ's
// answer (metrics persisted) → unlock, charged once under 20 concurrent clicks.
import { creditLedger, djs, marketFunnelCounters, marketLeads } from "@leadflow/db";
import { TRPCError } from "@trpc/server";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, makeOrgUser, testServices } from "../testing";
import { grantCredits, unlockCustomerContact } from "./credits";
import { makeDj } from "./testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ max: 30 });
});
afterAll(async () => {
  await t?.drop();
});

const inquiry = {
  name: "Jordan Lee",
  email: "jordan@example.test",
  city: "Blastville",
  eventType: "wedding" as const,
  eventDate: "2026-06-20",
  budgetMinDollars: 1000,
  budgetMaxDollars: 2000,
  guestCount: 120,
};

describe("multi-DJ blast", () => {
  it("routes a public inquiry, shows answers without DJ contacts, and unlocks once", async () => {
    const clock = new ManualClock("2026-03-02T15:00:00Z");
    const s = testServices(t.db, clock);
    const djUser = await makeOrgUser(t.db, "dj");
    const admin = await makeOrgUser(t.db, "admin");
    const top = await makeDj(t.db, {
      orgId: djUser.orgId,
      city: "Blastville",
      routingScore: 90,
      contactEmail: "secret-dj@example.test",
      contactPhone: "9015550100",
    });
    await makeDj(t.db, { city: "Blastville", routingScore: 40 });

    const anon = callerAs(s, null);
    await expect(anon.marketPublic.inquire({ ...inquiry, email: "", phone: "" })).rejects.toThrow();
    await expect(anon.marketPublic.inquire({ ...inquiry, eventDate: "2026-01-01" })).rejects.toThrow(
      "The event date has already passed.",
    );
    const { token } = await anon.marketPublic.inquire({ ...inquiry, fromCalculator: true });
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const funnel = await t.db.select().from(marketFunnelCounters);
    expect(funnel.map((f) => [f.metric, f.count]).sort()).toEqual([
      ["inquiry", 1],
      ["inquiry_from_calculator", 1],
    ]);

    const dj = callerAs(s, djUser);
    const inbox = await dj.marketDj.inbox();
    expect(inbox.items).toHaveLength(1);
    const item = inbox.items[0]!;
    expect(item).toMatchObject({ status: "offered", phase: "exclusive", contact: null });
    await expect(dj.marketDj.unlock({ leadId: item.leadId })).rejects.toThrow("Accept the lead before unlocking");

    clock.advance(10 * 60_000);
    await dj.marketDj.respond({
      leadId: item.leadId,
      action: "accepted",
      quoteDollars: 1500,
      message: "Happy to play your wedding!",
    });
    await expect(dj.marketDj.respond({ leadId: item.leadId, action: "declined" })).rejects.toThrow(
      "You have already answered this lead.",
    );

    // Metrics persisted: accept after 10 min (fast) → +2 reliability, first average = 600 000 ms.
    const [row] = await t.db.select().from(djs).where(eq(djs.id, top.id));
    expect(row).toMatchObject({
      reliability: 72,
      avgResponseTimeMs: 600_000,
      acceptedCount: 1,
      acceptanceRate: 1,
      penalty: 0,
    });

    const page = await anon.marketPublic.comparison({ token });
    expect(page.responses).toHaveLength(1);
    expect(page.responses[0]).toMatchObject({
      djName: top.name,
      quoteCents: 150_000,
      message: "Happy to play your wedding!",
    });
    const text = JSON.stringify(page);
    expect(text).not.toContain("secret-dj@example.test");
    expect(text).not.toContain("9015550100");
    expect(text).not.toContain("jordan@example.test");
    await expect(anon.marketPublic.comparison({ token: "A".repeat(22) })).rejects.toThrow(
      "couldn't find that comparison page",
    );

    // No credits: refused and nothing written. Then 20 concurrent clicks charge exactly once.
    await expect(dj.marketDj.unlock({ leadId: item.leadId })).rejects.toThrow("Not enough credits");
    await grantCredits(s, { djId: top.id, credits: 3, note: "welcome", userId: admin.id });
    const clicks = await Promise.all(
      Array.from({ length: 20 }, () => unlockCustomerContact(s, { djId: top.id, leadId: item.leadId })),
    );
    expect(clicks.filter((c) => c.charged === 1)).toHaveLength(1);
    expect(clicks.every((c) => c.contact.email === "jordan@example.test")).toBe(true);
    const [after] = await t.db.select().from(djs).where(eq(djs.id, top.id));
    expect(after!.credits).toBe(2);
    const ledger = await t.db.select().from(creditLedger).where(eq(creditLedger.djId, top.id));
    expect(ledger.map((l) => [l.kind, l.credits, l.balanceAfter]).sort()).toEqual([
      ["grant", 3, 3],
      ["unlock", -1, 2],
    ]);
    expect((await dj.marketDj.inbox()).items[0]!.contact).toMatchObject({ email: "jordan@example.test" });

    // Someone else's DJ account cannot see or unlock it.
    const other = await makeOrgUser(t.db, "dj");
    await makeDj(t.db, { orgId: other.orgId, city: "Blastville" });
    await expect(callerAs(s, other).marketDj.unlock({ leadId: item.leadId })).rejects.toThrow("not offered to you");
  });

  it("credits purchases through the payment provider, and refuses a declined card", async () => {
    const s = testServices(t.db);
    const u = await makeOrgUser(t.db, "dj");
    await makeDj(t.db, { orgId: u.orgId, city: "Buyville" });
    const dj = callerAs(s, u);
    await expect(dj.marketDj.buyCredits({ packId: "pack_5", paymentToken: "tok_declined" })).rejects.toThrow(
      "The card was declined.",
    );
    expect(await dj.marketDj.buyCredits({ packId: "pack_5", paymentToken: "tok_visa" })).toEqual({ balance: 5 });
    const credits = await dj.marketDj.credits();
    expect(credits.ledger).toHaveLength(1);
    expect(credits.ledger[0]).toMatchObject({ kind: "purchase", credits: 5, amountCents: 2500 });
  });
});

describe("a bad inquiry", () => {
  it("is refused with field errors and leaves no lead, counter or offer behind", async () => {
    const clock = new ManualClock("2026-03-02T15:00:00Z");
    const s = testServices(t.db, clock);
    const before = await t.db.select().from(marketLeads);
    const funnelBefore = await t.db.select().from(marketFunnelCounters);
    const anon = callerAs(s, null);
    const bad = [
      { ...inquiry, email: "not-an-email" },
      { ...inquiry, budgetMinDollars: 3000, budgetMaxDollars: 1000 },
      { ...inquiry, eventDate: "2026-02-30" },
      { ...inquiry, eventDate: "2025-01-01" },
      { ...inquiry, name: "" },
    ];
    for (const input of bad) {
      const err = await anon.marketPublic.inquire(input as never).then(
        () => null,
        (e: TRPCError) => e,
      );
      expect(err, JSON.stringify(input)).toBeInstanceOf(TRPCError);
      expect(err!.code).toBe("BAD_REQUEST");
      expect(err!.message.length).toBeGreaterThan(0);
    }
    expect(await t.db.select().from(marketLeads)).toHaveLength(before.length);
    expect(await t.db.select().from(marketFunnelCounters)).toEqual(funnelBefore);
  });
});
