// Ping, then post (docs/api.md) over real HTTP to a listening server, on real PostgreSQL, with
// buyer-sim's networks on loopback: the ping pings and holds, the post sells the held bids without
// pinging again, and every refusal (contact in a ping, unknown / another seller's / used / expired
// to the millisecond / mismatched / not accepted) writes nothing. Two posts of one ping race on
// real connections and sell once. Payouts are written at sale and reversed once by a return.
import { createApiKey, adminDecideReturn, forgetHold, holdsWritten, requestReturn } from "@leadflow/api";
import {
  createDb,
  leads,
  orgs,
  profitBySource,
  rowsOf,
  sellerPayouts,
  sellerPings,
  sellerSources,
  upsertPayoutRule,
  users,
} from "@leadflow/db";
import { count, eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app";
import { checkAnswers, type ContractCheck } from "../rest/openapi-check";
import { addNetwork, eventsOf, leadBody, T0, txOf, VERTICAL, type World, makeWorld } from "./world";

let w: World;
let app: FastifyInstance;
/** Every answer of this file, held to the OpenAPI document (rest/openapi.ts). */
let contract: ContractCheck;
let base: string;
let otherKey: string;
let winner: string;

beforeAll(async () => {
  w = await makeWorld(
    { networks: { winner: { bid: { kind: "fixed", value: 22 } }, loser: { bid: { kind: "fixed", value: 12 } } } },
    { max: 10 },
  );
  app = await buildApp({ services: w.s, dashboardDir: "/nonexistent" });
  contract = checkAnswers(app);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/api/v1`;
  const [other] = await w.t.db.insert(orgs).values({ name: "Other seller", kind: "seller" }).returning();
  otherKey = (await createApiKey(w.t.db, other!.id, "k")).key;
  winner = await addNetwork(w, "winner");
  await addNetwork(w, "loser");
  // $15 a lead, and LeadFlow keeps at least $3.
  await upsertPayoutRule(w.t.db, {
    sellerOrgId: w.sellerOrgId,
    vertical: null,
    kind: "FIXED_PER_LEAD",
    fixedCents: 1500,
    shareBp: null,
    marginCents: null,
    minMarginCents: 300,
    at: w.clock.now(),
    by: null,
  });
});
afterAll(async () => {
  await app?.close();
  await w?.close();
});

async function call(path: string, body: unknown, key = w.apiKey) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The partial lead of a full lead body: what a ping carries. */
function partialOf(full: Record<string, unknown>) {
  const { contact: _contact, externalId: _externalId, ...partial } = full;
  return partial;
}

const leadCount = async () => (await w.t.db.select({ n: count() }).from(leads))[0]!.n;
const pingCount = async () => (await w.t.db.select({ n: count() }).from(sellerPings))[0]!.n;
const simTotals = () => w.sim.stats().totals;

async function ping(full = leadBody(), key = w.apiKey) {
  const r = await call("/ping", partialOf(full), key);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  // An answer may go out before its hold is committed (a slow commit past the deadline): the
  // assertions below read the hold, so they wait for it as a post does.
  await holdsWritten();
  return { full, answer: r.body as { pingId: string; accepted: boolean; payoutCents: number; expiresAt: string } };
}

describe("POST /api/v1/ping", () => {
  it("refuses contact details by name and writes nothing, pinging nobody", async () => {
    const [pings, sim] = [await pingCount(), simTotals().pings];
    const r = await call("/ping", {
      ...partialOf(leadBody()),
      contact: { firstName: "A", lastName: "B", phone: "5125550100" },
      customFields: { email: "a@b.test" },
    });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.fieldErrors as object)).toEqual(["contact", "customFields.email"]);
    expect(r.body.message).toMatch(/contact, customFields\.email/);
    const bad = await call("/ping", { vertical: VERTICAL, zip: "7520" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fieldErrors as object)).toContain("zip");
    expect(await pingCount()).toBe(pings);
    expect(simTotals().pings).toBe(sim);
  });

  it("pings every network, quotes the payout, holds the bids for 60 s and sells nothing", async () => {
    const before = { leads: await leadCount(), sim: simTotals() };
    const { answer } = await ping();
    expect(answer).toMatchObject({ accepted: true, payoutCents: 1500 });
    expect(Date.parse(answer.expiresAt) - w.clock.now().getTime()).toBe(60_000);
    expect(simTotals().pings).toBe(before.sim.pings + 2);
    expect(simTotals().posts).toBe(before.sim.posts);
    expect(await leadCount()).toBe(before.leads);
    const [row] = await w.t.db.select().from(sellerPings).where(eq(sellerPings.id, answer.pingId));
    expect(row!.held.map((h) => [h.outcome, h.bidCents]).sort()).toEqual([
      ["BID", 1200],
      ["BID", 2200],
    ]);
    expect(row!.usedAt).toBeNull();
  });

  it("says in Server-Timing how long it took from the request's arrival, and when that was", async () => {
    // The server is in this process: one clock (performance's, as the header's).
    const clock = () => performance.timeOrigin + performance.now();
    const sent = clock();
    const res = await fetch(`${base}/ping`, {
      method: "POST",
      headers: { authorization: `Bearer ${w.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(partialOf(leadBody())),
    });
    const got = clock();
    expect(res.status).toBe(200);
    await holdsWritten();
    const m = /^app;dur=(\d+\.\d), arrival;desc="(\d+\.\d\d)"$/.exec(res.headers.get("server-timing") ?? "");
    expect(m, res.headers.get("server-timing") ?? "no header").not.toBeNull();
    // The arrival (ms since the epoch) is between sending and the answer.
    const arrival = Number(m![2]);
    expect(arrival).toBeGreaterThanOrEqual(sent);
    expect(arrival + Number(m![1])).toBeLessThanOrEqual(got + 0.1);
  });

  it("answers accepted: false when the best bid leaves LeadFlow less than its minimum margin", async () => {
    await upsertPayoutRule(w.t.db, {
      sellerOrgId: w.sellerOrgId,
      vertical: VERTICAL,
      kind: "FIXED_PER_LEAD",
      fixedCents: 2000,
      shareBp: null,
      marginCents: null,
      minMarginCents: 300,
      at: w.clock.now(),
      by: null,
    });
    try {
      const { full, answer } = await ping();
      expect(answer).toMatchObject({ accepted: false, payoutCents: 0 });
      const leadsBefore = await leadCount();
      const r = await call("/post", { ...full, pingId: answer.pingId });
      expect(r.status).toBe(409);
      expect(r.body.error).toBe("PING_NOT_ACCEPTED");
      expect(await leadCount()).toBe(leadsBefore);
    } finally {
      await w.t.db.execute(`delete from payout_rules where vertical = '${VERTICAL}'`);
    }
  });
});

