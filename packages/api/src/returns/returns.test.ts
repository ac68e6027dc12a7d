// Returns on real PostgreSQL through the tRPC router: each rule, the window and cap edges, once per
// sale, the admin queue, a shared lead, the credit in the buyer's spend and the lead's revenue,
// the timeline, and who may see what.
import { leadEvents, returnCredits, returnRequests, transactions } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../auth/sessions";
import { callerAs, makeOrgUser, testServices } from "../testing";
import { refreshReturnRates } from "./rates";
import { addBuyer, addSeller, revenueOf, soldLead } from "./testing";

let t: TestDb;
const clock = new ManualClock("2026-03-16T15:00:00Z"); // mid-March in Chicago
let s: ReturnType<typeof testServices>;
let admin: SessionUser;
let sellerOrg: string;
let sellerUser: SessionUser;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestDb();
  s = testServices(t.db, clock);
  admin = await makeOrgUser(t.db, "admin");
  sellerUser = await makeOrgUser(t.db, "seller", "BrightPath Leads");
  sellerOrg = sellerUser.orgId;
});
afterAll(() => t?.drop());

/** A contractor org with one buyer and `bought` other leads this month, so its cap is known. */
async function contractorWith(bought: number, over: Parameters<typeof addBuyer>[2] = {}) {
  const user = await makeOrgUser(t.db, "contractor");
  const buyer = await addBuyer(t.db, user.orgId, over);
  const at = new Date(clock.now().getTime() - 2 * DAY);
  const leadsBought: string[] = [];
  for (let i = 0; i < bought; i++)
    leadsBought.push(await soldLead(t.db, sellerOrg, [{ buyerId: buyer.id, priceCents: 4000 }], at));
  return { user, buyer, leads: leadsBought, api: callerAs(s, user) };
}

const kindsOf = async (leadId: string) =>
  (
    await t.db
      .select({ kind: leadEvents.kind })
      .from(leadEvents)
      .where(eq(leadEvents.leadId, leadId))
      .orderBy(asc(leadEvents.id))
  ).map((e) => e.kind);

