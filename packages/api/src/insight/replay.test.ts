// The what-if replay against recorded auctions that really ran: leads go through the live
// runAuction (real HTTP to networks on loopback, real PostgreSQL), then replays with and without
// changes are compared with what was recorded. The replay must write nothing and call nobody.
import { buyers, buyerZips, leads, orgs, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { checkEligibility, ManualClock, NO_SALES, type Buyer } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBuyerAgent, createLead, parseIntake, runAuction } from "../auction";
import type { Services } from "../context";
import { callerAs, makeOrgUser, silentLog, TEST_OUTBOUND } from "../testing";

/** Networks on loopback: /ping/<name> bids what BIDS says, /post/<name> accepts unless in REJECT. */
const BIDS: Record<string, number | null> = { alpha: 20, beta: 30, gamma: null };
const REJECT = new Set(["beta-rejects"]);
let hits = 0;
let server: Server;
let base = "";

let t: TestDb;
let s: Services;
const clock = new ManualClock("2026-03-02T15:00:00Z"); // Monday 09:00 in Chicago
const ids: Record<string, string> = {};
const recorded: string[] = [];

async function addBuyer(orgId: string, v: Partial<typeof buyers.$inferInsert>, zips = [{ zip: "*", priority: 1 }]) {
  const [b] = await t.db
    .insert(buyers)
    .values({
      orgId,
      name: "b",
      type: "NETWORK",
      verticals: ["roofing"],
      timeZone: "America/Chicago",
      duplicateLookbackDays: 0,
      ...v,
    } as typeof buyers.$inferInsert)
    .returning();
  await t.db.insert(buyerZips).values(zips.map((z) => ({ buyerId: b!.id, ...z })));
  return b!.id;
}

let n = 0;
async function sendLead(zip = "75201") {
  const body = parseIntake({
    vertical: "roofing",
    zip,
    contact: { firstName: "A", lastName: "B", phone: `512555${String(1000 + ++n)}` },
  });
  const { id } = await createLead(s, ids.seller!, body);
  await runAuction(s, id);
  recorded.push(id);
  return id;
}