describe("POST /api/v1/post", () => {
  it("sells the held bids without pinging again, pays the quoted payout and records it all on the timeline", async () => {
    const { full, answer } = await ping();
    const sim = simTotals();
    const r = await call("/post", { ...full, pingId: answer.pingId });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ pingId: answer.pingId, status: "SOLD", unsoldReason: null, payoutCents: 1500 });
    expect(simTotals().pings).toBe(sim.pings);
    expect(simTotals().posts).toBe(sim.posts + 1);
    const leadId = r.body.leadId as string;
    const tx = await txOf(w, leadId);
    expect(tx.get(winner)).toMatchObject({ isWinner: true, priceCents: 2200, pingOutcome: "BID" });
    // The POST names the ping the network bid on.
    const [held] = await w.t.db.select().from(sellerPings).where(eq(sellerPings.id, answer.pingId));
    expect(tx.get(winner)!.request).toBe(held!.held.find((h) => h.buyerId === winner)!.request);
    expect(held!.leadId).toBe(leadId);
    const kinds = (await eventsOf(w, leadId)).map((e) => e.kind);
    for (const k of ["ping", "ping_bids", "post", "intake", "outcome", "payout"]) expect(kinds).toContain(k);
    expect(kinds.indexOf("ping")).toBeLessThan(kinds.indexOf("post"));
    const entries = await w.t.db.select().from(sellerPayouts).where(eq(sellerPayouts.leadId, leadId));
    expect(entries.map((e) => [e.kind, e.amountCents])).toEqual([["PAYOUT", 1500]]);
  });

  it("refuses a reused pingId with 409 and writes nothing", async () => {
    const { full, answer } = await ping();
    expect((await call("/post", { ...full, pingId: answer.pingId })).status).toBe(201);
    const before = await leadCount();
    const again = await call("/post", { ...leadBody(partialOf(full)), pingId: answer.pingId });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("PING_USED");
    expect(await leadCount()).toBe(before);
  });

  it("expires to the millisecond by the injected clock: 1 ms before expiresAt sells, at expiresAt is 410", async () => {
    await w.t.db
      .insert(sellerSources)
      .values({ sellerOrgId: w.sellerOrgId, pingTtlSeconds: 5 })
      .onConflictDoUpdate({ target: sellerSources.sellerOrgId, set: { pingTtlSeconds: 5 } });
    try {
      const a = await ping();
      const b = await ping();
      expect(Date.parse(a.answer.expiresAt) - w.clock.now().getTime()).toBe(5000);
      w.clock.set(Date.parse(a.answer.expiresAt) - 1);
      expect((await call("/post", { ...a.full, pingId: a.answer.pingId })).status).toBe(201);
      w.clock.set(Date.parse(b.answer.expiresAt));
      const before = await leadCount();
      const late = await call("/post", { ...b.full, pingId: b.answer.pingId });
      expect(late.status).toBe(410);
      expect(late.body.error).toBe("PING_EXPIRED");
      expect(await leadCount()).toBe(before);
      const [row] = await w.t.db.select().from(sellerPings).where(eq(sellerPings.id, b.answer.pingId));
      expect(row!.usedAt).toBeNull();
    } finally {
      await w.t.db.delete(sellerSources).where(eq(sellerSources.sellerOrgId, w.sellerOrgId));
      w.clock.set(T0);
    }
  });

  it("refuses a post whose partial lead differs from its ping, naming the fields; the ping stays usable", async () => {
    const { full, answer } = await ping();
    const before = await leadCount();
    const r = await call("/post", { ...full, zip: "75202", customFields: { roofAge: 13 }, pingId: answer.pingId });
    expect(r.status).toBe(422);
    expect(r.body.error).toBe("PING_MISMATCH");
    expect(Object.keys(r.body.fieldErrors as object)).toEqual(["zip", "customFields.roofAge"]);
    expect(await leadCount()).toBe(before);
    expect((await call("/post", { ...full, pingId: answer.pingId })).status).toBe(201);
  });

  it("answers another seller's pingId and an unknown one alike, 404, writing nothing", async () => {
    const { full, answer } = await ping();
    const before = await leadCount();
    const other = await call("/post", { ...full, pingId: answer.pingId }, otherKey);
    expect(other.status).toBe(404);
    expect(other.body.error).toBe("PING_UNKNOWN");
    const unknown = await call("/post", { ...full, pingId: "00000000-0000-4000-8000-000000000000" });
    expect(unknown.status).toBe(404);
    expect(await leadCount()).toBe(before);
    const [row] = await w.t.db.select().from(sellerPings).where(eq(sellerPings.id, answer.pingId));
    expect(row!.usedAt).toBeNull();
    const bad = await call("/post", { ...full, pingId: "nope" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fieldErrors as object)).toEqual(["pingId"]);
  });

  it("a ping this process does not remember (answered by another process) is read from its row and sells", async () => {
    const { full, answer } = await ping();
    forgetHold(answer.pingId);
    const r = await call("/post", { ...full, pingId: answer.pingId });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ pingId: answer.pingId, status: "SOLD", payoutCents: 1500 });
    const again = await call("/post", { ...full, pingId: answer.pingId });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("PING_USED");
  });

  it("refuses a post whose externalId is already one of the seller's leads, 422, leaving the ping usable", async () => {
    const externalId = `crm-${Date.now()}`;
    const direct = await fetch(`${base}/leads`, {
      method: "POST",
      headers: { authorization: `Bearer ${w.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(leadBody({ externalId })),
    });
    const existing = ((await direct.json()) as { id: string }).id;
    const { full, answer } = await ping();
    const before = { leads: await leadCount(), events: (await eventsOf(w, answer.pingId)).length };
    const r = await call("/post", { ...full, externalId, pingId: answer.pingId });
    expect(r.status).toBe(422);
    expect(r.body.error).toBe("PING_MISMATCH");
    expect(r.body.message).toContain(existing);
    expect(Object.keys(r.body.fieldErrors as object)).toEqual(["externalId"]);
    expect(await leadCount()).toBe(before.leads);
    expect((await eventsOf(w, answer.pingId)).length).toBe(before.events);
    const [row] = await w.t.db.select().from(sellerPings).where(eq(sellerPings.id, answer.pingId));
    expect(row!.usedAt).toBeNull();
    expect(row!.leadId).toBeNull();
    expect((await call("/post", { ...full, pingId: answer.pingId })).status).toBe(201);
  });

  it("refuses a post whose vertical was deactivated since its ping, 400, leaving the ping usable", async () => {
    const { full, answer } = await ping();
    await w.t.db.execute(sql`update verticals set active = false where key = ${VERTICAL}`);
    try {
      const before = await leadCount();
      const r = await call("/post", { ...full, pingId: answer.pingId });
      expect(r.status).toBe(400);
      expect(Object.keys(r.body.fieldErrors as object)).toEqual(["vertical"]);
      expect(await leadCount()).toBe(before);
      const [row] = await w.t.db.select().from(sellerPings).where(eq(sellerPings.id, answer.pingId));
      expect(row!.usedAt).toBeNull();
    } finally {
      await w.t.db.execute(sql`update verticals set active = true where key = ${VERTICAL}`);
    }
  });

  it("sells once when two posts of one ping race on separate connections", async () => {
    for (let round = 0; round < 3; round++) {
      const { full, answer } = await ping();
      const before = { leads: await leadCount(), posts: simTotals().posts };
      const both = await Promise.all([
        call("/post", { ...full, pingId: answer.pingId }),
        call("/post", { ...full, pingId: answer.pingId }),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(await leadCount()).toBe(before.leads + 1);
      expect(simTotals().posts).toBe(before.posts + 1);
    }
  });
});

describe("the ping's answer and its hold", () => {
  it("answers without waiting for a slow hold commit, and a post of that pingId waits for the hold", async () => {
    // 300 ms deadline for this test; the buyer set is re-read because the change bumps its version.
    await w.t.db.execute(sql`update buyers set ping_timeout_ms = 300`);
    // Another connection holds a lock that blocks every insert into seller_pings until released.
    const second = await createDb({ databaseUrl: w.t.url, max: 1 });
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = second.db.transaction(async (tx) => {
      await tx.execute(sql`lock table seller_pings in share mode`);
      locked();
      await released;
    });
    try {
      await isLocked;
      const full = leadBody();
      const r = await call("/ping", partialOf(full));
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const pingId = r.body.pingId as string;
      expect(r.body.accepted).toBe(true);
      // Answered while its hold could not be written yet.
      expect(await w.t.db.select().from(sellerPings).where(eq(sellerPings.id, pingId))).toEqual([]);
      const post = call("/post", { ...full, pingId });
      await new Promise((res) => setTimeout(res, 200));
      release();
      await holder;
      const p = await post;
      expect(p.status, JSON.stringify(p.body)).toBe(201);
      expect(p.body).toMatchObject({ pingId, status: "SOLD", payoutCents: 1500 });
    } finally {
      release();
      await holder.catch(() => undefined);
      await second.close();
      await w.t.db.execute(sql`update buyers set ping_timeout_ms = 10000`);
    }
  });
});

describe("payouts and returns", () => {
  async function soldPost() {
    const { full, answer } = await ping();
    const r = await call("/post", { ...full, pingId: answer.pingId });
    expect(r.body.status).toBe("SOLD");
    return r.body.leadId as string;
  }
  async function approveReturn(leadId: string) {
    const requested = await requestReturn(w.s, { orgId: w.buyerOrgId, userId: null, via: "api" }, leadId, {
      reason: "FAKE_OR_TEST",
    });
    if (requested.status === "PENDING")
      await adminDecideReturn(w.s, adminId, { id: requested.id, decision: "APPROVED", note: "checked" });
    return requested.id;
  }
  let adminId: string;
  beforeAll(async () => {
    const [platform] = await w.t.db.insert(orgs).values({ name: "LeadFlow", kind: "platform" }).returning();
    const [u] = await w.t.db
      .insert(users)
      .values({ orgId: platform!.id, email: "admin@leadflow.test", name: "Admin", role: "admin", passwordHash: "x" })
      .returning();
    adminId = u!.id;
  });

  it("an approved return reverses the payout once, as a ledger entry, and profit is revenue − payout − credits", async () => {
    const leadId = await soldPost();
    await approveReturn(leadId);
    const entries = await w.t.db
      .select()
      .from(sellerPayouts)
      .where(eq(sellerPayouts.leadId, leadId))
      .orderBy(sellerPayouts.id);
    expect(entries.map((e) => [e.kind, e.amountCents])).toEqual([
      ["PAYOUT", 1500],
      ["PAYOUT_REVERSAL", -1500],
    ]);
    const [lead] = await w.t.db.select().from(leads).where(eq(leads.id, leadId));
    expect(lead!.payoutCents).toBe(1500); // the payout as earned: never edited
    // Crediting the same sale again (a retried approval) neither credits nor reverses twice.
    const { creditReturn } = await import("@leadflow/api");
    const [req] = rowsOf<{ id: string; sale_id: string }>(
      await w.t.db.execute(`select id, sale_id from return_requests where lead_id = '${leadId}'`),
    );
    await w.t.db.transaction((tx) =>
      creditReturn(tx, { id: req!.id, saleId: req!.sale_id, leadId, buyerId: winner, priceCents: 2200 }, w.clock.now()),
    );
    expect(await w.t.db.select().from(sellerPayouts).where(eq(sellerPayouts.leadId, leadId))).toHaveLength(2);

    const [row] = await profitBySource(w.t.db, {
      from: new Date(0),
      toExclusive: new Date("2100-01-01"),
      sellerOrgId: w.sellerOrgId,
    });
    const [sums] = rowsOf<{ revenue: string; payout: string; credit: string }>(
      await w.t.db.execute(`
      select (select sum(price_cents) from transactions t join leads l on l.id = t.lead_id where t.is_winner and l.seller_org_id = '${w.sellerOrgId}') as revenue,
        (select sum(amount_cents) from seller_payouts where seller_org_id = '${w.sellerOrgId}') as payout,
        (select sum(c.amount_cents) from return_credits c join leads l on l.id = c.lead_id where l.seller_org_id = '${w.sellerOrgId}') as credit`),
    );
    expect(row).toMatchObject({
      vertical: VERTICAL,
      revenueCents: Number(sums!.revenue),
      payoutCents: Number(sums!.payout),
      creditCents: Number(sums!.credit),
    });
    expect(row!.profitCents).toBe(row!.revenueCents - row!.payoutCents - row!.creditCents);
  });

  it("a return after the source's return window leaves the payout standing", async () => {
    await w.t.db
      .insert(sellerSources)
      .values({ sellerOrgId: w.sellerOrgId, returnWindowDays: 1 })
      .onConflictDoUpdate({ target: sellerSources.sellerOrgId, set: { returnWindowDays: 1 } });
    try {
      const leadId = await soldPost();
      w.clock.advance(86_400_000 + 1);
      await approveReturn(leadId);
      const entries = await w.t.db.select().from(sellerPayouts).where(eq(sellerPayouts.leadId, leadId));
      expect(entries.map((e) => e.kind)).toEqual(["PAYOUT"]);
    } finally {
      await w.t.db.delete(sellerSources).where(eq(sellerSources.sellerOrgId, w.sellerOrgId));
      w.clock.set(T0);
    }
  });

  it("a direct /leads lead is paid by the source's rule too (a revenue share here)", async () => {
    await upsertPayoutRule(w.t.db, {
      sellerOrgId: w.sellerOrgId,
      vertical: VERTICAL,
      kind: "REVENUE_SHARE",
      fixedCents: null,
      shareBp: 4000,
      marginCents: null,
      minMarginCents: 0,
      at: w.clock.now(),
      by: null,
    });
    try {
      const res = await fetch(`${base}/leads?wait=1`, {
        method: "POST",
        headers: { authorization: `Bearer ${w.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(leadBody()),
      });
      const body = (await res.json()) as { id: string; status: string };
      expect(body.status).toBe("SOLD");
      const [lead] = await w.t.db.select().from(leads).where(eq(leads.id, body.id));
      expect(lead!.payoutCents).toBe(880); // 40 % of $22
    } finally {
      await w.t.db.execute(`delete from payout_rules where vertical = '${VERTICAL}'`);
    }
  });
});

describe("the published contract", () => {
  it("every answer above matched the OpenAPI document (path, method, status and body)", () => {
    expect(contract.violations).toEqual([]);
    expect(contract.checked).toBeGreaterThan(5);
  });
});