describe("requesting a return", () => {
  it("approves within the cap and credits the price paid: the lead's revenue and the buyer's spend go down by it", async () => {
    const c = await contractorWith(20);
    const leadId = c.leads[0]!;
    const before = await c.api.auctionInsights.summary({ days: 30 });
    const r = await c.api.returns.request({ leadId, reason: "CONSUMER_DENIES" });
    expect(r).toMatchObject({ status: "APPROVED", rule: "WITHIN_CAP", creditedCents: 4000 });
    expect(await revenueOf(t.db, leadId)).toBe(0);
    const after = await c.api.auctionInsights.summary({ days: 30 });
    expect(after[0]!.spentCents).toBe(before[0]!.spentCents - 4000);
    expect(after[0]!.creditedCents).toBe(4000);
    expect(await c.api.returns.balance()).toEqual({ creditedCents: 4000, credits: 1 });
    expect(await kindsOf(leadId)).toEqual(["return_requested", "return_rule", "return_decided", "return_credited"]);
  });

  it("holds the request past the cap for an admin: 15% of 20 leads is 3 returns, the 4th waits", async () => {
    const c = await contractorWith(20);
    for (const leadId of c.leads.slice(0, 3))
      expect((await c.api.returns.request({ leadId, reason: "FAKE_OR_TEST" })).status).toBe("APPROVED");
    const held = await c.api.returns.request({ leadId: c.leads[3]!, reason: "FAKE_OR_TEST" });
    expect(held).toMatchObject({ status: "PENDING", rule: "OVER_CAP", creditedCents: null });
    expect(held.detail).toBe("3 of 3 returns allowed (15% of 20 leads) used this period; an admin decides");
    expect(await c.api.returns.allowances()).toEqual([
      expect.objectContaining({
        buyerId: c.buyer.id,
        windowDays: 7,
        capPercent: 15,
        purchases: 20,
        allowed: 3,
        used: 4,
      }),
    ]);
    expect(await revenueOf(t.db, c.leads[3]!)).toBe(4000);
    expect(await kindsOf(c.leads[3]!)).toEqual(["return_requested", "return_rule"]);
    const queue = await callerAs(s, admin).returns.list({ status: "PENDING" });
    expect(queue.map((q) => q.id)).toContain(held.id);
  });

  it("lets a buyer's own cap decide: a 0% cap sends every unverifiable request to the admin", async () => {
    const c = await contractorWith(20, { returnCapPercent: 0 });
    expect((await c.api.returns.request({ leadId: c.leads[0]!, reason: "OUTSIDE_SERVICE_AREA" })).status).toBe(
      "PENDING",
    );
  });

  it("approves a duplicate the platform confirms (same phone bought earlier in the look-back), even past the cap", async () => {
    const c = await contractorWith(6); // 15% of 6 allows none
    const first = await soldLead(
      t.db,
      sellerOrg,
      [{ buyerId: c.buyer.id, priceCents: 3000 }],
      new Date(clock.now().getTime() - 5 * DAY),
      { phone: "(901) 333-4444" },
    );
    const again = await soldLead(
      t.db,
      sellerOrg,
      [{ buyerId: c.buyer.id, priceCents: 3500 }],
      new Date(clock.now().getTime() - DAY),
      { phone: "901-333-4444" },
    );
    const r = await c.api.returns.request({ leadId: again, reason: "DUPLICATE" });
    expect(r).toMatchObject({ status: "APPROVED", rule: "VERIFIED_DUPLICATE", creditedCents: 3500 });
    expect(r.detail).toContain(first);
    // The same claim without an earlier purchase is not verified: past the cap it waits.
    const lone = await c.api.returns.request({ leadId: c.leads[0]!, reason: "DUPLICATE" });
    expect(lone).toMatchObject({ status: "PENDING", rule: "OVER_CAP" });
    expect(lone.detail).toMatch(/^no earlier purchase of this person in the look-back/);
  });

  it("does not count an earlier purchase outside the buyer's look-back as a duplicate", async () => {
    const c = await contractorWith(4, { duplicateLookbackDays: 3 }); // with the two below, 6 leads: no room under the cap
    await soldLead(
      t.db,
      sellerOrg,
      [{ buyerId: c.buyer.id, priceCents: 3000 }],
      new Date(clock.now().getTime() - 6 * DAY),
      { phone: "901-444-5555" },
    );
    const again = await soldLead(
      t.db,
      sellerOrg,
      [{ buyerId: c.buyer.id, priceCents: 3000 }],
      new Date(clock.now().getTime() - DAY),
      { phone: "901-444-5555" },
    );
    expect(await c.api.returns.request({ leadId: again, reason: "DUPLICATE" })).toMatchObject({
      status: "PENDING",
      rule: "OVER_CAP",
    });
  });

  it("approves an invalid phone the platform confirms, even past the cap; a valid phone is not verified", async () => {
    const c = await contractorWith(6);
    const bad = await soldLead(
      t.db,
      sellerOrg,
      [{ buyerId: c.buyer.id, priceCents: 2500 }],
      new Date(clock.now().getTime() - DAY),
      { phone: "(901) 555-0123" },
    );
    const r = await c.api.returns.request({ leadId: bad, reason: "INVALID_PHONE" });
    expect(r).toMatchObject({ status: "APPROVED", rule: "VERIFIED_INVALID_PHONE", creditedCents: 2500 });
    expect(await c.api.returns.request({ leadId: c.leads[0]!, reason: "INVALID_PHONE" })).toMatchObject({
      status: "PENDING",
      rule: "OVER_CAP",
    });
  });
});

