// Why-not and the timeline over auctions that really ran (networks on loopback, real PostgreSQL)
// and a routed DJ lead: each buyer sees only itself, the winner's price but never its name or id;
// the admin's timeline has every recorded step, unknown kinds included.
import { buyers, buyerZips, leadAssignments, leadEvents, orgs, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBuyerAgent, createLead, parseIntake, runAuction } from "../auction";
import type { Services } from "../context";
import { handleLeadResponse } from "../marketplace/responses";
import { routeLead } from "../marketplace/routing";
import { makeDj, makeLead } from "../marketplace/testing";
import { callerAs, makeOrgUser, silentLog, TEST_OUTBOUND } from "../testing";
import type { SessionUser } from "../auth/sessions";

let server: Server;
let t: TestDb;
let s: Services;
const clock = new ManualClock("2026-03-02T15:00:00Z");
let alpha: SessionUser;
let beta: SessionUser;
let adminUser: SessionUser;
const ids: Record<string, string> = {};
const pinged = new Set<string>();

async function addNetwork(orgId: string, name: string, base: string, zips = [{ zip: "*", priority: 1 }]) {
  const [b] = await t.db
    .insert(buyers)
    // The longest ping deadline: on a busy machine a buyer answering at once can still miss 1 s.
    .values({
      orgId,
      name,
      type: "NETWORK",
      verticals: ["roofing"],
      timeZone: "America/Chicago",
      duplicateLookbackDays: 0,
      pingTimeoutMs: 10_000,
      pingUrl: `${base}/ping/${encodeURIComponent(name)}`,
      postUrl: `${base}/post/${encodeURIComponent(name)}`,
    })
    .returning();
  await t.db.insert(buyerZips).values(zips.map((z) => ({ buyerId: b!.id, ...z })));
  return b!.id;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const [, kind, raw = ""] = (req.url ?? "").split("/");
    const name = decodeURIComponent(raw);
    req.resume();
    if (kind === "ping") pinged.add(name);
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      const bids: Record<string, number> = { "Alpha Exclusive": 42, "Beta Direct": 31 };
      res.end(JSON.stringify(kind === "ping" ? { bid: bids[name] ?? null } : { accepted: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await createTestDb();
  s = { db: t.db, handle: t, clock, log: silentLog, publicUrl: "http://127.0.0.1:0", outbound: TEST_OUTBOUND };
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing", floorCents: 0 });
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  alpha = await makeOrgUser(t.db, "network", "Alpha Org");
  beta = await makeOrgUser(t.db, "network", "Beta Org");
  adminUser = await makeOrgUser(t.db, "admin");
  ids.alpha = await addNetwork(alpha.orgId, "Alpha Exclusive", base);
  ids.beta = await addNetwork(beta.orgId, "Beta Direct", base);
  ids.betaFar = await addNetwork(beta.orgId, "Beta Far Away", base, [{ zip: "10001", priority: 1 }]);
  const { id } = await createLead(
    s,
    seller!.id,
    parseIntake({ vertical: "roofing", zip: "75201", contact: { firstName: "A", lastName: "B", phone: "5125550100" } }),
  );
  await runAuction(s, id);
  ids.lead = id;
  // Another engineer's kind of event (returns): the timeline must show it without knowing it.
  await t.db.insert(leadEvents).values({
    leadId: id,
    at: clock.now(),
    kind: "return_requested",
    buyerId: ids.alpha,
    data: { reason: "INVALID_PHONE", comment: "disconnected" },
  });
}, 60_000);

afterAll(async () => {
  await closeBuyerAgent();
  server?.close();
  await t?.drop();
});

describe("why didn't I get this lead", () => {
  it("a losing network sees its own reason and what the winner paid, never the winner's name or id", async () => {
    const r = await callerAs(s, beta).insight.whyNot({ days: 7 });
    const mine = r.items.filter((i) => i.leadId === ids.lead);
    expect(mine).toHaveLength(2);
    expect(mine.find((i) => i.buyerId === ids.beta)).toMatchObject({
      outcome: "LOST",
      reason: "OUTBID",
      bidCents: 3100,
      winningBidCents: 4200,
      pingOutcome: "BID",
    });
    expect(mine.find((i) => i.buyerId === ids.betaFar)).toMatchObject({
      outcome: "NOT_ELIGIBLE",
      reason: "NOT_IN_AREA",
      winningBidCents: 4200,
    });
    const text = JSON.stringify(r);
    expect(text).not.toContain(ids.alpha);
    expect(text).not.toContain("Alpha");
  });

  it("the winner sees what it paid; buyers are scoped to their organisation", async () => {
    const r = await callerAs(s, alpha).insight.whyNot({ days: 7 });
    expect(r.items).toEqual([
      expect.objectContaining({
        leadId: ids.lead,
        buyerId: ids.alpha,
        outcome: "WON",
        paidCents: 4200,
        winningBidCents: null,
      }),
    ]);
    expect(JSON.stringify(r)).not.toMatch(/Beta/);
    await expect(callerAs(s, alpha).insight.whyNot({ buyerId: ids.beta })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerAs(s, adminUser).insight.whyNot({})).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await callerAs(s, adminUser).insight.whyNot({ buyerId: ids.beta })).items).toHaveLength(1);
    await expect(callerAs(s, await makeOrgUser(t.db, "seller")).insight.whyNot({})).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("why not: refusals by the buyers' own rules", () => {
  it("each refused buyer sees its own refusal, at the start or at the moment of sale alike, and nothing of the others", async () => {
    await t.db.insert(verticals).values({ key: "gutters", name: "Gutters", floorCents: 0 });
    const gamma = await makeOrgUser(t.db, "network", "Gamma Org");
    const delta = await makeOrgUser(t.db, "contractor", "Delta Org");
    const zeta = await makeOrgUser(t.db, "network", "Zeta Org");
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const add = async (v: typeof buyers.$inferInsert) => {
      const [b] = await t.db
        .insert(buyers)
        .values({
          timeZone: "America/Chicago",
          duplicateLookbackDays: 0,
          notifyEmail: false,
          ...v,
          verticals: ["gutters"],
        })
        .returning();
      await t.db.insert(buyerZips).values({ buyerId: b!.id, zip: "*", priority: 1 });
      return b!.id;
    };
    const strict = await add({
      orgId: gamma.orgId,
      name: "Gamma Strict",
      type: "NETWORK",
      compliance: ["JORNAYA"],
      pingUrl: `${base}/ping/x`,
      postUrl: `${base}/post/x`,
    });
    const quiet = await add({
      orgId: zeta.orgId,
      name: "Zeta Quiet",
      type: "NETWORK",
      pingUrl: `${base}/ping/Zeta%20Quiet`,
      postUrl: `${base}/post/Zeta%20Quiet`,
    });
    const capped = await add({
      orgId: delta.orgId,
      name: "Delta Capped",
      type: "CONTRACTOR",
      pricingModel: "FIXED",
      fixedLeadPriceCents: 2000,
      capDaily: 0,
    });
    // Open until 09:05 in Chicago: eligible at 09:00 when the auction starts; the clock passes
    // 09:05 once Zeta has been pinged, so its sale (on its standing bid) finds it closed.
    const closing = await add({
      orgId: delta.orgId,
      name: "Delta Closing",
      type: "CONTRACTOR",
      pricingModel: "AUCTION",
      maxBidCents: 5000,
      hours: { mon: [["08:00", "09:05"]] },
    });
    const [seller] = await t.db.insert(orgs).values({ name: "Gutter Seller", kind: "seller" }).returning();
    const at = clock.now();
    const jumping = { now: () => new Date(at.getTime() + (pinged.has("Zeta Quiet") ? 10 * 60_000 : 0)) };
    const { id } = await createLead(
      s,
      seller!.id,
      parseIntake({
        vertical: "gutters",
        zip: "75201",
        contact: { firstName: "G", lastName: "H", phone: "5125550177" },
      }),
    );
    const run = await runAuction({ ...s, clock: jumping }, id);
    expect(run.outcome).toMatchObject({ status: "UNSOLD", unsoldReason: "NO_VALID_BIDS" });

    const d = await callerAs(s, delta).insight.whyNot({ days: 7 });
    const mine = d.items.filter((i) => i.leadId === id);
    expect(mine.map((i) => [i.buyerId, i.outcome, i.reason, i.cascadePosition ?? null]).sort()).toEqual(
      [
        [capped, "NOT_ELIGIBLE", "CAP_REACHED", null],
        [closing, "NOT_ELIGIBLE", "OUTSIDE_HOURS", null],
      ].sort(),
    );
    expect(mine.find((i) => i.buyerId === closing)?.detail).toContain("closed at mon 09:10");
    const g = await callerAs(s, gamma).insight.whyNot({ days: 7 });
    expect(g.items.filter((i) => i.leadId === id)).toEqual([
      expect.objectContaining({
        buyerId: strict,
        outcome: "NOT_ELIGIBLE",
        reason: "COMPLIANCE_MISSING",
        detail: expect.stringContaining("JORNAYA"),
      }),
    ]);
    // Never another buyer's id, name or refusal.
    for (const [view, others] of [
      [d, [strict, quiet, "Gamma", "Zeta", "COMPLIANCE_MISSING", "NO_BID"]],
      [g, [capped, closing, quiet, "Delta", "Zeta", "CAP_REACHED", "OUTSIDE_HOURS"]],
    ] as const) {
      const text = JSON.stringify(view);
      for (const o of others) expect(text).not.toContain(o);
    }
  });
});

describe("the lead timeline", () => {
  it("has intake, every verdict, pings with latency, the cascade and the outcome, in order, and unknown kinds as recorded", async () => {
    const tl = await callerAs(s, adminUser).insight.timeline({ id: ids.lead! });
    if (tl.kind !== "auction") throw new Error("expected an auction lead");
    const kinds = tl.entries.map((e) => e.kind);
    expect(kinds[0]).toBe("intake");
    expect(kinds.filter((k) => k === "eligibility")).toHaveLength(3);
    expect(tl.entries.find((e) => e.kind === "eligibility" && e.party?.id === ids.betaFar)?.data).toMatchObject({
      eligible: false,
      reason: "NOT_IN_AREA",
    });
    const pings = tl.entries.filter((e) => e.kind === "ping");
    expect(pings).toHaveLength(2);
    for (const p of pings) expect(typeof p.data.latencyMs).toBe("number");
    expect(tl.entries.find((e) => e.kind === "cascade_step")).toMatchObject({
      party: { name: "Alpha Exclusive" },
      data: { position: 1, accepted: true },
    });
    expect(kinds.indexOf("outcome")).toBeGreaterThan(kinds.indexOf("cascade_step"));
    expect(tl.entries.at(-1)).toMatchObject({
      kind: "return_requested",
      stage: "return",
      data: { reason: "INVALID_PHONE" },
    });
    expect(tl.transactions).toHaveLength(2);
    await expect(callerAs(s, alpha).insight.timeline({ id: ids.lead! })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerAs(s, adminUser).insight.timeline({ id: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a DJ lead: score components, phases, answers; the DJ sees its own outcome, never who got it", async () => {
    const djA = await makeOrgUser(t.db, "dj");
    const djB = await makeOrgUser(t.db, "dj");
    const a = await makeDj(t.db, {
      orgId: djA.orgId,
      name: "Top Spinner",
      city: "Insightville",
      routingScore: 90,
      tier: "premium",
    });
    const b = await makeDj(t.db, { orgId: djB.orgId, name: "Second Spinner", city: "Insightville", routingScore: 40 });
    const djC = await makeOrgUser(t.db, "dj");
    const c = await makeDj(t.db, {
      orgId: djC.orgId,
      name: "Pricey Spinner",
      city: "Insightville",
      routingScore: 95,
      priceMinCents: 500_000,
      priceMaxCents: 900_000,
    });
    const lead = await makeLead(t.db, { city: "Insightville" });
    await routeLead(s, lead.id);
    clock.advance(60_000);
    await handleLeadResponse(s, { djId: a.id, leadId: lead.id, action: "declined" });
    clock.advance(60_000);
    const offered = await t.db.select().from(leadAssignments);
    expect(offered.map((o) => o.djId).sort()).toEqual([a.id, b.id].sort());
    await handleLeadResponse(s, { djId: b.id, leadId: lead.id, action: "accepted", quoteCents: 120_000 });

    const tl = await callerAs(s, adminUser).insight.timeline({ id: lead.id });
    if (tl.kind !== "market") throw new Error("expected a DJ lead");
    expect(Object.keys(tl.lead.scoreComponents).length).toBeGreaterThan(3);
    const kinds = tl.entries.map((e) => e.kind);
    expect(kinds.filter((k) => k === "phase_started").length).toBe(2);
    // Every DJ of the city has its verdict on the timeline, the engine's failing rules included.
    const verdicts = tl.entries.find((e) => e.kind === "eligibility")?.data.verdicts as {
      djId: string;
      eligible: boolean;
      failures: { rule: string }[];
    }[];
    expect(verdicts.map((v) => [v.djId, v.eligible, v.failures.map((f) => f.rule)])).toEqual([
      [c.id, false, ["price_overlap"]],
      [a.id, true, []],
      [b.id, true, []],
    ]);
    expect(tl.entries.find((e) => e.kind === "offer_declined")?.party?.name).toBe("Top Spinner");
    expect(tl.offers.find((o) => o.djId === b.id)).toMatchObject({
      status: "accepted",
      quoteCents: 120_000,
      phase: "tier_expansion",
    });

    const mine = await callerAs(s, djA).insight.djWhyNot({ days: 7 });
    expect(mine.items).toEqual([expect.objectContaining({ leadId: lead.id, outcome: "DECLINED", phase: "exclusive" })]);
    expect(JSON.stringify(mine)).not.toContain(b.id);
    expect(JSON.stringify(mine)).not.toContain("Second Spinner");
    expect((await callerAs(s, djB).insight.djWhyNot({ days: 7 })).items).toEqual([
      expect.objectContaining({ outcome: "ACCEPTED", quoteCents: 120_000 }),
    ]);
    // The DJ that was never offered it learns why, and nothing about the others.
    const pricey = await callerAs(s, djC).insight.djWhyNot({ days: 7 });
    expect(pricey.items).toEqual([]);
    expect(pricey.notOffered).toEqual([
      expect.objectContaining({
        leadId: lead.id,
        eligible: false,
        reasons: [expect.objectContaining({ rule: "price_overlap" })],
      }),
    ]);
    expect(JSON.stringify(pricey)).not.toMatch(new RegExp(`${a.id}|${b.id}|Top Spinner|Second Spinner`));
    expect((await callerAs(s, djA).insight.djWhyNot({ days: 7 })).notOffered).toEqual([]);
  });
});