async function snapshot() {
  const res = await t.db.execute(sql`select
    (select count(*) from leads) as leads, (select md5(coalesce(string_agg(l::text, '|' order by l.id), '')) from leads l) as l_sum,
    (select count(*) from transactions) as txs, (select md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from transactions x) as t_sum,
    (select count(*) from lead_events) as events, (select md5(coalesce(string_agg(e::text, '|' order by e.id), '')) from lead_events e) as e_sum,
    (select count(*) from deliveries) as deliveries, (select md5(coalesce(string_agg(d::text, '|' order by d.id), '')) from deliveries d) as d_sum,
    (select md5(coalesce(string_agg(b::text, '|' order by b.id), '')) from buyers b) as b_sum`);
  return JSON.stringify(Array.isArray(res) ? res[0] : (res as { rows: unknown[] }).rows[0]);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    const [, kind, name = ""] = (req.url ?? "").split("/");
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (kind === "ping")
        res.end(JSON.stringify(BIDS[name] ? { bid: BIDS[name]! } : { bid: null, reason: "not interested" }));
      else
        res.end(JSON.stringify(REJECT.has(name) ? { accepted: false, reason: "invalid phone" } : { accepted: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  t = await createTestDb();
  s = { db: t.db, handle: t, clock, log: silentLog, publicUrl: "http://127.0.0.1:0", outbound: TEST_OUTBOUND };
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing", floorCents: 500 });
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  ids.seller = seller!.id;
  ids.alphaUser = (await makeOrgUser(t.db, "network", "Alpha Leads")).orgId;
  ids.betaUser = (await makeOrgUser(t.db, "network", "Beta Leads")).orgId;
  ids.proUser = (await makeOrgUser(t.db, "contractor", "Pro Roofing")).orgId;
  const net = (name: string) => ({
    type: "NETWORK" as const,
    name,
    pingUrl: `${base}/ping/${name}`,
    postUrl: `${base}/post/${name}`,
  });
  ids.alpha = await addBuyer(ids.alphaUser, { ...net("alpha"), capDaily: 5 });
  ids.beta = await addBuyer(ids.betaUser, net("beta"));
  ids.gamma = await addBuyer(ids.betaUser, net("gamma"));
  // A FIXED contractor only in 75201: it gets the lead when the auction does not sell.
  ids.pro = await addBuyer(
    ids.proUser,
    {
      type: "CONTRACTOR",
      name: "Pro Roofing",
      pricingModel: "FIXED",
      fixedLeadPriceCents: 1500,
      notifyEmail: false,
      notifyWebhook: false,
    },
    [{ zip: "75201", priority: 2 }],
  );

  // Day 1: three leads, beta (30) beats alpha (20).
  for (let i = 0; i < 3; i++) {
    await sendLead();
    clock.advance(60 * 60_000);
  }
  // Day 2: beta rejects every POST, so alpha wins at position 2.
  clock.advance(21 * 60 * 60_000);
  await t.db
    .update(buyers)
    .set({ postUrl: `${base}/post/beta-rejects` })
    .where(sql`id = ${ids.beta}`);
  for (let i = 0; i < 2; i++) {
    await sendLead();
    clock.advance(60 * 60_000);
  }
  await t.db
    .update(buyers)
    .set({ postUrl: `${base}/post/beta` })
    .where(sql`id = ${ids.beta}`);
  // A lead in a zip only the networks serve.
  await sendLead("10001");
  clock.advance(24 * 60 * 60_000);
}, 60_000);

afterAll(async () => {
  await closeBuyerAgent();
  server?.close();
  await t?.drop();
});

const admin = async () => callerAs(s, await makeOrgUser(t.db, "admin"));
const asOrg = (orgId: string, role: "network" | "contractor") =>
  callerAs(s, { id: orgId, orgId, orgKind: role, orgName: "x", email: "x@example.test", name: "x", role });

describe("what-if replay", () => {
  it("recorded the auctions it replays (sanity)", async () => {
    const rows = await t.db.select({ status: leads.status, revenue: leads.revenueCents }).from(leads);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.status === "SOLD")).toBe(true);
  });

  it("with no changes reproduces every recorded outcome, price and reason exactly", async () => {
    const r = await asOrg(ids.alphaUser!, "network").insight.replay({ buyerId: ids.alpha!, days: 7 });
    expect(r.leads).toBe(6);
    expect(r.recorded).toEqual({ won: 2, spentCents: 4000 });
    expect(r.replay.won).toBe(2);
    expect(r.replay.spentCents).toBe(4000);
    expect(r.gained + r.lost).toBe(0);
    for (const row of r.rows)
      expect(row.replay).toMatchObject({
        won: row.recorded.won,
        priceCents: row.recorded.priceCents,
        reason: row.recorded.reason,
      });
    expect(r.lostReasons).toEqual([{ reason: "OUTBID", count: 4 }]);
    // The contractor too: it lost every lead to the auction (NOT_SELECTED) and never paid.
    const pro = await asOrg(ids.proUser!, "contractor").insight.replay({ buyerId: ids.pro!, days: 7 });
    expect(pro.recorded).toEqual({ won: 0, spentCents: 0 });
    expect(pro.replay.won).toBe(0);
    expect(pro.rows.every((x) => x.replay.reason === x.recorded.reason)).toBe(true);
  });

  it("a higher bid wins the leads it was outbid on, at its own price; a cap stops it", async () => {
    const r = await asOrg(ids.alphaUser!, "network").insight.replay({
      buyerId: ids.alpha!,
      days: 7,
      changes: { bidCents: 3500 },
    });
    expect(r.replay).toMatchObject({ won: 6, spentCents: 6 * 3500, avgPriceCents: 3500 });
    expect(r.gained).toBe(4);
    expect(r.lost).toBe(0);
    expect(r.rows.filter((x) => !x.recorded.won).every((x) => x.replay.won && x.replay.priceCents === 3500)).toBe(true);

    // Day 1 had 3 leads, day 3 one (the 10001 lead is on day 2): a daily cap of 1 keeps one a day.
    const capped = await asOrg(ids.alphaUser!, "network").insight.replay({
      buyerId: ids.alpha!,
      days: 7,
      changes: { bidCents: 3500, capDaily: 1 },
    });
    expect(capped.replay.won).toBe(2);
    expect(capped.lostReasons).toContainEqual({ reason: "CAP_REACHED", count: 4 });
  });

  it("sales recorded before the window count against the caps, as they would have at the time", async () => {
    // The last day holds only the 10001 lead (Tuesday 11:00 in Chicago); alpha had bought two
    // leads earlier that Tuesday, outside the window.
    const c = asOrg(ids.alphaUser!, "network").insight;
    const two = await c.replay({ buyerId: ids.alpha!, days: 1, changes: { bidCents: 3500, capDaily: 2 } });
    expect(two.leads).toBe(1);
    expect(two.replay.won).toBe(0);
    expect(two.rows[0]!.replay).toMatchObject({
      reason: "CAP_REACHED",
      detail: expect.stringContaining("daily cap 2 reached (2 sold today"),
    });
    const three = await c.replay({ buyerId: ids.alpha!, days: 1, changes: { bidCents: 3500, capDaily: 3 } });
    expect(three.replay).toMatchObject({ won: 1, spentCents: 3500 });
  });

  it("a bid below the vertical floor loses every lead with BELOW_MIN_BID", async () => {
    const r = await asOrg(ids.alphaUser!, "network").insight.replay({
      buyerId: ids.alpha!,
      days: 7,
      changes: { bidCents: 400 },
    });
    expect(r.replay.won).toBe(0);
    expect(r.lostReasons).toEqual([{ reason: "BELOW_MIN_BID", count: 6 }]);
    expect(r.lost).toBe(2);
  });

  it("zip codes and hours: serving only 10001, or closing on Mondays, loses the rest with the engine's reasons", async () => {
    const zips = await asOrg(ids.alphaUser!, "network").insight.replay({
      buyerId: ids.alpha!,
      days: 7,
      changes: { bidCents: 3500, serviceZips: [{ zip: "10001", priority: 1 }] },
    });
    expect(zips.replay.won).toBe(1);
    expect(zips.lostReasons).toEqual([{ reason: "NOT_IN_AREA", count: 5 }]);
    const hours = await asOrg(ids.alphaUser!, "network").insight.replay({
      buyerId: ids.alpha!,
      days: 7,
      changes: { bidCents: 3500, hours: { tue: [["00:00", "24:00"]], wed: [["00:00", "24:00"]] } },
    });
    expect(hours.replay.won).toBe(3); // Tuesday's three leads
    expect(hours.lostReasons).toEqual([{ reason: "OUTSIDE_HOURS", count: 3 }]);
  });

  it("a contractor that switches to auction pricing with a max bid competes in the auction", async () => {
    const c = asOrg(ids.proUser!, "contractor").insight;
    // FIXED pricing ignores a max bid: the auction still sells first, so nothing changes.
    const fixed = await c.replay({
      buyerId: ids.pro!,
      days: 7,
      changes: { serviceZips: [{ zip: "75201", priority: 1, maxBidCents: 5000 }] },
    });
    expect(fixed.replay.won).toBe(0);
    const auction = await c.replay({
      buyerId: ids.pro!,
      days: 7,
      changes: { pricingModel: "AUCTION", maxBidCents: 4000 },
    });
    expect(auction.replay).toMatchObject({ won: 5, spentCents: 5 * 4000 });
    expect(auction.lostReasons).toEqual([{ reason: "NOT_IN_AREA", count: 1 }]);
    expect(auction.assumed).toBe(0);
    // Below beta's 30 it is outbid on Monday, and wins Tuesday's two leads beta refused, ahead of alpha's 20.
    const low = await c.replay({ buyerId: ids.pro!, days: 7, changes: { pricingModel: "AUCTION", maxBidCents: 2500 } });
    expect(low.replay).toMatchObject({ won: 2, spentCents: 5000 });
    expect(low.lostReasons).toEqual([
      { reason: "OUTBID", count: 3 },
      { reason: "NOT_IN_AREA", count: 1 },
    ]);
  });

  it("never writes and never calls a buyer", async () => {
    const before = await snapshot();
    const hitsBefore = hits;
    const c = await admin();
    await c.insight.replay({ buyerId: ids.alpha!, days: 7, changes: { bidCents: 9000, capDaily: 2 } });
    await c.insight.replay({ buyerId: ids.beta!, days: 7, changes: { bidCents: 100 } });
    await c.insight.replay({ buyerId: ids.pro!, days: 7, changes: { deliveryMode: "SHARED", maxSharedLeads: 3 } });
    expect(hits).toBe(hitsBefore);
    expect(await snapshot()).toBe(before);
  });

  it("a buyer may replay only itself; an admin any buyer; bad input is refused with the field", async () => {
    await expect(
      asOrg(ids.betaUser!, "network").insight.replay({ buyerId: ids.alpha!, days: 7 }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect((await admin()).insight.replay({ buyerId: ids.beta!, days: 7 })).resolves.toMatchObject({
      buyerId: ids.beta,
    });
    await expect(
      asOrg(ids.alphaUser!, "network").insight.replay({ buyerId: ids.alpha!, days: 0 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      asOrg(ids.alphaUser!, "network").insight.replay({
        buyerId: ids.alpha!,
        days: 7,
        changes: { hours: { mon: [["9am", "5pm"]] } } as never,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      asOrg(ids.alphaUser!, "network").insight.replay({
        buyerId: ids.alpha!,
        days: 7,
        changes: { serviceZips: [{ zip: "1", priority: 1 }] },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("reproduces a lead where a competitor's own hours refused its sale before its POST (no cascadePosition)", async () => {
    await t.db.insert(verticals).values({ key: "siding", name: "Siding", floorCents: 0 });
    const org = (await makeOrgUser(t.db, "network", "Delta Leads")).orgId;
    const at = clock.now();
    const hm = (d: Date) => `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
    const day = (["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const)[at.getUTCDay()]!;
    const siding = { type: "NETWORK" as const, verticals: ["siding"], timeZone: "UTC" };
    const delta = await addBuyer(org, {
      ...siding,
      name: "delta",
      pingUrl: `${base}/ping/alpha`,
      postUrl: `${base}/post/alpha`,
    });
    // Bids more, but closes five minutes after the auction starts; the clock passes that once the
    // pings have gone out, so its sale is refused by its own hours and nothing is POSTed to it.
    const closer = await addBuyer(org, {
      ...siding,
      name: "closer",
      pingUrl: `${base}/ping/beta`,
      postUrl: `${base}/post/beta`,
      hours: { [day]: [[hm(new Date(at.getTime() - 3_600_000)), hm(new Date(at.getTime() + 5 * 60_000))]] },
    });
    const hitsAtStart = hits;
    const jumping = { now: () => new Date(at.getTime() + (hits > hitsAtStart ? 10 * 60_000 : 0)) };
    const body = parseIntake({
      vertical: "siding",
      zip: "75201",
      contact: { firstName: "S", lastName: "T", phone: "5125559911" },
    });
    const { id } = await createLead(s, ids.seller!, body);
    const run = await runAuction({ ...s, clock: jumping }, id);
    expect(
      run.outcome?.records.map((r) => [r.buyerId, r.kind, r.cascadePosition, r.isWinner ? "WIN" : r.lostReason]).sort(),
    ).toEqual(
      [
        [closer, "PING", null, "OUTSIDE_HOURS"],
        [delta, "POST", 1, "WIN"],
      ].sort(),
    );
    const r = await asOrg(org, "network").insight.replay({ buyerId: delta, days: 7 });
    expect(r.leads).toBe(1);
    expect(r.recorded).toEqual({ won: 1, spentCents: 2000 });
    expect(r).toMatchObject({ replay: { won: 1, spentCents: 2000 }, gained: 0, lost: 0 });
  });

  it("is given the zip priority as a field of the engine's eligible verdict", () => {
    const buyer: Buyer = {
      id: "c",
      type: "CONTRACTOR",
      active: true,
      verticals: ["roofing"],
      serviceZips: [{ zip: "38103", priority: 7 }],
      timeZone: "UTC",
      deliveryMode: "EXCLUSIVE",
      maxSharedLeads: 1,
      pricingModel: "FIXED",
      fixedLeadPriceCents: 100,
    };
    const v = checkEligibility(
      { id: "l", vertical: "roofing", zip: "38103", receivedAt: new Date(), consent: {} },
      buyer,
      NO_SALES,
      new Date(),
    );
    expect(v).toMatchObject({ eligible: true, priority: 7 });
  });
});