describe("the window, once per sale, and who may return", () => {
  it("accepts at the last instant of the buyer's window and refuses a millisecond later with a clear error", async () => {
    const c = await contractorWith(20, { returnWindowDays: 3 });
    const soldAt = new Date(clock.now().getTime() - 3 * DAY);
    const onTime = await soldLead(t.db, sellerOrg, [{ buyerId: c.buyer.id, priceCents: 1000 }], soldAt);
    const late = await soldLead(
      t.db,
      sellerOrg,
      [{ buyerId: c.buyer.id, priceCents: 1000 }],
      new Date(soldAt.getTime() - 1),
    );
    expect((await c.api.returns.request({ leadId: onTime, reason: "FAKE_OR_TEST" })).status).toBe("APPROVED");
    await expect(c.api.returns.request({ leadId: late, reason: "FAKE_OR_TEST" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/^This lead can no longer be returned: the 3-day return window closed at /),
    });
    expect(await t.db.select().from(returnRequests).where(eq(returnRequests.leadId, late))).toEqual([]);
    expect(await kindsOf(late)).toEqual(["return_refused"]);
  });

  it("returns a sale once: a second request, even after a denial, is a CONFLICT", async () => {
    const c = await contractorWith(20, { returnCapPercent: 0 });
    const leadId = c.leads[0]!;
    const held = await c.api.returns.request({ leadId, reason: "OTHER", comment: "the homeowner sold the house" });
    await expect(c.api.returns.request({ leadId, reason: "FAKE_OR_TEST" })).rejects.toMatchObject({ code: "CONFLICT" });
    await callerAs(s, admin).returns.decide({ id: held.id, decision: "DENIED", note: "The lead was valid when sold." });
    await expect(c.api.returns.request({ leadId, reason: "FAKE_OR_TEST" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("(denied)"),
    });
    expect(await t.db.select().from(returnCredits).where(eq(returnCredits.leadId, leadId))).toEqual([]);
    expect(await revenueOf(t.db, leadId)).toBe(4000);
  });

  it("refuses a lead the buyer did not buy (another org's, or one it only lost) as NOT_FOUND, and non-buyers as FORBIDDEN", async () => {
    const c = await contractorWith(1);
    const other = await contractorWith(1);
    await expect(c.api.returns.request({ leadId: other.leads[0]!, reason: "FAKE_OR_TEST" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringMatching(/^You did not buy this lead/),
    });
    await t.db.insert(transactions).values({
      leadId: other.leads[0]!,
      buyerId: c.buyer.id,
      kind: "DIRECT",
      isWinner: false,
      lostReason: "NOT_SELECTED",
    });
    await expect(c.api.returns.request({ leadId: other.leads[0]!, reason: "FAKE_OR_TEST" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      callerAs(s, sellerUser).returns.request({ leadId: c.leads[0]!, reason: "FAKE_OR_TEST" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerAs(s, admin).returns.request({ leadId: c.leads[0]!, reason: "FAKE_OR_TEST" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("needs a comment for 'other' and a known reason", async () => {
    const c = await contractorWith(1);
    await expect(c.api.returns.request({ leadId: c.leads[0]!, reason: "OTHER" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    // @ts-expect-error an unknown reason
    await expect(c.api.returns.request({ leadId: c.leads[0]!, reason: "DID_NOT_LIKE_IT" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await t.db.select().from(returnRequests).where(eq(returnRequests.leadId, c.leads[0]!))).toEqual([]);
  });
});

describe("the admin queue", () => {
  it("approves with a note and credits once; deciding again is a CONFLICT; buyers cannot decide", async () => {
    const c = await contractorWith(20, { returnCapPercent: 0 });
    const leadId = c.leads[0]!;
    const held = await c.api.returns.request({ leadId, reason: "CONSUMER_DENIES" });
    await expect(c.api.returns.decide({ id: held.id, decision: "APPROVED", note: "mine" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const d = await callerAs(s, admin).returns.decide({
      id: held.id,
      decision: "APPROVED",
      note: "Called the consumer: no request made.",
    });
    expect(d).toMatchObject({ status: "APPROVED", creditedCents: 4000 });
    await expect(
      callerAs(s, admin).returns.decide({ id: held.id, decision: "DENIED", note: "changed my mind" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await revenueOf(t.db, leadId)).toBe(0);
    expect(await t.db.select().from(returnCredits).where(eq(returnCredits.leadId, leadId))).toHaveLength(1);
    expect(await kindsOf(leadId)).toEqual(["return_requested", "return_rule", "return_decided", "return_credited"]);
    const [row] = await t.db.select().from(returnRequests).where(eq(returnRequests.id, held.id));
    expect(row).toMatchObject({
      status: "APPROVED",
      rule: "ADMIN",
      decidedBy: admin.id,
      decisionNote: "Called the consumer: no request made.",
    });
    const mine = await c.api.returns.list({});
    expect(mine.find((r) => r.id === held.id)).toMatchObject({
      status: "APPROVED",
      creditedCents: 4000,
      decisionNote: "Called the consumer: no request made.",
    });
  });
});

describe("a shared lead", () => {
  it("credits only the buyer that returned it; the other buyer's sale, spend and right to return stay", async () => {
    const a = await contractorWith(20);
    const b = await contractorWith(20);
    const leadId = await soldLead(
      t.db,
      sellerOrg,
      [
        { buyerId: a.buyer.id, priceCents: 3000 },
        { buyerId: b.buyer.id, priceCents: 2500 },
      ],
      new Date(clock.now().getTime() - DAY),
    );
    const bBefore = await b.api.auctionInsights.summary({ days: 30 });
    const r = await a.api.returns.request({ leadId, reason: "OUTSIDE_SERVICE_AREA" });
    expect(r).toMatchObject({ status: "APPROVED", creditedCents: 3000 });
    expect(await revenueOf(t.db, leadId)).toBe(2500);
    expect(await b.api.auctionInsights.summary({ days: 30 })).toEqual(bBefore);
    const credits = await t.db.select().from(returnCredits).where(eq(returnCredits.leadId, leadId));
    expect(credits.map((c) => [c.buyerId, c.amountCents])).toEqual([[a.buyer.id, 3000]]);
    // The lead page: each buyer sees only its own return steps; the seller sees that it came back.
    const aView = await a.api.leads.get({ id: leadId });
    expect(aView.events.map((e) => e.kind)).toEqual([
      "return_requested",
      "return_rule",
      "return_decided",
      "return_credited",
    ]);
    expect((await b.api.leads.get({ id: leadId })).events).toEqual([]);
    const sellerView = await callerAs(s, sellerUser).leads.get({ id: leadId });
    // Not "return_credited": its amount is the buyer's price, which a seller never sees (view.ts).
    expect(sellerView.events.map((e) => e.kind)).toEqual(["return_requested", "return_decided"]);
    // B may still return its own share.
    expect(await b.api.returns.request({ leadId, reason: "FAKE_OR_TEST" })).toMatchObject({
      status: "APPROVED",
      creditedCents: 2500,
    });
    expect(await revenueOf(t.db, leadId)).toBe(0);
  });
});

describe("rates and the seller's view", () => {
  it("shows return rates per buyer and per source, scoped to each viewer, and keeps buyers.return_rate_bp current", async () => {
    const seller2 = await addSeller(t.db, "Other Source");
    const c = await contractorWith(0);
    const mine: string[] = [];
    for (let i = 0; i < 8; i++)
      mine.push(
        await soldLead(
          t.db,
          i < 4 ? sellerOrg : seller2,
          [{ buyerId: c.buyer.id, priceCents: 1000 }],
          new Date(clock.now().getTime() - DAY),
        ),
      );
    await c.api.returns.request({ leadId: mine[0]!, reason: "INVALID_PHONE" }); // 15% of 8 allows 1
    const rates = await c.api.returns.rates();
    expect(rates.byBuyer).toEqual([
      expect.objectContaining({ buyerId: c.buyer.id, purchases: 8, approved: 1, rateBp: 1250, creditedCents: 1000 }),
    ]);
    expect(rates.bySource.map((r) => [r.source, r.purchases, r.approved])).toEqual([
      ["BrightPath Leads", 4, 1],
      ["Other Source", 4, 0],
    ]);
    const settings = await callerAs(s, admin).returns.settings();
    expect(settings.buyers.find((b) => b.id === c.buyer.id)?.returnRateBp).toBe(1250);
    // New sales move the rate too: the hourly job (refreshReturnRates) catches up.
    for (let i = 0; i < 8; i++)
      await soldLead(
        t.db,
        sellerOrg,
        [{ buyerId: c.buyer.id, priceCents: 1000 }],
        new Date(clock.now().getTime() - DAY),
      );
    expect(await refreshReturnRates(t.db, clock.now())).toBeGreaterThanOrEqual(1);
    expect((await callerAs(s, admin).returns.settings()).buyers.find((b) => b.id === c.buyer.id)?.returnRateBp).toBe(
      625,
    );

    const sellerList = await callerAs(s, sellerUser).returns.list({});
    const row = sellerList.find((r) => r.leadId === mine[0]);
    expect(row).toMatchObject({ reason: "INVALID_PHONE", status: "APPROVED", buyerId: null, ruleDetail: null });
    expect(sellerList.every((r) => r.source === "BrightPath Leads")).toBe(true);
    const adminRates = await callerAs(s, admin).returns.rates();
    expect(adminRates.bySource.map((r) => r.source)).toEqual(
      expect.arrayContaining(["BrightPath Leads", "Other Source"]),
    );
  });

  it("lists the leads a buyer may still return: inside the window and not yet returned", async () => {
    const c = await contractorWith(2, { returnWindowDays: 7 });
    const old = await soldLead(
      t.db,
      sellerOrg,
      [{ buyerId: c.buyer.id, priceCents: 1000 }],
      new Date(clock.now().getTime() - 8 * DAY),
    );
    await c.api.returns.request({ leadId: c.leads[0]!, reason: "FAKE_OR_TEST" });
    const list = await c.api.returns.returnable();
    expect(list.map((l) => l.leadId)).toEqual([c.leads[1]]);
    expect(list.map((l) => l.leadId)).not.toContain(old);
  });

  it("an admin sets a buyer's return terms and a vertical's net-of-returns ranking (off by default)", async () => {
    const c = await contractorWith(0);
    const api = callerAs(s, admin);
    await api.returns.setBuyerTerms({ buyerId: c.buyer.id, returnWindowDays: 14, returnCapPercent: 25 });
    expect((await api.returns.settings()).buyers.find((b) => b.id === c.buyer.id)).toMatchObject({
      returnWindowDays: 14,
      returnCapPercent: 25,
    });
    await expect(
      api.returns.setBuyerTerms({ buyerId: c.buyer.id, returnWindowDays: 91, returnCapPercent: 25 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      c.api.returns.setBuyerTerms({ buyerId: c.buyer.id, returnWindowDays: 90, returnCapPercent: 100 }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const { verticals } = await import("@leadflow/db");
    await t.db.insert(verticals).values({ key: "roofing", name: "Roofing" }).onConflictDoNothing();
    const { rankNetOfReturns } = await import("./rates");
    expect(await rankNetOfReturns(t.db, "roofing")).toBe(false);
    await api.returns.setVerticalRanking({ key: "roofing", on: true });
    expect(await rankNetOfReturns(t.db, "roofing")).toBe(true);
    await api.returns.setVerticalRanking({ key: "roofing", on: false });
    await expect(api.returns.setVerticalRanking({ key: "nope", on: true })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
