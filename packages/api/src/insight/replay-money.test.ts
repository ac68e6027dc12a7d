// The what-if replay's money (replay-money.ts) against auctions that really ran: ten leads across a
// buyer's midnight go through the live runAuction (networks on loopback, real PostgreSQL), then a
// prepaid or budgeted network is replayed with a bid that would win all ten. It may win only what
// its balance and budgets allowed at each lead's moment, as the live sale would have decided.
import { buyers, buyerZips, insertTopUp, orgs, returnCredits, returnRequests, rowsOf, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBuyerAgent, createLead, parseIntake, runAuction } from "../auction";
import type { Services } from "../context";
import { callerAs, makeOrgUser, silentLog, TEST_OUTBOUND } from "../testing";

/** Networks on loopback: /ping/<name> bids BIDS[name] dollars, /post/<name> accepts. */
const BIDS: Record<string, number> = { rich: 30, thrifty: 10, topped: 10, budgeted: 10, spender: 40, rival: 30 };
let server: Server;
let base = "";
let t: TestDb;
let s: Services;
// Monday 2 March 2026, 19:30 in Chicago (CST, UTC-6): the buyer's midnight is 06:00 UTC.
const clock = new ManualClock("2026-03-03T01:30:00Z");
const ids: Record<string, string> = {};
let org = "";
let sellerId = "";
let n = 0;

async function addNetwork(name: string, vertical: string, v: Partial<typeof buyers.$inferInsert> = {}) {
  const [b] = await t.db
    .insert(buyers)
    .values({
      orgId: org,
      name,
      type: "NETWORK",
      verticals: [vertical],
      timeZone: "America/Chicago",
      duplicateLookbackDays: 0,
      pingUrl: `${base}/ping/${name}`,
      postUrl: `${base}/post/${name}`,
      ...v,
    } as typeof buyers.$inferInsert)
    .returning();
  await t.db.insert(buyerZips).values({ buyerId: b!.id, zip: "*", priority: 1 });
  return b!.id;
}

