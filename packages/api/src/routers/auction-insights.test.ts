import { buyers, leads, orgs, transactions, type Db } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../auth/sessions";
import { callerAs, makeOrgUser, testServices } from "../testing";

let t: TestDb;
let db: Db;
let admin: SessionUser, net: SessionUser, otherNet: SessionUser, con: SessionUser;
const clock = new ManualClock("2026-03-10T12:00:00Z");
const as = (u: SessionUser) => callerAs({ ...testServices(db), clock }, u);
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  [admin, net, otherNet, con] = await Promise.all([
    makeOrgUser(db, "admin"),
    makeOrgUser(db, "network"),
    makeOrgUser(db, "network"),
    makeOrgUser(db, "contractor"),
  ]);
  const [seller] = await db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  const net1 = { type: "NETWORK" as const, pingUrl: "http://x.test/p", postUrl: "http://x.test/q" };
  const [a, b, c] = await db
    .insert(buyers)
    .values([
      { ...net1, orgId: net.orgId, name: "Alpha" },
      { ...net1, orgId: otherNet.orgId, name: "Beta" },
      { orgId: con.orgId, name: "Roofer", type: "CONTRACTOR" },
    ])
    .returning();
  Object.assign(ids, { a: a!.id, b: b!.id, c: c!.id });
  const lead = async (receivedAt: string, unsoldReason: "CASCADE_EXHAUSTED" | null) =>
    (
      await db
        .insert(leads)
        .values({
          sellerOrgId: seller!.id,
          vertical: "roofing",
          zip: "38103",
          contact: { firstName: "A", lastName: "B" },
          receivedAt: new Date(receivedAt),
          status: unsoldReason ? "UNSOLD" : "SOLD",
          unsoldReason,
        })
        .returning()
    )[0]!.id;
  const l1 = await lead("2026-03-09T10:00:00Z", null);
  const l2 = await lead("2026-03-10T09:00:00Z", "CASCADE_EXHAUSTED");
  const l3 = await lead("2026-02-01T09:00:00Z", "CASCADE_EXHAUSTED"); // outside the 7-day range
  await db.insert(transactions).values([
    {
      leadId: l1,
      buyerId: a!.id,
      kind: "PING",
      pingOutcome: "BID",
      bidCents: 3000,
      isWinner: true,
      priceCents: 3000,
      createdAt: new Date("2026-03-09T10:00:01Z"),
    },
    {
      leadId: l1,
      buyerId: b!.id,
      kind: "PING",
      pingOutcome: "BID",
      bidCents: 2000,
      lostReason: "OUTBID",
      winningBidAmountCents: 3000,
      createdAt: new Date("2026-03-09T10:00:01Z"),
    },
    {
      leadId: l1,
      buyerId: c!.id,
      kind: "DIRECT",
      lostReason: "EXCLUSIVE_TAKEN",
      createdAt: new Date("2026-03-09T10:00:01Z"),
    },
    {
      leadId: l2,
      buyerId: a!.id,
      kind: "PING",
      pingOutcome: "BID",
      bidCents: 2500,
      lostReason: "POST_REJECTED",
      cascadePosition: 1,
      createdAt: new Date("2026-03-10T09:00:01Z"),
    },
    {
      leadId: l2,
      buyerId: b!.id,
      kind: "PING",
      pingOutcome: "TIMEOUT",
      lostReason: "TIMEOUT",
      createdAt: new Date("2026-03-10T09:00:01Z"),
    },
    {
      leadId: l3,
      buyerId: b!.id,
      kind: "PING",
      pingOutcome: "NO_BID",
      lostReason: "NO_BID",
      createdAt: new Date("2026-02-01T09:00:01Z"),
    },
  ]);
});
afterAll(() => t?.drop());

describe("auction insights", () => {
  it("counts lost reasons by reason, by buyer and over time; CASCADE_EXHAUSTED once per lead", async () => {
    const r = await as(admin).auctionInsights.lostReasons({ days: 7, bucket: "day" });
    expect(Object.fromEntries(r.byReason.map((x) => [x.reason, x.count]))).toEqual({
      OUTBID: 1,
      EXCLUSIVE_TAKEN: 1,
      POST_REJECTED: 1,
      TIMEOUT: 1,
      CASCADE_EXHAUSTED: 1,
    });
    expect(
      r.byBuyer
        .filter((x) => x.buyer === "Beta")
        .map((x) => x.reason)
        .sort(),
    ).toEqual(["OUTBID", "TIMEOUT"]);
    expect(r.byBuyer.some((x) => x.reason === "CASCADE_EXHAUSTED")).toBe(false);
    expect(r.overTime).toContainEqual({ bucket: "2026-03-10T00:00", reason: "CASCADE_EXHAUSTED", count: 1 });
    expect(r.overTime).toContainEqual({ bucket: "2026-03-09T00:00", reason: "OUTBID", count: 1 });
    const wide = await as(admin).auctionInsights.lostReasons({ days: 60 });
    expect(wide.byReason.find((x) => x.reason === "CASCADE_EXHAUSTED")?.count).toBe(2);
  });

  it("shows a network only its own buyers' activity and summary", async () => {
    const act = await as(net).auctionInsights.activity();
    expect(new Set(act.map((x) => x.buyer))).toEqual(new Set(["Alpha"]));
    const sum = await as(net).auctionInsights.summary({ days: 7 });
    expect(sum).toEqual([
      expect.objectContaining({
        buyer: "Alpha",
        pings: 2,
        bids: 2,
        wins: 1,
        spentCents: 3000,
        lost: { POST_REJECTED: 1 },
      }),
    ]);
    const other = await as(otherNet).auctionInsights.summary({ days: 60 });
    expect(other[0]).toMatchObject({ buyer: "Beta", pings: 3, wins: 0, lost: { OUTBID: 1, TIMEOUT: 1, NO_BID: 1 } });
    expect((await as(net).auctionInsights.activity({ buyerId: ids.b! })).length).toBe(0);
    expect((await as(admin).auctionInsights.activity({ limit: 200 })).length).toBe(6);
  });

  it("keeps the lost-reason analytics to admins", async () => {
    await expect(as(net).auctionInsights.lostReasons()).rejects.toBeInstanceOf(TRPCError);
    await expect(as(con).auctionInsights.lostReasons()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