async function sendLead(vertical: string) {
  const body = parseIntake({
    vertical,
    zip: "75201",
    contact: { firstName: "A", lastName: "B", phone: `512556${String(1000 + ++n)}` },
  });
  const { id } = await createLead(s, sellerId, body);
  await runAuction(s, id);
  return id;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const [, kind, name = ""] = (req.url ?? "").split("/");
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(kind === "ping" ? { bid: BIDS[name] ?? null } : { accepted: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await createTestDb();
  s = { db: t.db, handle: t, clock, log: silentLog, publicUrl: "http://127.0.0.1:0", outbound: TEST_OUTBOUND };
  await t.db.insert(verticals).values([
    { key: "gutters", name: "Gutters", floorCents: 0 },
    { key: "siding", name: "Siding", floorCents: 0 },
  ]);
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  sellerId = seller!.id;
  org = (await makeOrgUser(t.db, "network", "Money Leads")).orgId;

  // Gutters: rich wins every lead at $30; the others bid $10 and lose, whatever they could pay.
  ids.rich = await addNetwork("rich", "gutters");
  // $130 prepaid: three sales at $40, and $10 left that covers no fourth.
  ids.thrifty = await addNetwork("thrifty", "gutters", { billingMode: "PREPAID" });
  ids.topped = await addNetwork("topped", "gutters", { billingMode: "PREPAID" });
  ids.budgeted = await addNetwork("budgeted", "gutters", { budgetDailyCents: 8000 });
  const topUp = (buyerId: string, amountCents: number, key: string) =>
    insertTopUp(t.db, { buyerId, amountCents, note: null, key, by: null, at: clock.now() });
  await topUp(ids.thrifty, 13_000, "thrifty-1");
  await topUp(ids.topped, 13_000, "topped-1");
  clock.advance(60_000);
  // Ten leads an hour apart: five on Monday evening, five after the buyer's midnight.
  for (let i = 0; i < 10; i++) {
    ids[`lead${i + 1}`] = await sendLead("gutters");
    clock.advance(30 * 60_000);
    // Between lead 5 (05:31 UTC) and lead 6 (06:31 UTC): $80 more for topped, two more sales.
    if (i === 4) await topUp(ids.topped, 8000, "topped-2");
    clock.advance(30 * 60_000);
  }
}, 120_000);

afterAll(async () => {
  await closeBuyerAgent();
  server?.close();
  await t?.drop();
});

const replay = (buyerId: string, changes: { bidCents?: number } = {}) =>
  callerAs(s, {
    id: org,
    orgId: org,
    orgKind: "network",
    orgName: "x",
    email: "x@example.test",
    name: "x",
    role: "network",
  }).insight.replay({ buyerId, days: 7, changes, rows: 1000 });

/** Each lead's replayed outcome, oldest first: "WON" or the reason. */
async function outcomes(buyerId: string, changes: { bidCents?: number } = {}) {
  const r = await replay(buyerId, changes);
  const rows = [...r.rows].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  return { r, seq: rows.map((x) => (x.replay.won ? "WON" : x.replay.reason)), rows };
}

describe("the what-if replay simulates the buyer's money", () => {
  it("recorded: rich won all ten, nobody else paid anything", async () => {
    for (const b of ["thrifty", "topped", "budgeted"]) {
      const { r } = await outcomes(ids[b]!);
      expect(r.leads).toBe(10);
      expect(r.recorded.won).toBe(0);
      expect(r.replay.won).toBe(0);
    }
  });

  it("a prepaid buyer whose balance covers three sales wins three, then INSUFFICIENT_FUNDS", async () => {
    const { r, seq, rows } = await outcomes(ids.thrifty!, { bidCents: 4000 });
    expect(seq).toEqual(["WON", "WON", "WON", ...Array<string>(7).fill("INSUFFICIENT_FUNDS")]);
    expect(r.replay).toMatchObject({ won: 3, spentCents: 12_000 });
    // The fourth (and every later one) is refused at the sale's price: $10 left, $40 asked.
    expect(rows[3]!.replay.detail).toContain("prepaid balance $10.00 does not cover $40.00");
    expect(r.lostReasons).toEqual([{ reason: "INSUFFICIENT_FUNDS", count: 7 }]);
  });

  it("a top-up recorded between the fifth and sixth lead lets the later ones win", async () => {
    const { r, seq } = await outcomes(ids.topped!, { bidCents: 4000 });
    const no = "INSUFFICIENT_FUNDS";
    expect(seq).toEqual(["WON", "WON", "WON", no, no, "WON", "WON", no, no, no]);
    expect(r.replay).toMatchObject({ won: 5, spentCents: 20_000 });
  });

  it("a daily money budget stops it each local day, and the buyer's midnight frees it", async () => {
    const { r, seq, rows } = await outcomes(ids.budgeted!, { bidCents: 4000 });
    const cap = "CAP_REACHED";
    expect(seq).toEqual(["WON", "WON", cap, cap, cap, "WON", "WON", cap, cap, cap]);
    expect(r.replay.won).toBe(4);
    expect(rows[2]!.replay.detail).toContain("daily budget $80.00 reached ($80.00 spent today");
  });

  it("a budget counts spend gross: a return credited today frees no budget today, live or in replay", async () => {
    clock.set(new Date("2026-03-04T15:00:00Z")); // Wednesday 09:00 in Chicago
    const spender = await addNetwork("spender", "siding", { budgetDailyCents: 8000 });
    const rival = await addNetwork("rival", "siding");
    const a = await sendLead("siding");
    clock.advance(10 * 60_000);
    const b = await sendLead("siding");
    clock.advance(10 * 60_000);
    // Lead a is returned and credited ($40 back on the ledger), the same local day.
    const [sale] = rowsOf<{ id: string }>(
      await t.db.execute(sql`select id from transactions where lead_id = ${a}::uuid and buyer_id = ${spender}::uuid`),
    );
    const [req] = await t.db
      .insert(returnRequests)
      .values({
        saleId: sale!.id,
        leadId: a,
        buyerId: spender,
        reason: "INVALID_PHONE",
        via: "api",
        priceCents: 4000,
        status: "APPROVED",
        rule: "ADMIN",
        ruleDetail: "test",
        createdAt: clock.now(),
      })
      .returning();
    await t.db.insert(returnCredits).values({
      saleId: sale!.id,
      returnId: req!.id,
      leadId: a,
      buyerId: spender,
      amountCents: 4000,
      createdAt: clock.now(),
    });
    clock.advance(10 * 60_000);
    const c = await sendLead("siding");
    // Live: spender paid $80 today, credited $40: the budget is still spent, rival buys lead c.
    const winners = rowsOf<{ lead_id: string; buyer_id: string }>(
      await t.db.execute(
        sql`select lead_id, buyer_id from transactions where is_winner and lead_id in (${a}::uuid, ${b}::uuid, ${c}::uuid)`,
      ),
    );
    const won = (lead: string) => winners.find((w) => w.lead_id === lead)?.buyer_id;
    expect([won(a), won(b), won(c)]).toEqual([spender, spender, rival]);
    // The replay, unchanged, agrees lead by lead: two won, the third refused by the budget.
    const { r, seq } = await outcomes(spender);
    expect(seq).toEqual(["WON", "WON", "CAP_REACHED"]);
    expect(r.rows.every((x) => x.recorded.won === x.replay.won && x.recorded.reason === x.replay.reason)).toBe(true);
  });
});
